package dev.hermetic.loader.archive;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sealing a written zip ({@link SealWriter#write}): every entry's time fields are stamped, in the local
 * headers and the central directory, nothing else changes but the comment, and the seal describes the
 * result. Fixtures are {@link RawZip}s (every time field 0x28210000) with the seal placeholder as their
 * comment; no entry's data holds a header signature, so the tests find the headers by their signatures.
 */
class SealWriterTests {
    /** 2024-02-29T13:45:58Z: DOS date 44-2-29, time 13:45:29 (two-second units). */
    private static final Instant TIME = Instant.parse("2024-02-29T13:45:58Z");
    private static final int DOS_TIME = 44 << 25 | 2 << 21 | 29 << 16 | 13 << 11 | 45 << 5 | 29;

    @TempDir
    Path dir;

    /** a.txt and b.txt share a window; big.bin's data puts c.txt's header a window beyond big.bin's. */
    private static RawZip fourEntries() {
        RawZip zip = new RawZip().stored("a.txt", "alpha").stored("b.txt", "beta")
                .stored("big.bin", "0123456789abcdef".repeat(SealWriter.WINDOW / 16)).stored("c.txt", "gamma");
        zip.comment = SealWriter.placeholder().getBytes(ISO_8859_1);
        return zip;
    }

    @Test
    void writeWhenHeadersLieWithinAndBeyondAWindowThenOnlyTimesAndCommentChange() throws IOException {
        byte[] before = fourEntries().toBytes();
        Path file = Files.write(dir.resolve("four.zip"), before);

        SealWriter.write(file, 0, 16, TIME);

        byte[] after = Files.readAllBytes(file);
        assertStamped(before, after, 0);
    }

    @Test
    void writeWhenTheZipLiesBeyond2GiBInTheFileThenItsHeadersAreStamped() throws IOException {
        // fixture: a sparse file of 3 GiB of nothing (a hole on Linux and macOS file systems), then the zip,
        // its offsets left as they were: a prefix, as `cat` makes, so every header lies past 2^31
        long prefix = 3L << 30;
        byte[] zip = fourEntries().toBytes();
        Path file = dir.resolve("far.zip");
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.seek(prefix);
            out.write(zip);
        }

        SealWriter.write(file, prefix, 16, TIME);

        byte[] after = new byte[zip.length];
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(prefix);
            in.readFully(after);
        }
        assertStamped(zip, after, prefix);
    }

    /**
     * Asserts that {@code after} is {@code before} with every time field set to {@link #DOS_TIME} and a
     * seal in the comment that describes the zip, which starts {@code base} bytes into its file.
     */
    private static void assertStamped(byte[] before, byte[] after, long base) {
        List<Integer> locals = positionsOf(before, CentralDirectory.LOCAL_SIGNATURE);
        List<Integer> centrals = positionsOf(before, CentralDirectory.SIGNATURE);
        assertThat(locals).hasSize(4);
        assertThat(centrals).hasSize(4);
        ByteBuffer expected = ByteBuffer.wrap(before.clone()).order(ByteOrder.LITTLE_ENDIAN);
        locals.forEach(at -> expected.putInt(at + CentralDirectory.LOCAL_TIME, DOS_TIME));
        centrals.forEach(at -> expected.putInt(at + CentralDirectory.CENTRAL_TIME, DOS_TIME));
        int commentAt = before.length - Seal.LENGTH;
        assertThat(Arrays.copyOf(after, commentAt)).isEqualTo(Arrays.copyOf(expected.array(), commentAt));

        Seal seal = Seal.parse(Arrays.copyOfRange(after, commentAt, after.length));
        int centralAt = centrals.get(0);
        int centralSize = commentAt - 22 - centralAt;
        CRC32 crc = new CRC32();
        crc.update(after, centralAt, centralSize);
        assertThat(seal.indexOffset()).isEqualTo(base);
        assertThat(seal.indexLength()).isEqualTo(16);
        assertThat(seal.centralOffset()).isEqualTo(base + centralAt);
        assertThat(seal.centralSize()).isEqualTo(centralSize);
        assertThat(seal.centralCrc()).isEqualTo((int) crc.getValue());
        assertThat(seal.indexSha256()).isEqualTo(TestArchives.sha256(Arrays.copyOf(after, 16)));
    }

    private static List<Integer> positionsOf(byte[] bytes, int signature) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> found = new ArrayList<>();
        for (int at = 0; at + 4 <= bytes.length; at++) {
            if (b.getInt(at) == signature) {
                found.add(at);
            }
        }
        return found;
    }
}
