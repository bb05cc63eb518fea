package dev.hermetic.loader.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a zip central directory record by record: the slow path, used only when an archive's seal no
 * longer matches (it was edited after packing) and its entries must be found without the index.
 */
final class CentralDirectory {
    private static final int SIGNATURE = 0x02014b50;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int RECORD_SIZE = 46;
    private static final int LOCAL_SIZE = 30;
    private static final int ZIP64_EXTRA = 0x0001;

    /**
     * One entry as the central directory describes it.
     *
     * @param name           its name
     * @param method         its compression method
     * @param compressedSize bytes stored
     * @param size           bytes inflated
     * @param crc32          CRC-32 of the inflated bytes
     * @param localOffset    where its local header starts
     * @param dosTime        its modification time: DOS date (high 16 bits) and time (low 16 bits)
     * @param position       where the record starts, relative to the central directory
     */
    record Record(String name, int method, long compressedSize, long size, int crc32, long localOffset, int dosTime,
                  int position) {
        /**
         * The DOS time as epoch milliseconds, reading its fields as UTC, which is how the packer writes
         * them; 0 when the fields are not a valid date.
         */
        long timeMillis() {
            int date = dosTime >>> 16;
            int time = dosTime & 0xFFFF;
            try {
                return LocalDateTime.of(((date >> 9) & 0x7F) + 1980, (date >> 5) & 0xF, date & 0x1F,
                        time >> 11, (time >> 5) & 0x3F, (time & 0x1F) * 2).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeException invalid) {
                return 0;
            }
        }
    }

    private CentralDirectory() {
    }

    static List<Record> read(FileBlock file, EndRecord end) throws IOException {
        return parse(file, end, bytes(file, end));
    }

    /** @return the central directory's bytes */
    static byte[] bytes(FileBlock file, EndRecord end) throws IOException {
        if (end.centralSize() > Integer.MAX_VALUE) {
            throw new ArchiveFormatException(file.path(), "central directory of " + end.centralSize() + " bytes is too large");
        }
        return file.read(end.centralOffset(), (int) end.centralSize());
    }

    /** Parses central directory bytes read with {@link #bytes}. */
    static List<Record> parse(FileBlock file, EndRecord end, byte[] bytes) throws IOException {
        ByteBuffer cd = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Record> records = new ArrayList<>();
        int at = 0;
        while (at < cd.limit()) {
            long where = end.centralOffset() + at;
            if (cd.limit() - at < RECORD_SIZE || cd.getInt(at) != SIGNATURE) {
                throw new ArchiveFormatException(file.path(), "no central directory record at offset " + where);
            }
            int nameLength = Short.toUnsignedInt(cd.getShort(at + 28));
            int extraLength = Short.toUnsignedInt(cd.getShort(at + 30));
            int commentLength = Short.toUnsignedInt(cd.getShort(at + 32));
            int next = at + RECORD_SIZE + nameLength + extraLength + commentLength;
            if (next > cd.limit()) {
                throw new ArchiveFormatException(file.path(), "central directory record at offset " + where
                        + " runs past the end of the central directory");
            }
            String name = new String(cd.array(), at + RECORD_SIZE, nameLength, StandardCharsets.UTF_8);
            long compressed = Integer.toUnsignedLong(cd.getInt(at + 20));
            long size = Integer.toUnsignedLong(cd.getInt(at + 24));
            long local = Integer.toUnsignedLong(cd.getInt(at + 42));
            if (compressed == 0xFFFF_FFFFL || size == 0xFFFF_FFFFL || local == 0xFFFF_FFFFL) {
                ByteBuffer zip64 = zip64Extra(cd, at + RECORD_SIZE + nameLength, extraLength);
                if (zip64 == null) {
                    throw new ArchiveFormatException(file.path(), name + ": ZIP64 sentinel in the central directory"
                            + " record at offset " + where + " without a ZIP64 extra field");
                }
                // the ZIP64 field holds, in this order, only the values whose classic field is the sentinel
                int needed = 8 * ((size == 0xFFFF_FFFFL ? 1 : 0) + (compressed == 0xFFFF_FFFFL ? 1 : 0)
                        + (local == 0xFFFF_FFFFL ? 1 : 0));
                if (zip64.remaining() < needed) {
                    throw new ArchiveFormatException(file.path(), name + ": ZIP64 extra field of " + zip64.remaining()
                            + " bytes in the central directory record at offset " + where + " needs " + needed);
                }
                if (size == 0xFFFF_FFFFL) {
                    size = zip64.getLong();
                }
                if (compressed == 0xFFFF_FFFFL) {
                    compressed = zip64.getLong();
                }
                if (local == 0xFFFF_FFFFL) {
                    local = zip64.getLong();
                }
            }
            records.add(new Record(name, Short.toUnsignedInt(cd.getShort(at + 10)), compressed, size,
                    cd.getInt(at + 16), local, cd.getInt(at + 12), at));
            at = next;
        }
        if (records.size() != end.entries()) {
            throw new ArchiveFormatException(file.path(), "central directory lists " + records.size()
                    + " entries, the end record says " + end.entries());
        }
        return records;
    }

    /** Offset of the DOS time in a central directory record and in a local header. */
    static final int CENTRAL_TIME = 12;
    static final int LOCAL_TIME = 10;

    private static ByteBuffer zip64Extra(ByteBuffer cd, int at, int length) {
        int end = at + length;
        while (at + 4 <= end) {
            int id = Short.toUnsignedInt(cd.getShort(at));
            int size = Short.toUnsignedInt(cd.getShort(at + 2));
            if (at + 4 + size > end) {
                return null;
            }
            if (id == ZIP64_EXTRA) {
                return cd.slice(at + 4, size).order(ByteOrder.LITTLE_ENDIAN);
            }
            at += 4 + size;
        }
        return null;
    }

    /** @return where the record's data starts, after its local header */
    static long dataOffset(FileBlock file, Record record) throws IOException {
        ByteBuffer local = ByteBuffer.wrap(file.read(record.localOffset(), LOCAL_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        if (local.getInt(0) != LOCAL_SIGNATURE) {
            throw new ArchiveFormatException(file.path(), record.name() + ": no local header at offset " + record.localOffset());
        }
        return record.localOffset() + LOCAL_SIZE + Short.toUnsignedInt(local.getShort(26))
                + Short.toUnsignedInt(local.getShort(28));
    }
}
