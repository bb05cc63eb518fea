package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.jdkTool;
import static dev.hermetic.packer.TestFixtures.testClassPath;
import static dev.hermetic.packer.TestFixtures.write;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.loader.archive.ValidationMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.lingala.zip4j.model.FileHeader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §3: the same inputs give byte-identical archives whatever the time zone, locale, input file
 * times, file order on disk or directory they sit in. Each variant packs in a child JVM of its own
 * ({@code java -cp <test class path> dev.hermetic.packer.cli.PackerCli pack ...}), so that the time zone
 * and locale are the JVM's defaults, as on a build machine, not properties changed under a running
 * packer. The variants run side by side.
 */
class DeterminismTests {
    static final String MAIN = "com.example.app.Main";

    @TempDir
    static Path base;

    /** The original inputs: src/, classes/, lib/alpha.jar, lib/beta.jar, made in that order. */
    static Path inputs;

    @BeforeAll
    static void makeInputs() throws IOException {
        inputs = base.resolve("inputs");
        Path libSrc = base.resolve("lib-src");
        writeSource(libSrc, "org.alpha.Alpha", """
                package org.alpha;

                public final class Alpha {
                    public static String name() {
                        return "alpha";
                    }
                }
                """);
        Path libClasses = javac(libSrc, base.resolve("lib-classes"), List.of());
        jar().attribute("Implementation-Title", "alpha").tree(libClasses, false)
                .deflated("org/alpha/alpha.properties", "deflated=" + "x".repeat(500) + "\n")
                .stored("org/alpha/stored.txt", "stored\n")
                .write(inputs.resolve("lib/alpha.jar"));
        jar().stored("beta/beta.txt", "beta\n").write(inputs.resolve("lib/beta.jar"));

        Path src = inputs.resolve("src");
        writeSource(src, MAIN, """
                package com.example.app;

                import com.example.model.Item;
                import java.util.List;

                public class Main {
                    public static void main(String[] args) {
                        List<Item> items = List.of(new Item("grüße ✓", 2), new Item(org.alpha.Alpha.name(), 1));
                        items.stream().map(Item::describe).forEach(System.out::println);
                        System.out.println(Util.twice(args.length) + new Object() { int v = 3; }.v);
                    }
                }
                """);
        writeSource(src, "com.example.app.Util", """
                package com.example.app;

                final class Util {
                    static int twice(int n) {
                        return switch (n) {
                            case 0 -> 0;
                            default -> n * 2;
                        };
                    }
                }
                """);
        writeSource(src, "com.example.model.Item", """
                package com.example.model;

                public record Item(String name, int count) {
                    public String describe() {
                        Kind kind = count > 1 ? Kind.MANY : Kind.ONE;
                        return switch (kind) {
                            case ONE -> name;
                            case MANY -> name + " x" + count;
                        };
                    }

                    enum Kind { ONE, MANY }
                }
                """);
        write(src.resolve("com/example/app/messages.properties"), "greeting=Grüße ✓\n");
        write(src.resolve("config/read me.txt"), "a resource with a space in its name\n");
        Path classes = javac(src, inputs.resolve("classes"), List.of(), inputs.resolve("lib/alpha.jar"));
        Files.copy(src.resolve("com/example/app/messages.properties"), classes.resolve("com/example/app/messages.properties"));
    }

    /**
     * How one packing differs from the others.
     *
     * @param copySeed 0 to pack the original inputs, else the seed of the shuffled order in which a fresh
     *                 copy of them is created
     * @param mtime    the time every input file and directory is touched to; null to leave the times, or
     *                 {@link Instant#MIN} for a different random time per file
     */
    record Variant(String zone, String language, String country, long copySeed, Instant mtime) {
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("UTC", "en", "US", 0, null),
            new Variant("Pacific/Kiritimati", "tr", "TR", 1, Instant.parse("2001-09-09T01:46:40Z")),
            new Variant("America/Sao_Paulo", "ar", "SA", 2, Instant.parse("2037-12-31T23:59:58Z")),
            new Variant("Asia/Kathmandu", "th", "TH", 3, Instant.MIN));

    @Test
    void packWhenCompilingSourcesInDifferentJvmsZonesLocalesFileTimesAndOrdersThenArchivesAreByteIdentical()
            throws Exception {
        List<byte[]> archives = packInChildren("compiled", VARIANTS,
                "--sources", "src", "--lib", "lib/alpha.jar", "--main-class", MAIN);

        try (Archive archive = Archive.open(base.resolve("compiled-0/out.jar"))) {
            assertThat(archive.mainClass()).isEqualTo(MAIN);
            assertThat(archive.modules()).extracting(Module::mode).containsOnly(ValidationMode.TRUSTED).hasSize(3);
            assertThat(archive.find("org/alpha/Alpha.class")).isNotNull();
        }
        assertZipHasNoPlatformAttributesOrExtraFields(base.resolve("compiled-0/out.jar"));
        assertAllEqual(archives);
    }

    @Test
    void packWhenTakingAppClassesAndLibsInDifferentJvmsZonesLocalesFileTimesAndOrdersThenArchivesAreByteIdentical()
            throws Exception {
        List<byte[]> archives = packInChildren("taken", VARIANTS.subList(0, 3),
                "--app", "classes", "--sources", "src", "--lib", "lib/alpha.jar", "--lib", "lib/beta.jar", "--main-class", MAIN);

        try (Archive archive = Archive.open(base.resolve("taken-0/out.jar"))) {
            assertThat(archive.modules()).extracting(Module::mode).containsOnly(ValidationMode.CHECKED).hasSize(3);
            assertThat(archive.containers()).hasSize(3);
        }
        assertZipHasNoPlatformAttributesOrExtraFields(base.resolve("taken-0/out.jar"));
        assertAllEqual(archives);
    }

    @Test
    void packWhenTheTimestampFallsInADaylightSavingGapOfTheZoneThenArchivesAreByteIdentical() throws Exception {
        // 02:30 on 10 March 2024 does not exist in New York: clocks went from 02:00 to 03:00
        List<Variant> zones = List.of(new Variant("UTC", "en", "US", 0, null),
                new Variant("America/New_York", "en", "US", 0, null));
        List<byte[]> archives = packInChildren("gap", zones, "--timestamp", "2024-03-10T02:30:00Z",
                "--app", "classes", "--main-class", MAIN);

        assertAllEqual(archives);
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(base.resolve("gap-1/out.jar").toFile())) {
            assertThat(java.util.Collections.list(zip.entries())).allSatisfy(entry ->
                    assertThat(entry.getTimeLocal()).isEqualTo(java.time.LocalDateTime.parse("2024-03-10T02:30:00")));
        }
    }

    @Test
    void packWhenThreadsDifferThenArchivesAreByteIdentical(@TempDir Path tmp) throws IOException {
        // an app jar beside the class directory: jar entries are inflated on the pack's threads
        Path appJar = jar().deflated("com/example/extra/data.txt", "extra ".repeat(200))
                .stored("com/example/extra/stored.txt", "stored\n").write(tmp.resolve("extra.jar"));
        List<byte[]> archives = new ArrayList<>();
        for (int threads : List.of(1, 2, 3, 64)) {
            for (boolean compress : List.of(false, true)) {
                Path out = tmp.resolve("threads-" + threads + "-" + compress + ".jar");
                Packer.pack(PackOptions.builder().out(out).mainClass(MAIN).addApp(inputs.resolve("classes")).addApp(appJar)
                        .addSources(inputs.resolve("src")).addLib(inputs.resolve("lib/alpha.jar"))
                        .addLib(inputs.resolve("lib/beta.jar")).compressResources(compress).threads(threads).build());
                archives.add(Files.readAllBytes(out));
            }
        }
        assertAllEqual(List.of(archives.get(0), archives.get(2), archives.get(4), archives.get(6)));
        assertAllEqual(List.of(archives.get(1), archives.get(3), archives.get(5), archives.get(7)));
    }

    /**
     * Packs each variant in a child JVM, all at once, from the variant's input directory (the original or a
     * copy) with relative input paths, to {@code base/NAME-N/out.jar}; checks each succeeded with the same
     * summary line; returns the archives in variant order.
     */
    static List<byte[]> packInChildren(String name, List<Variant> variants, String... packArgs) throws Exception {
        List<TestFixtures.Child> children = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            Path root = prepare(v);
            Path out = Files.createDirectories(base.resolve(name + "-" + i)).resolve("out.jar");
            outs.add(out);
            List<String> command = new ArrayList<>(List.of(jdkTool("java"), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Duser.timezone=" + v.zone(), "-Duser.language=" + v.language(), "-Duser.country=" + v.country(),
                    "-cp", testClassPath(), "dev.hermetic.packer.cli.PackerCli", "pack", "--out", out.toString()));
            command.addAll(List.of(packArgs));
            children.add(TestFixtures.Child.start(root, Map.of("TZ", v.zone()), command));
        }
        List<byte[]> archives = new ArrayList<>();
        String summary = null;
        for (int i = 0; i < variants.size(); i++) {
            TestFixtures.Result result = children.get(i).await();
            assertThat(result.stderr()).as("%s", variants.get(i)).isEmpty();
            assertThat(result.exit()).as("%s", variants.get(i)).isZero();
            // The summary is the same line in every locale: digits stay ASCII digits.
            String line = result.stdout().replace(outs.get(i).toString(), "OUT");
            assertThat(line).as("%s", variants.get(i)).matches("packed OUT: \\d+ bytes, \\d+ entries, .*\\R");
            if (summary == null) {
                summary = line;
            }
            assertThat(line).as("%s", variants.get(i)).isEqualTo(summary);
            archives.add(Files.readAllBytes(outs.get(i)));
        }
        return archives;
    }

    /**
     * The original inputs, or a copy made in shuffled order (once per seed), with touched times and, for
     * even seeds, other permissions.
     */
    static Path prepare(Variant v) throws IOException {
        if (v.copySeed() == 0) {
            return inputs;
        }
        Path root = base.resolve("copy-" + v.copySeed());
        if (Files.exists(root)) {
            return root;
        }
        Random random = new Random(v.copySeed());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(inputs)) {
            files = new ArrayList<>(walk.filter(Files::isRegularFile).map(inputs::relativize).sorted().toList());
        }
        Collections.shuffle(files, random);
        for (Path file : files) {
            Path copy = root.resolve(file.toString());
            Files.createDirectories(copy.getParent());
            Files.copy(inputs.resolve(file), copy);
            if (v.copySeed() % 2 == 0) {
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxrwx---"));
            }
        }
        if (v.mtime() != null) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.toList()) {
                    Instant time = v.mtime() == Instant.MIN
                            ? Instant.ofEpochSecond(315_532_800L + random.nextInt(2_000_000_000)) : v.mtime();
                    Files.setLastModifiedTime(p, FileTime.from(time));
                }
            }
        }
        return root;
    }

    static void assertAllEqual(List<byte[]> archives) {
        byte[] reference = archives.get(0);
        for (int i = 1; i < archives.size(); i++) {
            byte[] other = archives.get(i);
            assertThat(Arrays.mismatch(reference, other))
                    .as("first differing byte of variant %d (%d bytes) and variant 0 (%d bytes)", i, other.length, reference.length)
                    .isEqualTo(-1);
        }
    }

    /** Permissions and owners are not stored: every entry's external attributes are 0, and no extra fields. */
    static void assertZipHasNoPlatformAttributesOrExtraFields(Path archive) throws IOException {
        try (net.lingala.zip4j.ZipFile zip = new net.lingala.zip4j.ZipFile(archive.toFile())) {
            List<FileHeader> headers = zip.getFileHeaders();
            assertThat(headers).isNotEmpty();
            for (FileHeader header : headers) {
                assertThat(header.getExternalFileAttributes()).as(header.getFileName()).containsOnly(0);
                assertThat(header.getExtraFieldLength()).as(header.getFileName()).isZero();
                assertThat(header.getVersionMadeBy()).isEqualTo(headers.get(0).getVersionMadeBy());
            }
        }
    }

    // ---------------------------------------------------------------- the entry time

    @Test
    void packWhenTimestampDiffersThenBytesDifferOnlyThereAndTheSameTimestampGivesTheSameBytes(@TempDir Path tmp)
            throws IOException {
        Instant first = Instant.parse("2020-06-15T12:34:56Z");
        Instant second = Instant.parse("2021-01-02T03:04:06Z");
        byte[] a = packInProcess(tmp.resolve("a.jar"), first);
        byte[] b = packInProcess(tmp.resolve("b.jar"), first);
        byte[] c = packInProcess(tmp.resolve("c.jar"), second);
        byte[] d = packInProcess(tmp.resolve("d.jar"), null);

        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a).hasSameSizeAs(a);
        assertThat(entryTimes(tmp.resolve("a.jar"))).containsOnly(LocalDateTime.of(2020, 6, 15, 12, 34, 56));
        assertThat(entryTimes(tmp.resolve("c.jar"))).containsOnly(LocalDateTime.of(2021, 1, 2, 3, 4, 6));
        assertThat(d).isNotEqualTo(a).hasSameSizeAs(a);
        assertThat(entryTimes(tmp.resolve("d.jar"))).containsOnly(LocalDateTime.of(1980, 2, 1, 0, 0, 0));
    }

    @Test
    void packWhenSourceDateEpochIsSetThenItIsTheEntryTimeUnlessTimestampIsGiven(@TempDir Path tmp) throws Exception {
        Instant time = Instant.parse("2022-02-22T22:22:22Z");
        byte[] expected = packInProcess(tmp.resolve("expected.jar"), time);
        Files.createDirectories(tmp.resolve("env"));
        Files.createDirectories(tmp.resolve("both"));
        List<String> pack = List.of(jdkTool("java"), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", testClassPath(),
                "dev.hermetic.packer.cli.PackerCli", "pack", "--out", "out.jar", "--app", inputs.resolve("classes").toString(),
                "--lib", inputs.resolve("lib/alpha.jar").toString(), "--main-class", MAIN);
        List<String> withTimestamp = new ArrayList<>(pack);
        withTimestamp.addAll(List.of("--timestamp", time.toString()));
        TestFixtures.Child env = TestFixtures.Child.start(tmp.resolve("env"),
                Map.of("SOURCE_DATE_EPOCH", Long.toString(time.getEpochSecond())), pack);
        TestFixtures.Child both = TestFixtures.Child.start(tmp.resolve("both"),
                Map.of("SOURCE_DATE_EPOCH", "1600000000"), withTimestamp);

        for (TestFixtures.Child child : List.of(env, both)) {
            TestFixtures.Result result = child.await();
            assertThat(result.stderr()).isEmpty();
            assertThat(result.exit()).isZero();
        }
        assertThat(Files.readAllBytes(tmp.resolve("env/out.jar"))).isEqualTo(expected);
        assertThat(Files.readAllBytes(tmp.resolve("both/out.jar"))).isEqualTo(expected);
    }

    static byte[] packInProcess(Path out, Instant timestamp) throws IOException {
        PackOptions.Builder options = PackOptions.builder().out(out).mainClass(MAIN).addApp(inputs.resolve("classes"))
                .addLib(inputs.resolve("lib/alpha.jar"));
        if (timestamp != null) {
            options.timestamp(timestamp);
        }
        Packer.pack(options.build());
        return Files.readAllBytes(out);
    }

    /** The DOS date and time fields of every entry, as the JDK reads them (no time zone involved). */
    static List<LocalDateTime> entryTimes(Path archive) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            return Collections.list(zip.entries()).stream().map(ZipEntry::getTimeLocal).toList();
        }
    }
}
