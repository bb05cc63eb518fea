package dev.hermetic.loader.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The archive comment that locates the index and binds its trust flags to the archive as packed:
 *
 * <pre>
 * hermetic-seal/3 index=OFFSET+LENGTH cd=OFFSET+SIZE crc32=CRC sha256=INDEX-SHA-256
 * </pre>
 *
 * with fixed-width lower-case hex numbers, so that every seal has the same length: a tool that writes
 * the archive with a zip library of its own can write a placeholder and fill it in once the central
 * directory exists (the tests' {@code SealWriter} does). The seal lives in the comment, after the central
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
     * The length of every seal: the prefix, 16 + 8 + 16 + 16 + 8 + 64 hex digits and
     * 21 characters between them. A constant, so that locating the seal at open formats nothing.
     */
    static final int LENGTH = 22 + 128 + 21;

    /** The packer's side: a launch only {@linkplain #parse parses} seals. */
    String toComment() {
        return String.format("%s%016x+%08x cd=%016x+%016x crc32=%08x sha256=%s", PREFIX, indexOffset, indexLength,
                centralOffset, centralSize, centralCrc, Sha256.hex(indexSha256));
    }

    /**
     * Parses the seal byte by byte: only what {@link #toComment} writes is a seal (its fixed literals,
     * lower-case hex digits of fixed width), checked without formatting it back, because a launch runs
     * this in the interpreter, where each call into {@code String} or {@code Long} costs.
     *
     * @return the seal in this comment, or null when the comment is not a seal
     */
    static Seal parse(byte[] comment) {
        int at = PREFIX.length();
        if (comment.length != LENGTH || !literal(comment, 0, PREFIX) || !hexDigits(comment, at, 16)
                || !literal(comment, at + 16, "+") || !hexDigits(comment, at + 17, 8)
                || !literal(comment, at + 25, " cd=") || !hexDigits(comment, at + 29, 16)
                || !literal(comment, at + 45, "+") || !hexDigits(comment, at + 46, 16)
                || !literal(comment, at + 62, " crc32=") || !hexDigits(comment, at + 69, 8)
                || !literal(comment, at + 77, " sha256=") || !hexDigits(comment, at + 85, 2 * IndexLayout.DIGEST_SIZE)) {
            return null;
        }
        byte[] sha = new byte[IndexLayout.DIGEST_SIZE];
        for (int i = 0; i < sha.length; i++) {
            sha[i] = (byte) hex(comment, at + 85 + 2 * i, 2);
        }
        return new Seal(hex(comment, at, 16), (int) hex(comment, at + 17, 8), hex(comment, at + 29, 16),
                hex(comment, at + 46, 16), (int) hex(comment, at + 69, 8), sha);
    }

    private static boolean literal(byte[] comment, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (comment[at + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code count} lower-case hex digits start at {@code at}. */
    private static boolean hexDigits(byte[] comment, int at, int count) {
        for (int i = at; i < at + count; i++) {
            if (!(comment[i] >= '0' && comment[i] <= '9' || comment[i] >= 'a' && comment[i] <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The value of {@code digits} hex digits that {@link #hexDigits} accepted. */
    private static long hex(byte[] comment, int at, int digits) {
        long value = 0;
        for (int i = at; i < at + digits; i++) {
            value = value << 4 | (comment[i] <= '9' ? comment[i] - '0' : comment[i] - 'a' + 10);
        }
        return value;
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
