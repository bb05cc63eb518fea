package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.jdkTool;
import static dev.hermetic.packer.TestFixtures.testClassPath;
import static dev.hermetic.packer.TestFixtures.write;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.IndexedEntry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --compress-resources} and {@code --threads}: which entries are DEFLATED (resources that shrink)
 * and which stay STORED (classes, sources, nested jars, the index, resources that do not shrink); the
 * archive byte-identical on 1 and 4 threads, in this JVM and in child JVMs; and the archive served by
 * the loader ({@code java -jar}, exploded) and read by {@code inspect}, {@code verify}, {@code explain}.
 */
class ResourceCompressorTests {
    static final String MAIN = "app.Main";

    @TempDir
    static Path inputs;

    static Path classes;
    static Path src;
    static Path lib;
    /** The resources below {@link #classes} by name, with the bytes written. */
    static final Map<String, byte[]> RESOURCES = new TreeMap<>();

    @TempDir
    Path work;

    @BeforeAll
    static void makeInputs() throws IOException {
        src = inputs.resolve("src");
        writeSource(src, MAIN, """
                package app;

                import java.io.InputStream;
                import java.security.MessageDigest;
                import java.util.HexFormat;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        for (String name : args) {
                            try (InputStream in = Main.class.getClassLoader().getResourceAsStream(name)) {
                                byte[] bytes = in.readAllBytes();
                                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                                System.out.println(name + " " + bytes.length + " " + sha.substring(0, 16));
                            }
                        }
                        System.out.println(lib.Lib.text());
                    }
                }
                """);
        Path libSrc = inputs.resolve("lib-src");
        writeSource(libSrc, "lib.Lib", "package lib; public class Lib { public static String text() { return \"lib\"; } }");
        Path libClasses = javac(libSrc, inputs.resolve("lib-classes"), List.of());
        lib = jar().tree(libClasses, true).deflated("lib/notes.txt", "notes ".repeat(300))
                .write(inputs.resolve("lib/lib.jar"));
        classes = javac(src, inputs.resolve("classes"), List.of(), libClasses);

        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 4000; i++) {
            text.append("line ").append(i).append(": the quick brown fox jumps over the lazy dog\n");
        }
        byte[] random = new byte[20_000];
        new Random(7).nextBytes(random);
        RESOURCES.put("app/big.txt", text.toString().getBytes(StandardCharsets.UTF_8));
        RESOURCES.put("app/random.bin", random);
        RESOURCES.put("app/tiny.txt", "hi".getBytes(StandardCharsets.UTF_8));
        RESOURCES.put("app/empty.txt", new byte[0]);
        RESOURCES.put("META-INF/services/java.lang.Runnable", "app.Nothing\n".repeat(50).getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 60; i++) {
            RESOURCES.put("app/many/r" + i + ".json", ("{\"id\": " + i + ", \"name\": \"resource\"}\n").repeat(40 + i)
                    .getBytes(StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, byte[]> r : RESOURCES.entrySet()) {
            write(classes.resolve(r.getKey()), r.getValue());
        }
    }

    PackOptions.Builder options(Path out) {
        return PackOptions.builder().out(out).addApp(classes).addSources(src).addLib(lib).mainClass(MAIN)
                .compressResources(true);
    }

    @Test
    void packWhenCompressResourcesThenResourcesThatShrinkAreDeflatedAndEverythingElseStored() throws IOException {
        Path out = work.resolve("app.jar");

        PackResult result = Packer.pack(options(out).threads(2).build());

        Map<String, Integer> methods = new TreeMap<>();
        try (ZipFile zip = new ZipFile(out.toFile())) {
            zip.stream().forEach(e -> methods.put(e.getName(), e.getMethod()));
        }
        List<String> deflated = new ArrayList<>();
        methods.forEach((name, method) -> {
            if (method == ZipEntry.DEFLATED) {
                deflated.add(name);
            }
        });
        List<String> expected = new ArrayList<>(List.of("HERMETIC-INF/classes/META-INF/services/java.lang.Runnable",
                "HERMETIC-INF/classes/app/big.txt"));
        for (int i = 0; i < 60; i++) {
            expected.add("HERMETIC-INF/classes/app/many/r" + i + ".json");
        }
        assertThat(deflated).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(methods).containsEntry("HERMETIC-INF/classes/app/Main.class", ZipEntry.STORED)
                .containsEntry("HERMETIC-INF/classes/app/random.bin", ZipEntry.STORED)
                .containsEntry("HERMETIC-INF/classes/app/tiny.txt", ZipEntry.STORED)
                .containsEntry("HERMETIC-INF/classes/app/empty.txt", ZipEntry.STORED)
                .containsEntry("HERMETIC-INF/sources/app/Main.java", ZipEntry.STORED)
                .containsEntry("HERMETIC-INF/lib/lib.jar", ZipEntry.STORED)
                .containsEntry("HERMETIC-INF/index", ZipEntry.STORED)
                .containsEntry("META-INF/MANIFEST.MF", ZipEntry.STORED);
        assertThat(result.deflated()).isEqualTo(expected.size());
        assertThat(result.reused()).isZero();

        Archive.checkStrictly(out);
        try (Archive archive = Archive.open(out)) {
            for (Map.Entry<String, byte[]> r : RESOURCES.entrySet()) {
                IndexedEntry entry = archive.find(r.getKey());
                assertThat(archive.read(entry)).as(r.getKey()).isEqualTo(r.getValue());
            }
            IndexedEntry big = archive.find("app/big.txt");
            assertThat(big.method()).isEqualTo(ZipEntry.DEFLATED);
            assertThat(big.size()).isEqualTo(RESOURCES.get("app/big.txt").length);
            assertThat(big.compressedSize()).isLessThan(big.size() / 10);
            assertThat(archive.find("app/Main.class").method()).isEqualTo(ZipEntry.STORED);
        }
        try (ZipFile zip = new ZipFile(out.toFile())) {
            assertThat(new java.util.jar.Manifest(zip.getInputStream(zip.getEntry("META-INF/MANIFEST.MF")))
                    .getMainAttributes().getValue(Deflated.ATTRIBUTE)).isEqualTo(Deflated.fingerprint())
                    .matches("deflate level 6, probe [0-9a-f]{8}");
        }
    }

    @Test
    void packWhenCompressResourcesIsOffThenEveryEntryIsStoredAndTheManifestSaysNothing() throws IOException {
        Path out = work.resolve("app.jar");

        PackResult result = Packer.pack(options(out).compressResources(false).build());

        try (ZipFile zip = new ZipFile(out.toFile())) {
            assertThat(zip.stream().filter(e -> e.getMethod() != ZipEntry.STORED).map(ZipEntry::getName)).isEmpty();
            assertThat(new String(zip.getInputStream(zip.getEntry("META-INF/MANIFEST.MF")).readAllBytes(),
                    StandardCharsets.UTF_8)).doesNotContain(Deflated.ATTRIBUTE);
        }
        assertThat(result.deflated()).isZero();
    }

    @Test
    void packWhenOneOrFourThreadsThenArchivesAreByteIdentical() throws IOException {
        Path one = Packer.pack(options(work.resolve("one.jar")).threads(1).build()).archive();
        Path four = Packer.pack(options(work.resolve("four.jar")).threads(4).build()).archive();
        Path many = Packer.pack(options(work.resolve("many.jar")).threads(64).build()).archive();

        assertThat(Files.readAllBytes(four)).isEqualTo(Files.readAllBytes(one));
        assertThat(Files.readAllBytes(many)).isEqualTo(Files.readAllBytes(one));
    }

    @Test
    void packWhenChildJvmsUseOneAndTwoThreadsThenArchivesAreByteIdentical() throws Exception {
        List<Path> outs = new ArrayList<>();
        List<TestFixtures.Child> children = new ArrayList<>();
        for (String threads : List.of("1", "2")) {
            Path out = work.resolve("threads-" + threads + ".jar");
            outs.add(out);
            children.add(TestFixtures.Child.start(work, Map.of(), List.of(jdkTool("java"), "-XX:TieredStopAtLevel=1",
                    "-cp", testClassPath(), "dev.hermetic.packer.cli.PackerCli", "pack", "--out", out.toString(),
                    "--app", classes.toString(), "--sources", src.toString(), "--lib", lib.toString(),
                    "--main-class", MAIN, "--compress-resources", "--threads", threads, "--progress", "never")));
        }
        for (TestFixtures.Child child : children) {
            TestFixtures.Result result = child.await();
            assertThat(result.exit()).as(result.stderr()).isZero();
            assertThat(result.stdout()).contains("resources: 62 deflated" + System.lineSeparator());
        }

        assertThat(Files.readAllBytes(outs.get(1))).isEqualTo(Files.readAllBytes(outs.get(0)));
    }

    @Test
    void javaJarWhenResourcesAreDeflatedThenTheApplicationReadsThemAsPacked() throws Exception {
        Path out = Packer.pack(options(work.resolve("app.jar")).build()).archive();
        List<String> names = List.of("app/big.txt", "app/random.bin", "app/tiny.txt", "app/empty.txt", "app/many/r7.json");

        List<String> command = new ArrayList<>(List.of(jdkTool("java"), "-jar", out.toString()));
        command.addAll(names);
        TestFixtures.Result packed = TestFixtures.run(work, command);
        List<String> exploded = new ArrayList<>(List.of(jdkTool("java"), "-cp",
                Exploder.explode(out, work.resolve("exploded")).directory().toString(), "dev.hermetic.loader.Launcher"));
        exploded.addAll(names);
        TestFixtures.Result fromDirectory = TestFixtures.run(work, exploded);

        StringBuilder expected = new StringBuilder();
        for (String name : names) {
            byte[] bytes = RESOURCES.get(name);
            expected.append(name).append(' ').append(bytes.length).append(' ')
                    .append(java.util.HexFormat.of().formatHex(TestFixtures.sha256(bytes)), 0, 16)
                    .append(System.lineSeparator());
        }
        expected.append("lib").append(System.lineSeparator());
        assertThat(packed.stderr()).isEmpty();
        assertThat(packed.stdout()).isEqualTo(expected.toString());
        assertThat(fromDirectory.stderr()).isEmpty();
        assertThat(fromDirectory.stdout()).isEqualTo(expected.toString());
        assertThat(Files.readAllBytes(work.resolve("exploded/HERMETIC-INF/classes/app/big.txt")))
                .isEqualTo(RESOURCES.get("app/big.txt"));
    }

    @Test
    void verifyAndExplainWhenResourcesAreDeflatedThenAllIsWellAndTheEntryIsDeflated() throws IOException {
        Path out = Packer.pack(options(work.resolve("app.jar")).build()).archive();

        Verification verification = Verifier.verify(out);
        Explanation big = Explanation.of(out, "app/big.txt");

        assertThat(verification.ok()).as(verification.problems().toString()).isTrue();
        assertThat(big.found()).isTrue();
        assertThat(big.locations().get(0).entry().method()).isEqualTo(ZipEntry.DEFLATED);
        assertThat(big.locations().get(0).entry().size()).isEqualTo(RESOURCES.get("app/big.txt").length);
    }
}
