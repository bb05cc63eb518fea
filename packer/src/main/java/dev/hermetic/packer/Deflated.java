package dev.hermetic.packer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;

/**
 * An application entry's bytes as they go into the zip: STORED (the bytes themselves) or DEFLATED (raw
 * deflate data, no zlib header), with the size and CRC-32 of the uncompressed bytes.
 *
 * <p>Deflating is done at one fixed level, {@link #LEVEL}, each entry on its own with a fresh
 * {@link Deflater}: the result depends only on the entry's bytes and the JDK's deflate implementation,
 * never on which thread ran it or in which order, which is what makes a pack on N threads
 * byte-identical to a pack on one.
 *
 * @param method STORED or DEFLATED
 * @param data   the bytes written to the zip: {@code size} bytes when STORED, deflate data when DEFLATED
 * @param size   the uncompressed size
 * @param crc32  the CRC-32 of the uncompressed bytes
 */
record Deflated(int method, byte[] data, long size, int crc32) {
    /** The deflate level: zlib's default, the one {@code jar} and Maven use. */
    static final int LEVEL = 6;

    /**
     * The manifest attribute that records how an archive's resources were compressed:
     * {@link #fingerprint()}. Written only by packs with {@code --compress-resources}; {@code --reuse}
     * copies compressed bytes only from an archive whose value equals this JDK's.
     */
    static final String ATTRIBUTE = "Hermetic-Resource-Compression";

    private static final class Fingerprint {
        static final String VALUE = compute();
    }

    /**
     * Deflates {@code bytes}, and keeps the result when it is smaller than the bytes themselves.
     *
     * @return the DEFLATED form when smaller, else the STORED one
     */
    static Deflated of(byte[] bytes) {
        byte[] deflated = deflate(bytes);
        return deflated.length < bytes.length
                ? new Deflated(ZipEntry.DEFLATED, deflated, bytes.length, crc32(bytes))
                : stored(bytes);
    }

    /** @return the STORED form: the bytes themselves */
    static Deflated stored(byte[] bytes) {
        return new Deflated(ZipEntry.STORED, bytes, bytes.length, crc32(bytes));
    }

    static int crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** Raw deflate data (no zlib header or trailer, as zip entries hold it) at {@link #LEVEL}. */
    static byte[] deflate(byte[] bytes) {
        Deflater deflater = new Deflater(LEVEL, true);
        try {
            deflater.setInput(bytes);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bytes.length / 2));
            byte[] buffer = new byte[Math.max(64, Math.min(bytes.length + 64, 1 << 16))];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /**
     * What identifies this JDK's deflate output at {@link #LEVEL}: the level and the CRC-32 of a fixed
     * 256 KiB probe deflated (varied text, so that matching and lazy evaluation take part). Two JDKs
     * whose zlib builds deflate differently (a bundled zlib of another version, a system zlib-ng) give
     * different values, and {@code --reuse} then copies nothing, so that a pack with {@code --reuse}
     * stays byte-identical to one without.
     */
    static String fingerprint() {
        return Fingerprint.VALUE;
    }

    private static String compute() {
        String[] words = {"hermetic", "archive", "class", "resource", "loader", "zip", "the", "a", "of", "deflate",
                "{", "}", "\n", "\"key\": ", "<entry name=\"", "\"/>", "0123", "λ", " ", "  ", ",", "=", "true"};
        StringBuilder probe = new StringBuilder();
        long seed = 0x2545F4914F6CDD1DL;
        while (probe.length() < 256 * 1024) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            probe.append(words[(int) ((seed >>> 33) % words.length)]);
            if ((seed & 0xF00) == 0) {
                probe.append(Long.toString(seed >>> 40, 36));
            }
        }
        byte[] deflated = deflate(probe.toString().getBytes(StandardCharsets.UTF_8));
        return String.format(Locale.ROOT, "deflate level %d, probe %08x", LEVEL, crc32(deflated));
    }
}
