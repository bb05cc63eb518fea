package dev.hermetic.loader.archive;

import java.io.IOException;
import java.util.Arrays;

/**
 * The zip end-of-central-directory record, with its ZIP64 counterpart resolved: where the central
 * directory is, how many entries it has, and the archive comment.
 *
 * <p>Strict, in one reading only: the end record is the one whose comment reaches exactly to the end of
 * the file (bytes after it are <em>trailing junk</em>, refused); the central directory ends exactly where
 * the end record (or the ZIP64 end record) starts. Bytes before the central directory's recorded
 * offset that shift it are a <em>prefix</em> (a launch script prepended to the zip without adjusting its
 * offsets, as {@code cat script.sh app.jar} makes): {@link #base} says how long it is, and every offset
 * the zip records is read as {@code base + offset}, as the JDK's {@code ZipFile} and Info-ZIP do. There
 * is no other reading: no search for a central directory elsewhere, no second end record (an end
 * record signature inside the comment or the prefix is refused), no multi-disk archives.
 *
 * @param offset        where the (classic) end record starts in the file
 * @param centralOffset where the central directory starts in the file (its recorded offset + base)
 * @param centralSize   the central directory's size in bytes
 * @param entries       how many entries it lists
 * @param comment       the archive comment, raw
 * @param base          how many prefix bytes shift every recorded offset (0 for an archive as packed)
 */
record EndRecord(long offset, long centralOffset, long centralSize, long entries, byte[] comment, long base) {
    static final int SIGNATURE = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_END_SIGNATURE = 0x06064b50;
    private static final int MIN_SIZE = 22;
    private static final int ZIP64_LOCATOR_SIZE = 20;
    private static final int ZIP64_END_SIZE = 56;
    private static final int MAX_COMMENT = 0xFFFF;

    /**
     * Finds the end record by scanning back from the end of the file for a signature whose comment
     * length reaches exactly to the end. Reads the file's tail once.
     */
    static EndRecord read(FileBlock file) throws IOException {
        long length = file.length();
        int tailLength = (int) Math.min(length, MIN_SIZE + MAX_COMMENT);
        if (tailLength < MIN_SIZE) {
            throw new ArchiveFormatException(file.path(), "not a zip archive: " + length
                    + " bytes is shorter than an end-of-central-directory record");
        }
        long tailStart = length - tailLength;
        byte[] tail = file.read(tailStart, tailLength);
        long junk = -1;
        for (int at = tailLength - MIN_SIZE; at >= 0; at--) {
            if (le32(tail, at) == SIGNATURE) {
                int end = at + MIN_SIZE + le16(tail, at + 20);
                if (end == tailLength) {
                    for (int other = at - 1; other >= 0; other--) {
                        if (le32(tail, other) == SIGNATURE && other + MIN_SIZE + le16(tail, other + 20) == tailLength) {
                            throw new ArchiveFormatException(file.path(), "several end records: at offsets "
                                    + (tailStart + other) + " and " + (tailStart + at) + ", each reaching to the end of the file");
                        }
                    }
                    return parse(file, tail, at, tailStart + at);
                }
                if (end < tailLength && junk < 0) {
                    junk = tailStart + at;
                }
            }
        }
        if (junk >= 0) {
            long endsAt = junk + MIN_SIZE + le16(tail, (int) (junk - tailStart) + 20);
            throw new ArchiveFormatException(file.path(), "trailing junk: " + (length - endsAt)
                    + " bytes after the end-of-central-directory record at offset " + junk);
        }
        throw new ArchiveFormatException(file.path(), "not a zip archive: no end-of-central-directory record");
    }

    /**
     * The end record of an archive whose comment has exactly {@code commentLength} bytes, as a sealed
     * archive's has: one read of the file's last bytes and no scan, constant time. Skips {@link #read}'s
     * search for a second end record further back whose comment would hold this one: every zip reader
     * (the JDK's, Info-ZIP, ours) takes the last one, and the seal then vouches for what it describes.
     *
     * @return the end record, or null when the file does not end with one of that comment length
     */
    static EndRecord readWithComment(FileBlock file, int commentLength) throws IOException {
        int tailLength = MIN_SIZE + commentLength;
        if (file.length() < tailLength) {
            return null;
        }
        long offset = file.length() - tailLength;
        byte[] tail = file.read(offset, tailLength);
        if (le32(tail, 0) != SIGNATURE || le16(tail, 20) != commentLength) {
            return null;
        }
        return parse(file, tail, 0, offset);
    }

    private static EndRecord parse(FileBlock file, byte[] tail, int at, long offset) throws IOException {
        int disk = le16(tail, at + 4);
        int centralDisk = le16(tail, at + 6);
        long entriesHere = le16(tail, at + 8);
        long entries = le16(tail, at + 10);
        long size = Integer.toUnsignedLong(le32(tail, at + 12));
        long start = Integer.toUnsignedLong(le32(tail, at + 16));
        byte[] comment = Arrays.copyOfRange(tail, at + MIN_SIZE, at + MIN_SIZE + le16(tail, at + 20));
        if (disk != 0 && disk != 0xFFFF || centralDisk != 0 && centralDisk != 0xFFFF || entriesHere != entries) {
            throw new ArchiveFormatException(file.path(), "end record at offset " + offset + " describes a multi-disk"
                    + " archive (disk " + disk + ", central directory disk " + centralDisk + ", " + entriesHere
                    + " of " + entries + " entries on this disk)");
        }
        for (int i = 0; i + 4 <= comment.length; i++) {
            if (le32(comment, i) == SIGNATURE) {
                throw new ArchiveFormatException(file.path(), "several end records: the comment of the end record at offset "
                        + offset + " holds another at offset " + (offset + MIN_SIZE + i));
            }
        }
        long centralEnd = offset;
        if (entries == 0xFFFF || size == 0xFFFF_FFFFL || start == 0xFFFF_FFFFL) {
            long locatorAt = offset - ZIP64_LOCATOR_SIZE;
            if (locatorAt < 0) {
                throw new ArchiveFormatException(file.path(), "end record at offset " + offset
                        + " has ZIP64 sentinels but no ZIP64 locator before it");
            }
            byte[] locator = file.read(locatorAt, ZIP64_LOCATOR_SIZE);
            if (le32(locator, 0) != ZIP64_LOCATOR_SIGNATURE) {
                throw new ArchiveFormatException(file.path(), "end record at offset " + offset
                        + " has ZIP64 sentinels but no ZIP64 locator before it");
            }
            long zip64At = le64(locator, 8);
            if (zip64At < 0 || zip64At > locatorAt - ZIP64_END_SIZE) {
                throw new ArchiveFormatException(file.path(), "ZIP64 locator at offset " + locatorAt
                        + " points at offset " + zip64At + ", not before it");
            }
            byte[] zip64 = file.read(zip64At, ZIP64_END_SIZE);
            if (le32(zip64, 0) != ZIP64_END_SIGNATURE) {
                throw new ArchiveFormatException(file.path(), "no ZIP64 end record at offset " + zip64At);
            }
            if (le64(zip64, 24) != le64(zip64, 32)) {
                throw new ArchiveFormatException(file.path(), "ZIP64 end record at offset " + zip64At
                        + " describes a multi-disk archive");
            }
            entries = le64(zip64, 32);
            size = le64(zip64, 40);
            start = le64(zip64, 48);
            centralEnd = zip64At;
        }
        if (start < 0 || size < 0 || entries < 0 || start > centralEnd - size) {
            throw new ArchiveFormatException(file.path(), "central directory of " + size + " bytes at offset "
                    + start + " does not end before the end record at offset " + centralEnd);
        }
        long base = centralEnd - size - start;
        if (base > 0 && centralEnd != offset) {
            throw new ArchiveFormatException(file.path(), "central directory of " + size + " bytes at offset "
                    + start + " does not end at the ZIP64 end record at offset " + centralEnd);
        }
        return new EndRecord(offset, start + base, size, entries, comment, base);
    }

    // Little-endian reads from the array, not through a ByteBuffer: a launch runs this code in the
    // interpreter, where each ByteBuffer.getInt is a chain of calls (some 0.5 ms for the scan of a seal's
    // 171-byte comment; these take a few microseconds).

    private static int le16(byte[] b, int at) {
        return (b[at + 1] & 0xFF) << 8 | b[at] & 0xFF;
    }

    private static int le32(byte[] b, int at) {
        return b[at + 3] << 24 | (b[at + 2] & 0xFF) << 16 | (b[at + 1] & 0xFF) << 8 | b[at] & 0xFF;
    }

    private static long le64(byte[] b, int at) {
        return Integer.toUnsignedLong(le32(b, at)) | (long) le32(b, at + 4) << 32;
    }
}
