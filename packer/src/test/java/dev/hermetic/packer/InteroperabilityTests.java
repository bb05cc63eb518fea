package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.jdkTool;
import static dev.hermetic.packer.TestFixtures.write;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.IndexedEntry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import net.lingala.zip4j.model.FileHeader;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §3: a packed archive is a standard zip. One archive with application classes, resources,
 * shipped sources and nested jars, with names holding spaces, accents, CJK and a character outside the
 * Basic Multilingual Plane, is read by the JDK's {@link ZipFile}, {@link JarFile} and
 * {@link ZipInputStream}, by the JDK's {@code jar} tool in a child process, by Zip4j and by Commons
 * Compress: all list the same entries in the same order and read the same bytes, which are the inputs'.
 */
class InteroperabilityTests {
    static final String MAIN = "com.example.Main";

    @TempDir
    static Path tmp;

    static Path archive;
    /** What each entry must hold, by archive entry name, in the order the packer writes them. */
    static Map<String, byte[]> expected;

    @BeforeAll
    static void pack() throws IOException {
        Path src = tmp.resolve("src");
        writeSource(src, MAIN, """
                package com.example;

                public class Main {
                    public static void main(String[] args) {
                        System.out.println(new Inner() + " ✓");
                    }

                    static final class Inner {
                    }
                }
                """);
        Path classes = javac(src, tmp.resolve("classes"), List.of());
        write(classes.resolve("docs/read me.txt"), "a resource with a space\n");
        byte[] binary = new byte[4096];
        new Random(42).nextBytes(binary);
        Path resources = jar()
                .deflated("i18n/grüße ✓.properties", "greeting=Grüße ✓\n")
                .stored("日本語/", new byte[0])
                .stored("日本語/データ.bin", binary)
                .deflated("emoji/\uD83D\uDE42 smile.txt", "smile\n")
                .write(tmp.resolve("resources 1.0.jar"));
        Path spaced = jar().mainClass("org.lib.Nothing")
                .deflated("org/lib/deflated text.txt", "deflated ".repeat(200))
                .stored("org/lib/stored.bin", binary)
                .deflated("données/été.txt", "été\n")
                .write(tmp.resolve("my lib 1.0.jar"));
        Path accented = jar().stored("bib/a.txt", "a\n").write(tmp.resolve("bibliothèque-✓.jar"));
        archive = tmp.resolve("packed app.jar");

        Packer.pack(PackOptions.builder().out(archive).mainClass(MAIN).addApp(classes).addApp(resources)
                .addSources(src).addLib(spaced).addLib(accented).build());

        expected = new LinkedHashMap<>();
        expected.put("META-INF/", null);
        expected.put("META-INF/MANIFEST.MF", null);
        // third, where a launch looks for it; its content is LauncherClassLoaderTests' and PackerTests' concern
        expected.put(ArchiveLayout.LAUNCHER_CLASSES, null);
        // The launcher's front and its service registration, in name order.
        Map<String, byte[]> launcher = new TreeMap<>();
        for (String name : ArchiveLayout.LAUNCHER_FRONT) {
            launcher.put(name, null);
        }
        launcher.put("META-INF/services/java.net.spi.URLStreamHandlerProvider",
                "dev.hermetic.loader.HermeticUrlStreamHandlerProvider\n".getBytes(StandardCharsets.UTF_8));
        expected.putAll(launcher);
        expected.put("HERMETIC-INF/sources/com/example/Main.java", Files.readAllBytes(src.resolve("com/example/Main.java")));
        Map<String, byte[]> app = new TreeMap<>();
        for (String name : TestFixtures.classPathNames(classes)) {
            app.put(name, name.endsWith("/") ? new byte[0] : Files.readAllBytes(classes.resolve(name)));
        }
        try (ZipFile jar = new ZipFile(resources.toFile())) {
            for (ZipEntry e : Collections.list(jar.entries())) {
                try (InputStream in = jar.getInputStream(e)) {
                    app.put(e.getName(), in.readAllBytes());
                }
            }
        }
        app.forEach((name, bytes) -> expected.put("HERMETIC-INF/classes/" + name, bytes));
        expected.put("HERMETIC-INF/lib/my lib 1.0.jar", Files.readAllBytes(spaced));
        expected.put("HERMETIC-INF/lib/bibliothèque-✓.jar", Files.readAllBytes(accented));
        expected.put("HERMETIC-INF/index", null);
    }

    static void assertSameEntries(String reader, List<String> names, Map<String, byte[]> contents) {
        assertThat(names).as("%s: names in order", reader).containsExactlyElementsOf(expected.keySet());
        assertThat(contents.keySet()).as(reader).containsExactlyElementsOf(expected.keySet());
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            if (e.getValue() != null) {
                assertThat(contents.get(e.getKey())).as("%s: %s", reader, e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void zipFileWhenReadingAPackedArchiveThenItListsAndReadsEveryEntry() throws IOException {
        List<String> names = new ArrayList<>();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                names.add(e.getName());
                try (InputStream in = zip.getInputStream(e)) {
                    contents.put(e.getName(), in.readAllBytes());
                }
                assertThat(e.getMethod()).as(e.getName()).isEqualTo(ZipEntry.STORED);
            }
            assertThat(zip.getComment()).startsWith("hermetic-seal/3 ");
        }
        assertSameEntries("ZipFile", names, contents);
    }

    @Test
    void jarFileWhenReadingAPackedArchiveThenItListsAndReadsEveryEntryAndTheLauncherManifest() throws IOException {
        List<String> names = new ArrayList<>();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try (JarFile jar = new JarFile(archive.toFile(), true)) {
            for (JarEntry e : Collections.list(jar.entries())) {
                names.add(e.getName());
                try (InputStream in = jar.getInputStream(e)) {
                    contents.put(e.getName(), in.readAllBytes());
                }
            }
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue(Attributes.Name.MANIFEST_VERSION)).isEqualTo("1.0");
            assertThat(main.getValue(Attributes.Name.MAIN_CLASS)).isEqualTo("dev.hermetic.loader.Launcher");
            assertThat(main.getValue("Start-Class")).isEqualTo(MAIN);
        }
        assertSameEntries("JarFile", names, contents);
    }

    @Test
    void zipInputStreamWhenStreamingAPackedArchiveThenLocalHeadersAgreeWithTheCentralDirectory() throws IOException {
        List<String> names = new ArrayList<>();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(archive), StandardCharsets.UTF_8)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
                contents.put(e.getName(), in.readAllBytes());
            }
        }
        assertSameEntries("ZipInputStream", names, contents);
    }

    @Test
    void jarToolWhenListingAPackedArchiveThenItListsEveryEntryInOrder() throws Exception {
        TestFixtures.Result result = TestFixtures.run(tmp, List.of(jdkTool("jar"),
                "-J-Dsun.stdout.encoding=UTF-8", "-J-Dfile.encoding=UTF-8", "tf", archive.toString()));

        assertThat(result.stderr()).isEmpty();
        assertThat(result.exit()).isZero();
        assertThat(result.stdout().lines().toList()).containsExactlyElementsOf(expected.keySet());
    }

    @Test
    void zip4jWhenReadingAPackedArchiveThenItListsAndReadsEveryEntry() throws IOException {
        List<String> names = new ArrayList<>();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try (net.lingala.zip4j.ZipFile zip = new net.lingala.zip4j.ZipFile(archive.toFile())) {
            assertThat(zip.isValidZipFile()).isTrue();
            for (FileHeader header : zip.getFileHeaders()) {
                names.add(header.getFileName());
                try (InputStream in = zip.getInputStream(header)) {
                    contents.put(header.getFileName(), in.readAllBytes());
                }
            }
        }
        assertSameEntries("Zip4j", names, contents);
    }

    @Test
    void commonsCompressWhenReadingAPackedArchiveThenItListsAndReadsEveryEntry() throws IOException {
        List<String> names = new ArrayList<>();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try (org.apache.commons.compress.archivers.zip.ZipFile zip =
                     org.apache.commons.compress.archivers.zip.ZipFile.builder().setPath(archive).get()) {
            for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
                names.add(e.getName());
                try (InputStream in = zip.getInputStream(e)) {
                    contents.put(e.getName(), in.readAllBytes());
                }
            }
        }
        assertSameEntries("Commons Compress", names, contents);
    }

    @Test
    void archiveWhenReadingNonAsciiNamesThroughTheIndexThenBytesAreTheInputs() throws IOException {
        try (Archive packed = Archive.open(archive)) {
            for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                if (e.getKey().startsWith("HERMETIC-INF/classes/")) {
                    IndexedEntry entry = packed.find(e.getKey().substring("HERMETIC-INF/classes/".length()));
                    assertThat(entry).as(e.getKey()).isNotNull();
                    assertThat(packed.read(entry)).as(e.getKey()).isEqualTo(e.getValue());
                }
            }
            assertThat(packed.read(packed.find("données/été.txt"))).isEqualTo("été\n".getBytes(StandardCharsets.UTF_8));
            assertThat(packed.describe(packed.find("bib/a.txt"))).isEqualTo("HERMETIC-INF/lib/bibliothèque-✓.jar!/bib/a.txt");
            assertThat(packed.read(packed.find("org/lib/deflated text.txt")))
                    .isEqualTo("deflated ".repeat(200).getBytes(StandardCharsets.UTF_8));
        }
    }
}
