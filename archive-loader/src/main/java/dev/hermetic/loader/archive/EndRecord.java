package dev.hermetic.loader.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The zip end-of-central-directory record, with its ZIP64 counterpart resolved: where the central
 * directory is, how many entries it has, and the archive comment.
 *
 * @param offset        where the (classic) end record starts in the file
 * @param centralOffset where the central directory starts
 * @param centralSize   the central directory's size in bytes
 * @param entries       how many entries it lists
 * @param comment       the archive comment, raw
 */
record EndRecord(long offset, long centralOffset, long centralSize, long entries, byte[] comment) {
    private static final int SIGNATURE = 0x06054b50;
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
        for (int at = tailLength - MIN_SIZE; at >= 0; at--) {
            if (tail.getInt(at) == SIGNATURE && at + MIN_SIZE + Short.toUnsignedInt(tail.getShort(at + 20)) == tailLength) {
                return parse(file, tail, at, tailStart + at);
            }
        }
        throw new ArchiveFormatException(file.path(), "not a zip archive: no end-of-central-directory record");
    }

    private static EndRecord parse(FileBlock file, ByteBuffer tail, int at, long offset) throws IOException {
        long entries = Short.toUnsignedInt(tail.getShort(at + 10));
        long size = Integer.toUnsignedLong(tail.getInt(at + 12));
        long start = Integer.toUnsignedLong(tail.getInt(at + 16));
        byte[] comment = new byte[Short.toUnsignedInt(tail.getShort(at + 20))];
        tail.get(at + MIN_SIZE, comment);
        if (entries == 0xFFFF || size == 0xFFFF_FFFFL || start == 0xFFFF_FFFFL) {
            long locatorAt = offset - ZIP64_LOCATOR_SIZE;
            ByteBuffer locator = ByteBuffer.wrap(file.read(locatorAt, ZIP64_LOCATOR_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
            if (locator.getInt(0) != ZIP64_LOCATOR_SIGNATURE) {
                throw new ArchiveFormatException(file.path(), "end record at offset " + offset
                        + " has ZIP64 sentinels but no ZIP64 locator before it");
            }
            long zip64At = locator.getLong(8);
            ByteBuffer zip64 = ByteBuffer.wrap(file.read(zip64At, ZIP64_END_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
            if (zip64.getInt(0) != ZIP64_END_SIGNATURE) {
                throw new ArchiveFormatException(file.path(), "no ZIP64 end record at offset " + zip64At);
            }
            entries = zip64.getLong(32);
            size = zip64.getLong(40);
            start = zip64.getLong(48);
        }
        if (start < 0 || size < 0 || start > offset - size) {
            throw new ArchiveFormatException(file.path(), "central directory of " + size + " bytes at offset "
                    + start + " does not end before the end record at offset " + offset);
        }
        return new EndRecord(offset, start, size, entries, comment);
    }
}
