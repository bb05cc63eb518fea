package dev.hermetic.packer.cli;

import static dev.hermetic.packer.TestFixtures.write;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static dev.hermetic.packer.cli.CliRun.NL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.loader.archive.ArchiveLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code packer explode}: the summary line, the exit codes and the one-line errors. */
class ExplodeCommandTests {
    @TempDir
    static Path inputs;

    static Path archive;

    @TempDir
    Path work;

    @BeforeAll
    static void pack() throws IOException {
        Path src = inputs.resolve("src");
        writeSource(src, "com.example.Main", "package com.example; public class Main { public static void main(String[] a) {} }\n");
        archive = inputs.resolve("app.jar");
        assertThat(CliRun.of("pack", "--out", archive.toString(), "--sources", src.toString(), "--main-class",
                "com.example.Main").exit()).isZero();
    }

    @Test
    void explodeWhenDirectoryIsNewThenWritesItAndPrintsOneSummaryLine() throws IOException {
        Path dir = work.resolve("exploded");

        CliRun result = CliRun.of("explode", archive.toString(), "--out", dir.toString());

        assertThat(result.err()).isEmpty();
        assertThat(result.exit()).isZero();
        long files;
        long bytes;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).count();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            bytes = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(result.out()).isEqualTo("exploded " + archive + " to " + dir + ": " + files + " files, " + bytes
                + " bytes" + NL);
        assertThat(dir.resolve(ArchiveLayout.INDEX)).isRegularFile();
        assertThat(dir.resolve("HERMETIC-INF/sources/com/example/Main.java")).isRegularFile();
    }

    @Test
    void explodeWhenDirectoryIsNotEmptyThenExitsOneWithOneLineNamingIt() throws IOException {
        Path dir = Files.createDirectory(work.resolve("full"));
        write(dir.resolve("keep.txt"), "keep\n");

        CliRun result = CliRun.of("explode", archive.toString(), "--out", dir.toString());

        assertThat(result.err()).isEqualTo("packer: " + dir + ": --out: exists and is not empty; explode writes a new "
                + "directory" + NL);
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void explodeWhenFileIsNotAnArchiveThenExitsOneWithOneLineNamingIt() throws IOException {
        Path text = write(work.resolve("notes.txt"), "just text, not a jar; long enough to hold an end record\n");

        CliRun result = CliRun.of("explode", text.toString(), "--out", work.resolve("x").toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("packer: " + text + ": ").hasLineCount(1);
        assertThat(work.resolve("x")).doesNotExist();
    }

    @Test
    void explodeWhenOutIsNotGivenThenExitsTwoWithOneLine() {
        CliRun result = CliRun.of("explode", archive.toString());

        assertThat(result.err()).isEqualTo("packer: Missing required option: '--out=DIR' (see 'packer explode --help')" + NL);
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
    }
}
