package dev.hermetic.loader.archive;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hermetic.loader.LoaderSettings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Integrity} levels over a sealed archive whose bytes were changed in place after packing (the
 * central directory and the seal untouched, so the fast path serves it): {@code crc} refuses the entry,
 * {@code none} serves the changed bytes.
 */
class IntegrityTests {
    @TempDir
    Path dir;

    /** Fixture: a sealed archive with app/Main.class ("main bytes"), whose first data byte is then flipped in place. */
    private Path flipped() throws IOException {
        TestArchives.Packed packed = TestArchives.archive("app.Main").launcherManifest()
                .app("app/Main.class", "main bytes".getBytes(UTF_8))
                .write(dir.resolve("app.jar"));
        long offset = packed.entries().get(0).dataOffset();
        try (RandomAccessFile file = new RandomAccessFile(packed.path().toFile(), "rw")) {
            file.seek(offset);
            file.write('M');
        }
        return packed.path();
    }

    @Test
    void readWhenCrcAndBytesChangedInPlaceThenArchiveFormatExceptionNamingEntryAndOffset() throws IOException {
        Path path = flipped();
        try (Archive archive = Archive.open(path, Integrity.CRC)) {
            assertThat(archive.trustBound()).isTrue();
            IndexedEntry main = archive.find("app/Main.class");
            assertThatThrownBy(() -> archive.read(main))
                    .isInstanceOf(ArchiveFormatException.class)
                    .hasMessageStartingWith(path + ": HERMETIC-INF/classes/app/Main.class: CRC-32 of the 10 bytes read at offset "
                            + main.dataOffset() + " is ")
                    .hasMessageEndingWith(", the archive records " + Integer.toHexString(main.crc32())
                            + " (corrupt, or changed in place)");
        }
    }

    @Test
    void readWhenNoneAndBytesChangedInPlaceThenServesThem() throws IOException {
        try (Archive archive = Archive.open(flipped(), Integrity.NONE)) {
            assertThat(archive.read(archive.find("app/Main.class"))).isEqualTo("Main bytes".getBytes(UTF_8));
        }
    }

    @Test
    void openWhenNoLevelGivenThenCrcIsTheDefault() throws IOException {
        try (Archive archive = Archive.open(flipped())) {
            assertThat(archive.integrity()).isEqualTo(Integrity.CRC);
            assertThatThrownBy(() -> archive.read(archive.find("app/Main.class"))).isInstanceOf(ArchiveFormatException.class);
        }
    }

    @Test
    void parseWhenValuesAreGivenThenLevelsOrMessagesNamingTheAllowedOnes() {
        assertThat(Integrity.parse("none")).isEqualTo(Integrity.NONE);
        assertThat(Integrity.parse(" CRC ")).isEqualTo(Integrity.CRC);
        assertThatThrownBy(() -> Integrity.parse("digest")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dhermetic.verify=digest: not supported yet (the index has no per-entry SHA-256 section);"
                        + " expected none or crc");
        assertThatThrownBy(() -> Integrity.parse("md5")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dhermetic.verify=md5: expected none or crc");
    }

    @Test
    void loaderSettingsWhenHermeticVerifyIsSetThenCarriesTheLevel() {
        String old = System.getProperty("hermetic.verify");
        try {
            System.setProperty("hermetic.verify", "none");
            assertThat(LoaderSettings.fromSystem().verify()).isEqualTo(Integrity.NONE);
            System.clearProperty("hermetic.verify");
            assertThat(LoaderSettings.fromSystem().verify()).isEqualTo(Integrity.CRC);
        } finally {
            if (old != null) {
                System.setProperty("hermetic.verify", old);
            }
        }
    }
}
