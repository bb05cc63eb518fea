package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.sha256;
import static dev.hermetic.packer.TestFixtures.write;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveFormatException;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.loader.archive.Integrity;
import dev.hermetic.loader.archive.Module;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packer writes the index's digest section for every kind of archive, so that
 * {@code -Dhermetic.verify=digest} can check it: {@code --app} classes, classes it compiles itself, and
 * {@code --no-caches}. Each archive is packed from real files (sources written here, compiled by javac,
 * a jar written by {@code JarOutputStream}), read back whole under {@link Integrity#DIGEST}, then a byte
 * of a packed class is flipped in place and the read is refused.
 */
class PackerDigestTests {
    static final String MAIN = "com.example.Main";

    @TempDir
    Path tmp;

    Path src;
    Path lib;

    @BeforeEach
    void writeInputs() throws IOException {
        src = tmp.resolve("src");
        writeSource(src, MAIN, "package com.example;\npublic class Main { public static void main(String[] a) {"
                + " System.out.println(Util.text()); } }\n");
        writeSource(src, "com.example.Util", "package com.example;\nclass Util { static String text() { return \"digest\"; } }\n");
        write(src.resolve("com/example/app.properties"), "name=example\n".repeat(40));
        lib = jar().stored("org/lib/s.txt", "stored text").deflated("org/lib/d.txt", "deflated text ".repeat(50))
                .write(tmp.resolve("lib.jar"));
    }

    /** Reads every entry and every shipped source under {@code digest}: all there, all matching. */
    private static void assertDigestServesEverything(Path out) throws IOException {
        try (Archive archive = Archive.open(out, Integrity.DIGEST)) {
            assertThat(archive.trustBound()).isTrue();
            for (IndexedEntry entry : archive.entries()) {
                assertThat(archive.read(entry)).as(entry.name()).hasSize((int) entry.size());
            }
            for (Module module : archive.modules()) {
                byte[] source = archive.readSource(module);
                if (source != null) {
                    assertThat(sha256(source)).as(module.source()).isEqualTo(module.sourceSha256());
                }
            }
        }
    }

    /** Flips one bit of an application entry's first byte: {@code crc} and {@code digest} both refuse it. */
    private static void assertFlippedEntryIsRefused(Path out, String name) throws IOException {
        IndexedEntry entry;
        try (Archive archive = Archive.open(out)) {
            entry = archive.find(name);
        }
        try (RandomAccessFile file = new RandomAccessFile(out.toFile(), "rw")) {
            file.seek(entry.dataOffset());
            int b = file.read();
            file.seek(entry.dataOffset());
            file.write(b ^ 0x10);
        }
        try (Archive archive = Archive.open(out, Integrity.DIGEST)) {
            assertThatThrownBy(() -> archive.read(archive.find(name))).isInstanceOf(ArchiveFormatException.class)
                    .hasMessageStartingWith(out + ": HERMETIC-INF/classes/" + name + ": SHA-256 of the " + entry.size()
                            + " bytes read at offset " + entry.dataOffset() + " is ")
                    .hasMessageEndingWith(" (corrupt, or changed after packing)");
        }
    }

    @Test
    void packWhenAppClassesAndLibThenDigestServesEveryEntryAndRefusesAFlippedClass() throws IOException {
        Path classes = javac(src, tmp.resolve("classes"), List.of());
        Files.copy(src.resolve("com/example/app.properties"), classes.resolve("com/example/app.properties"));
        Path out = tmp.resolve("app.jar");

        Packer.pack(PackOptions.builder().out(out).mainClass(MAIN).addApp(classes).addLib(lib).build());

        assertDigestServesEverything(out);
        assertFlippedEntryIsRefused(out, "com/example/Main.class");
    }

    @Test
    void packWhenCompiledFromSourcesThenDigestServesEveryEntryAndSourceAndRefusesAFlippedClass() throws IOException {
        Path out = tmp.resolve("compiled.jar");

        Packer.pack(PackOptions.builder().out(out).mainClass(MAIN).addSources(src).addLib(lib).build());

        assertDigestServesEverything(out);
        try (Archive archive = Archive.open(out, Integrity.DIGEST)) {
            assertThat(archive.modules()).extracting(Module::hasSource).containsOnly(true);
        }
        assertFlippedEntryIsRefused(out, "com/example/Util.class");
    }

    @Test
    void packWhenNoCachesThenDigestServesResourcesAndSources() throws IOException {
        Path out = tmp.resolve("no-caches.jar");

        Packer.pack(PackOptions.builder().out(out).mainClass(MAIN).addSources(src).caches(false).build());

        assertDigestServesEverything(out);
        try (Archive archive = Archive.open(out, Integrity.DIGEST)) {
            assertThat(archive.find("com/example/Main.class")).isNull();
            assertThat(archive.modules()).hasSize(2);
        }
        assertFlippedEntryIsRefused(out, "com/example/app.properties");
    }

    @Test
    void packWhenResourcesAreCompressedThenDigestsAreOfTheInflatedBytes() throws IOException {
        Path out = tmp.resolve("compressed.jar");

        Packer.pack(PackOptions.builder().out(out).mainClass(MAIN).addSources(src).compressResources(true).build());

        assertDigestServesEverything(out);
        try (Archive archive = Archive.open(out, Integrity.DIGEST)) {
            assertThat(archive.read(archive.find("com/example/app.properties")))
                    .isEqualTo(Files.readAllBytes(src.resolve("com/example/app.properties")));
        }
    }
}
