package dev.hermetic.loader.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The archive comment that locates the index and binds its trust flags to the archive as packed:
 *
 * <pre>
 * hermetic-seal/3 index=OFFSET+LENGTH cd=OFFSET+SIZE crc32=CRC sha256=INDEX-SHA-256
 * </pre>
 *
 * with fixed-width lower-case hex numbers, so the packer can write a placeholder of the final length
 * and fill it in once the central directory exists. The seal lives in the comment, after the central
 * directory, because the index cannot contain a checksum of the central directory that lists it.
 * It detects edits by zip tools (which rewrite the central directory) in two steps: at open, in
 * constant time, that the central directory is where and as long as it was ({@link #locates}: an
 * entry added, removed or resized moves or resizes it); at the first trust decision that depends on
 * it, the central directory's CRC-32 ({@link #centralMatches}: an entry replaced in place by one of
 * the same size). The index's SHA-256, checked at open under {@code -Dhermetic.verify=digest} only,
 * also detects an index edited on purpose with its CRCs and the seal's CRC-32 recomputed (a trust
 * flag changed without re-packing); a forger who recomputes that SHA-256 too is not detected.
 *
 * @param indexOffset   where the index entry's bytes start
 * @param indexLength   the index entry's length
 * @param centralOffset where the central directory starts
 * @param centralSize   the central directory's size
 * @param centralCrc    CRC-32 of the central directory's bytes
 * @param indexSha256   SHA-256 of the index entry's bytes
 */
record Seal(long indexOffset, int indexLength, long centralOffset, long centralSize, int centralCrc, byte[] indexSha256) {
    private static final String PREFIX = "hermetic-seal/3 index=";
    /**
     * The length of every seal, placeholder included: the prefix, 16 + 8 + 16 + 16 + 8 + 64 hex digits and
     * 21 characters between them. A constant, so that locating the seal at open formats nothing (parsing it
     * formats it once, to check that it reads back the same).
     */
    static final int LENGTH = 22 + 128 + 21;

    static String placeholder() {
        return new Seal(0, 0, 0, 0, 0, new byte[IndexLayout.DIGEST_SIZE]).toComment();
    }

    /**
     * Formats by hand, on the launch path (parsing formats back): {@code String.format} costs milliseconds
     * the first time, and {@link Sha256#hex}'s {@code HexFormat} is a class more before every {@code main}.
     */
    String toComment() {
        StringBuilder comment = new StringBuilder(PREFIX.length() + 150).append(PREFIX);
        hex(comment, indexOffset, 16).append('+');
        hex(comment, Integer.toUnsignedLong(indexLength), 8).append(" cd=");
        hex(comment, centralOffset, 16).append('+');
        hex(comment, centralSize, 16).append(" crc32=");
        hex(comment, Integer.toUnsignedLong(centralCrc), 8).append(" sha256=");
        for (byte b : indexSha256) {
            comment.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return comment.toString();
    }

    private static StringBuilder hex(StringBuilder to, long value, int digits) {
        String hex = Long.toHexString(value);
        for (int i = hex.length(); i < digits; i++) {
            to.append('0');
        }
        return to.append(hex);
    }

    /** @return the seal in this comment, or null when the comment is not a seal */
    static Seal parse(byte[] comment) {
        String text = new String(comment, StandardCharsets.ISO_8859_1);
        if (text.length() != LENGTH || !text.startsWith(PREFIX)) {
            return null;
        }
        try {
            int at = PREFIX.length();
            long indexOffset = Long.parseUnsignedLong(text, at, at + 16, 16);
            int indexLength = Integer.parseUnsignedInt(text, at + 17, at + 25, 16);
            long centralOffset = Long.parseUnsignedLong(text, at + 29, at + 45, 16);
            long centralSize = Long.parseUnsignedLong(text, at + 46, at + 62, 16);
            int crc = Integer.parseUnsignedInt(text, at + 69, at + 77, 16);
            byte[] sha = new byte[IndexLayout.DIGEST_SIZE];
            for (int i = 0; i < sha.length; i++) {
                int hi = Character.digit(text.charAt(at + 85 + 2 * i), 16);
                int lo = Character.digit(text.charAt(at + 86 + 2 * i), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                sha[i] = (byte) (hi << 4 | lo);
            }
            Seal seal = new Seal(indexOffset, indexLength, centralOffset, centralSize, crc, sha);
            return seal.toComment().equals(text) ? seal : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** CRC-32 of the central directory, read in chunks. */
    static int centralCrc(FileBlock file, EndRecord end) throws IOException {
        CRC32 crc = new CRC32();
        byte[] chunk = new byte[(int) Math.min(end.centralSize(), 1 << 16)];
        for (long done = 0; done < end.centralSize(); ) {
            int count = (int) Math.min(chunk.length, end.centralSize() - done);
            file.read(end.centralOffset() + done, chunk, 0, count);
            crc.update(chunk, 0, count);
            done += count;
        }
        return (int) crc.getValue();
    }

    /**
     * Checks that the index read is the one packed (the {@code digest} level's check at open).
     *
     * @throws ArchiveFormatException naming the archive and the index when its SHA-256 differs
     */
    void checkIndex(Path archive, byte[] index) throws ArchiveFormatException {
        byte[] actual = Sha256.of(index);
        if (!java.security.MessageDigest.isEqual(actual, indexSha256)) {
            throw new ArchiveFormatException(archive, ArchiveLayout.INDEX + ": SHA-256 of the index is " + Sha256.hex(actual)
                    + ", the seal records " + Sha256.hex(indexSha256) + " (the index was changed after packing)");
        }
    }

    /** @return whether the central directory is where, and as long as, it was sealed: O(1) */
    boolean locates(EndRecord end) {
        return centralOffset == end.centralOffset() && centralSize == end.centralSize();
    }

    /** @return whether the central directory's bytes are the ones sealed: reads it whole */
    boolean centralMatches(FileBlock file, EndRecord end) throws IOException {
        return centralCrc == centralCrc(file, end);
    }
}
