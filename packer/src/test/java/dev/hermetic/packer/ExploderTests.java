package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.jdkTool;
import static dev.hermetic.packer.TestFixtures.write;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.loader.archive.ValidationMode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Exploder#explode}: the exploded directory has exactly the archive's entries as files with the
 * same bytes (nested jars and the index included), the documented times, and is written atomically; it
 * refuses what it must. Archives are packed from real sources and a real jar; the ones no pack makes are
 * made by hand ({@link HandMadeArchive}).
 */
class ExploderTests {
    static final String MAIN = "com.example.Main";
    /** An odd second: the entries' DOS times hold it rounded down to an even one. */
    static final Instant TIMESTAMP = Instant.parse("2024-03-05T06:07:09Z");
    static final FileTime ENTRY_TIME = FileTime.from(Instant.parse("2024-03-05T06:07:08Z"));

    @TempDir
    Path tmp;

    Path archive;
    Path lib;

    @BeforeEach
    void pack() throws IOException {
        Path src = tmp.resolve("src");
        writeSource(src, MAIN, """
                package com.example;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        System.out.println("hello " + String.join(",", args) + " " + Lib.text()
                                + " " + new String(Main.class.getResourceAsStream("app.properties").readAllBytes()).trim());
                    }
                }
                """);
        write(src.resolve("com/example/app.properties"), "name=example\n");
        Path libSrc = tmp.resolve("lib-src");
        writeSource(libSrc, "com.example.Lib", """
                package com.example;

                public final class Lib {
                    public static String text() {
                        return "from the lib";
                    }
                }
                """);
        Path libClasses = TestFixtures.javac(libSrc, tmp.resolve("lib-classes"), List.of());
        lib = jar().tree(libClasses, false).deflated("lib.txt", "deflated inside the nested jar\n").write(tmp.resolve("lib.jar"));
        archive = tmp.resolve("app.jar");
        Packer.pack(PackOptions.builder().out(archive).mainClass(MAIN).addSources(src).addLib(lib)
                .validation(ValidationMode.TIMESTAMP).timestamp(TIMESTAMP).build());
    }

    @Test
    void explodeWhenArchiveThenEveryEntryIsAFileWithTheSameBytesAndNothingElseIsThere() throws IOException {
        Path dir = tmp.resolve("exploded");

        ExplodeResult result = Exploder.explode(archive, dir);

        TreeMap<String, byte[]> expected = new TreeMap<>();
        List<String> directories = new ArrayList<>();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (entry.isDirectory()) {
                    directories.add(entry.getName());
                } else {
                    try (InputStream in = zip.getInputStream(entry)) {
                        expected.put(entry.getName(), in.readAllBytes());
                    }
                }
            }
        }
        assertThat(expected).containsKeys("META-INF/MANIFEST.MF", "dev/hermetic/loader/Launcher.class",
                "HERMETIC-INF/classes/com/example/Main.class", "HERMETIC-INF/classes/com/example/app.properties",
                "HERMETIC-INF/sources/com/example/Main.java", "HERMETIC-INF/lib/lib.jar", ArchiveLayout.INDEX);
        assertThat(files(dir)).containsExactlyElementsOf(expected.keySet());
        for (String name : expected.keySet()) {
            assertThat(Files.readAllBytes(dir.resolve(name))).as(name).isEqualTo(expected.get(name));
        }
        for (String name : directories) {
            assertThat(dir.resolve(name)).isDirectory();
        }
        assertThat(result).isEqualTo(new ExplodeResult(dir, expected.size(),
                expected.values().stream().mapToLong(b -> b.length).sum()));
    }

    @Test
    void explodeWhenArchiveThenTheNestedJarAndTheIndexAreByteIdentical() throws IOException {
        Path dir = Exploder.explode(archive, tmp.resolve("exploded")).directory();

        assertThat(Files.readAllBytes(dir.resolve("HERMETIC-INF/lib/lib.jar"))).isEqualTo(Files.readAllBytes(lib));
        // the index: the bytes the seal in the archive comment locates, read through the loader
        try (Archive packed = Archive.open(archive); Archive exploded = Archive.open(dir)) {
            assertThat(exploded.exploded()).isTrue();
            assertThat(exploded.indexSize()).isEqualTo(packed.indexSize())
                    .isEqualTo((int) Files.size(dir.resolve(ArchiveLayout.INDEX)));
            assertThat(exploded.modules()).isEqualTo(packed.modules());
            assertThat(exploded.containers()).isEqualTo(packed.containers());
            assertThat(exploded.mainClass()).isEqualTo(MAIN);
        }
    }

    @Test
    void explodeWhenArchiveThenSourcesHaveTheRecordedSourceTimeAndEverythingElseTheEntryTime() throws IOException {
        Path dir = Exploder.explode(archive, tmp.resolve("exploded")).directory();

        try (Archive packed = Archive.open(archive)) {
            Module main = packed.modules().get(0);
            assertThat(main.source()).isEqualTo("com/example/Main.java");
            assertThat(Files.getLastModifiedTime(dir.resolve("HERMETIC-INF/sources/com/example/Main.java")))
                    .isEqualTo(FileTime.fromMillis(main.sourceTime())).isEqualTo(ENTRY_TIME);
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.toList()) {
                assertThat(Files.getLastModifiedTime(path)).as(dir.relativize(path).toString()).isEqualTo(ENTRY_TIME);
            }
        }
    }

    @Test
    void explodeWhenTheRecordedSourceTimeIsNotTheEntryTimeThenTheSourceGetsTheRecordedOne() throws IOException {
        byte[] source = "class A {}\n".getBytes(StandardCharsets.UTF_8);
        Instant sourceTime = Instant.parse("2001-02-03T04:05:06.789Z");
        Path handMade = new HandMadeArchive().timestamp(TIMESTAMP)
                .module("A.java", source, source, ValidationMode.TIMESTAMP, sourceTime.toEpochMilli(), 0, "", null, null)
                .write(tmp.resolve("hand-made.jar"));

        Path dir = Exploder.explode(handMade, tmp.resolve("exploded")).directory();

        assertThat(Files.getLastModifiedTime(dir.resolve("HERMETIC-INF/sources/A.java"))).isEqualTo(FileTime.from(sourceTime));
        assertThat(Files.getLastModifiedTime(dir.resolve("META-INF/MANIFEST.MF"))).isEqualTo(ENTRY_TIME);
    }

    @Test
    void explodeWhenDirectoryExistsEmptyThenItIsFilled() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("empty"));

        Exploder.explode(archive, dir);

        assertThat(dir.resolve(ArchiveLayout.INDEX)).isRegularFile();
        assertThat(siblings()).containsExactlyInAnyOrder("app.jar", "empty", "lib-classes", "lib-src", "lib.jar", "src");
    }

    @Test
    void explodeWhenDirectoryIsNotEmptyThenFailsSayingSoAndLeavesItAndNoTemporaryDirectory() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("full"));
        write(dir.resolve("keep.txt"), "keep\n");

        assertThatThrownBy(() -> Exploder.explode(archive, dir))
                .isExactlyInstanceOf(PackException.class)
                .hasMessage(dir + ": --out: exists and is not empty; explode writes a new directory");

        assertThat(files(dir)).containsExactly("keep.txt");
        assertThat(siblings()).noneMatch(n -> n.contains(".tmp-"));
    }

    @Test
    void explodeWhenOutIsAFileThenFailsSayingSo() throws IOException {
        Path file = write(tmp.resolve("file"), "x");

        assertThatThrownBy(() -> Exploder.explode(archive, file))
                .isExactlyInstanceOf(PackException.class)
                .hasMessage(file + ": --out: exists and is not a directory");
    }

    @Test
    void explodeWhenParentDirectoryIsMissingThenFailsNamingIt() {
        Path dir = tmp.resolve("missing/exploded");

        assertThatThrownBy(() -> Exploder.explode(archive, dir))
                .isExactlyInstanceOf(PackException.class)
                .hasMessage(dir + ": --out: directory " + tmp.resolve("missing") + " does not exist");
    }

    @Test
    void explodeWhenArchiveIsAPlainJarThenFailsSayingItIsNotAHermeticArchiveAndWritesNothing() throws IOException {
        Path dir = tmp.resolve("exploded");

        assertThatThrownBy(() -> Exploder.explode(lib, dir))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(lib + ": not a Hermetic archive");

        assertThat(dir).doesNotExist();
        assertThat(siblings()).noneMatch(n -> n.contains(".tmp-"));
    }

    @Test
    void explodeWhenArchiveIsMissingOrADirectoryThenFailsNamingIt() {
        Path missing = tmp.resolve("missing.jar");
        assertThatThrownBy(() -> Exploder.explode(missing, tmp.resolve("a")))
                .isExactlyInstanceOf(PackException.class).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> Exploder.explode(tmp.resolve("src"), tmp.resolve("b")))
                .isExactlyInstanceOf(PackException.class)
                .hasMessage(tmp.resolve("src") + ": is a directory (already exploded?); explode reads a packed archive");
    }

    @Test
    void explodeWhenAnEntryNameWouldEscapeTheDirectoryThenFailsNamingItAndWritesNothingOutside() throws IOException {
        byte[] source = "class A {}\n".getBytes(StandardCharsets.UTF_8);
        for (String name : List.of("../escaped.txt", "HERMETIC-INF/../../escaped.txt", "/tmp/escaped.txt")) {
            Path hostile = new HandMadeArchive().entry(name, "escaped\n".getBytes(StandardCharsets.UTF_8))
                    .module("A.java", source, source, ValidationMode.TRUSTED, 0, 0, "", null, null)
                    .write(tmp.resolve("hostile.jar"));
            Path dir = tmp.resolve("exploded");

            assertThatThrownBy(() -> Exploder.explode(hostile, dir))
                    .isExactlyInstanceOf(PackException.class)
                    .hasMessage(hostile + ": entry '" + name + "' is not a safe relative file name");

            assertThat(dir).doesNotExist();
            assertThat(tmp.resolve("escaped.txt")).doesNotExist();
            assertThat(siblings()).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    @Test
    void javaCpWhenLaunchingTheExplodedDirectoryThenOutputIsThatOfJavaJar() throws Exception {
        Path dir = Exploder.explode(archive, tmp.resolve("exploded")).directory();

        TestFixtures.Result packed = TestFixtures.run(tmp, List.of(jdkTool("java"), "-jar", archive.toString(), "a", "b"));
        TestFixtures.Result exploded = TestFixtures.run(tmp, List.of(jdkTool("java"), "-cp", dir.toString(),
                "dev.hermetic.loader.Launcher", "a", "b"));

        assertThat(packed.stdout()).isEqualTo("hello a,b from the lib name=example" + System.lineSeparator());
        assertThat(exploded).isEqualTo(packed);
    }

    /** The regular files below a directory, as /-separated names in name order. */
    static List<String> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    List<String> siblings() throws IOException {
        try (Stream<Path> list = Files.list(tmp)) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }
}
