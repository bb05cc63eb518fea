package dev.hermetic.loader.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
        ByteBuffer tail = ByteBuffer.wrap(file.read(tailStart, tailLength)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = tail.array();
        long junk = -1;
        for (int at = tailLength - MIN_SIZE; at >= 0; at--) {
            if (signatureAt(bytes, at)) {
                int end = at + MIN_SIZE + Short.toUnsignedInt(tail.getShort(at + 20));
                if (end == tailLength) {
                    for (int other = at - 1; other >= 0; other--) {
                        if (signatureAt(bytes, other)
                                && other + MIN_SIZE + Short.toUnsignedInt(tail.getShort(other + 20)) == tailLength) {
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
            long endsAt = junk + MIN_SIZE + Short.toUnsignedInt(tail.getShort((int) (junk - tailStart) + 20));
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
        ByteBuffer tail = ByteBuffer.wrap(file.read(offset, tailLength)).order(ByteOrder.LITTLE_ENDIAN);
        if (tail.getInt(0) != SIGNATURE || Short.toUnsignedInt(tail.getShort(20)) != commentLength) {
            return null;
        }
        return parse(file, tail, 0, offset);
    }

    private static EndRecord parse(FileBlock file, ByteBuffer tail, int at, long offset) throws IOException {
        int disk = Short.toUnsignedInt(tail.getShort(at + 4));
        int centralDisk = Short.toUnsignedInt(tail.getShort(at + 6));
        long entriesHere = Short.toUnsignedInt(tail.getShort(at + 8));
        long entries = Short.toUnsignedInt(tail.getShort(at + 10));
        long size = Integer.toUnsignedLong(tail.getInt(at + 12));
        long start = Integer.toUnsignedLong(tail.getInt(at + 16));
        byte[] comment = new byte[Short.toUnsignedInt(tail.getShort(at + 20))];
        tail.get(at + MIN_SIZE, comment);
        if (disk != 0 && disk != 0xFFFF || centralDisk != 0 && centralDisk != 0xFFFF || entriesHere != entries) {
            throw new ArchiveFormatException(file.path(), "end record at offset " + offset + " describes a multi-disk"
                    + " archive (disk " + disk + ", central directory disk " + centralDisk + ", " + entriesHere
                    + " of " + entries + " entries on this disk)");
        }
        for (int i = 0; i + 4 <= comment.length; i++) {
            if (signatureAt(comment, i)) {
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
            ByteBuffer locator = ByteBuffer.wrap(file.read(locatorAt, ZIP64_LOCATOR_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
            if (locator.getInt(0) != ZIP64_LOCATOR_SIGNATURE) {
                throw new ArchiveFormatException(file.path(), "end record at offset " + offset
                        + " has ZIP64 sentinels but no ZIP64 locator before it");
            }
            long zip64At = locator.getLong(8);
            if (zip64At < 0 || zip64At > locatorAt - ZIP64_END_SIZE) {
                throw new ArchiveFormatException(file.path(), "ZIP64 locator at offset " + locatorAt
                        + " points at offset " + zip64At + ", not before it");
            }
            ByteBuffer zip64 = ByteBuffer.wrap(file.read(zip64At, ZIP64_END_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
            if (zip64.getInt(0) != ZIP64_END_SIGNATURE) {
                throw new ArchiveFormatException(file.path(), "no ZIP64 end record at offset " + zip64At);
            }
            if (zip64.getLong(24) != zip64.getLong(32)) {
                throw new ArchiveFormatException(file.path(), "ZIP64 end record at offset " + zip64At
                        + " describes a multi-disk archive");
            }
            entries = zip64.getLong(32);
            size = zip64.getLong(40);
            start = zip64.getLong(48);
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

    /**
     * Whether an end record's signature starts at {@code at}: compared byte by byte, because a launch
     * runs the scan of the seal's comment in the interpreter, where each {@code ByteBuffer.getInt} is
     * a chain of calls (some 0.5 ms for the 171 bytes of a seal; this takes a few microseconds).
     */
    private static boolean signatureAt(byte[] bytes, int at) {
        return (bytes[at] & 0xFF | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16 | bytes[at + 3] << 24)
                == SIGNATURE;
    }
}
