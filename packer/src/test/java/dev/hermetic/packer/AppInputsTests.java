package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AppInputs}: inputs are listed when opened and read when asked for, a jar entry whole whatever
 * size its central directory declares. The jars with a wrong declared size are made by the JDK's
 * {@code JarOutputStream} and then patched: the uncompressed size field (offset 24) of the entry's
 * central directory header.
 */
class AppInputsTests {
    @TempDir
    Path tmp;

    private static final String TEXT = "the whole text, " + "and more of it ".repeat(40);

    /** A jar with {@code a.txt} (DEFLATED, {@link #TEXT}), whose central directory declares {@code declared} bytes. */
    private Path jarDeclaring(int declared) throws IOException {
        Path jar = jar().deflated("a.txt", TEXT).write(tmp.resolve("declares-" + declared + ".jar"));
        byte[] bytes = Files.readAllBytes(jar);
        ByteBuffer zip = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = bytes.length - 22; at >= 0; at--) {
            if (zip.getInt(at) == 0x02014b50) { // the only central directory header
                zip.putInt(at + 24, declared);
                return Files.write(jar, bytes);
            }
        }
        throw new AssertionError("no central directory header");
    }

    @Test
    void readWhenAnEntryDeclaresFewerOrMoreBytesThanItHoldsThenReadsThemAll() throws IOException {
        byte[] text = TEXT.getBytes(StandardCharsets.UTF_8);
        for (int declared : List.of(0, 5, text.length - 1, text.length, text.length + 1, 100_000)) {
            try (AppInputs inputs = AppInputs.open(List.of(jarDeclaring(declared)))) {
                InputFile file = inputs.files().get("a.txt");
                assertThat(file.size()).isEqualTo(declared);
                assertThat(file.read()).as("declared %d", declared).isEqualTo(text);
            }
        }
    }

    @Test
    void openWhenInputsAreListedThenNoFileIsReadUntilAskedFor() throws IOException {
        Path classes = tmp.resolve("classes");
        Path file = write(classes.resolve("p/data.txt"), "first");
        try (AppInputs inputs = AppInputs.open(List.of(classes))) {
            Files.writeString(file, "second, longer");
            assertThat(inputs.files().keySet()).containsExactly("p/", "p/data.txt");
            assertThat(inputs.files().get("p/data.txt").size()).isEqualTo(5);
            assertThat(inputs.files().get("p/data.txt").read()).asString(StandardCharsets.UTF_8).isEqualTo("second, longer");
        }
    }

    @Test
    void readWhenAFileVanishedAfterListingThenFailsNamingItsInputAndTheFile() throws IOException {
        Path classes = tmp.resolve("classes");
        Path file = write(classes.resolve("p/data.txt"), "first");
        try (AppInputs inputs = AppInputs.open(List.of(classes))) {
            Files.delete(file);
            assertThatThrownBy(() -> inputs.files().get("p/data.txt").read())
                    .isExactlyInstanceOf(PackException.class)
                    .hasMessage(classes + ": cannot read p/data.txt: java.nio.file.NoSuchFileException: " + file);
        }
    }

    @Test
    void openWhenTheJarsManifestIsCorruptThenFailsNamingTheJarAndTheManifest() throws IOException {
        Path jar = jar().deflated("META-INF/MANIFEST.MF", TEXT).write(tmp.resolve("corrupt-manifest.jar"));
        corruptFirstEntry(jar);

        assertThatThrownBy(() -> AppInputs.open(List.of(jar)))
                .isExactlyInstanceOf(PackException.class)
                .hasMessage(jar + ": cannot read META-INF/MANIFEST.MF: java.util.zip.ZipException: invalid block type");
    }

    /** Makes the first entry's deflate data start with a reserved block type. */
    private static void corruptFirstEntry(Path jar) throws IOException {
        byte[] bytes = Files.readAllBytes(jar);
        ByteBuffer zip = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int data = 30 + zip.getShort(26) + zip.getShort(28); // the local header, then the deflate data
        bytes[data] = (byte) 0xFF;
        Files.write(jar, bytes);
    }

    @Test
    void readWhenAJarEntryIsCorruptThenFailsNamingTheJarAndTheEntry() throws IOException {
        Path jar = jar().deflated("a.txt", TEXT).write(tmp.resolve("corrupt.jar"));
        corruptFirstEntry(jar);
        try (AppInputs inputs = AppInputs.open(List.of(jar))) {
            assertThatThrownBy(() -> inputs.files().get("a.txt").read())
                    .isExactlyInstanceOf(PackException.class)
                    .hasMessage(jar + ": cannot read a.txt: java.util.zip.ZipException: invalid block type");
        }
    }
}
