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
import java.util.zip.ZipEntry;

/**
 * Reads a zip central directory record by record: the slow path, used only when an archive's seal no
 * longer matches (it was edited after packing) and its entries must be found without the index, and by
 * the strict checks of {@link ZipChecks}.
 */
final class CentralDirectory {
    static final int SIGNATURE = 0x02014b50;
    static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int RECORD_SIZE = 46;
    static final int LOCAL_SIZE = 30;
    private static final int ZIP64_EXTRA = 0x0001;

    /**
     * One entry as the central directory describes it.
     *
     * @param name           its name
     * @param method         its compression method
     * @param compressedSize bytes stored
     * @param size           bytes inflated
     * @param crc32          CRC-32 of the inflated bytes
     * @param localOffset    where its local header starts in the file (the recorded offset plus the
     *                       {@link EndRecord#base() prefix})
     * @param dosTime        its modification time: DOS date (high 16 bits) and time (low 16 bits)
     * @param position       where the record starts, relative to the central directory
     * @param flags          its general purpose bit flags
     */
    record Record(String name, int method, long compressedSize, long size, int crc32, long localOffset, int dosTime,
                  int position, int flags) {
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

        /** @return whether sizes and CRC follow the data in a data descriptor (flag bit 3) */
        boolean descriptor() {
            return (flags & FLAG_DESCRIPTOR) != 0;
        }
    }

    /** Flag bits: 0 encrypted, 3 data descriptor, 6 strong encryption, 11 UTF-8 names, 13 masked headers. */
    static final int FLAG_ENCRYPTED = 1;
    static final int FLAG_DESCRIPTOR = 1 << 3;
    static final int FLAG_STRONG_ENCRYPTION = 1 << 6;
    static final int FLAG_UTF8 = 1 << 11;
    static final int FLAG_MASKED = 1 << 13;
    /** The flags a strict reader accepts: bit 1 and 2 (deflate options), descriptor, UTF-8. */
    private static final int FLAGS_ALLOWED = 2 | 4 | FLAG_DESCRIPTOR | FLAG_UTF8;

    private CentralDirectory() {
    }

    static List<Record> read(FileBlock file, EndRecord end) throws IOException {
        return parse(file, end, bytes(file, end));
    }

    /** @return the central directory's bytes */
    static byte[] bytes(FileBlock file, EndRecord end) throws IOException {
        if (end.centralSize() > Integer.MAX_VALUE - 8) {
            throw new ArchiveFormatException(file.path(), "central directory of " + end.centralSize() + " bytes is too large");
        }
        return file.read(end.centralOffset(), (int) end.centralSize());
    }

    /**
     * Parses central directory bytes read with {@link #bytes}, checking each record on its own: its
     * signature and length, its flags (no encryption), its method (STORED or DEFLATED), its name (see
     * {@link ZipChecks#checkName}), its extra fields (well formed, at most one ZIP64 field, present when a
     * sentinel needs it) and that its local header offset lies before the central directory.
     */
    static List<Record> parse(FileBlock file, EndRecord end, byte[] bytes) throws IOException {
        return parse(file, end, bytes, true);
    }

    /**
     * Parses central directory bytes; {@code strict} false only for the tests' {@code SealWriter}, which
     * stamps times and the seal into any zip it is given, hostile test fixtures included: the structure is
     * still checked, names, flags and methods are not.
     */
    static List<Record> parse(FileBlock file, EndRecord end, byte[] bytes, boolean strict) throws IOException {
        ByteBuffer cd = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Record> records = new ArrayList<>();
        int at = 0;
        while (at < cd.limit()) {
            long where = end.centralOffset() + at;
            if (cd.limit() - at < RECORD_SIZE || cd.getInt(at) != SIGNATURE) {
                throw new ArchiveFormatException(file.path(), "no central directory record at offset " + where);
            }
            if (records.size() >= end.entries()) {
                throw new ArchiveFormatException(file.path(), "central directory has more than the " + end.entries()
                        + " entries the end record says: another record at offset " + where);
            }
            int nameLength = Short.toUnsignedInt(cd.getShort(at + 28));
            int extraLength = Short.toUnsignedInt(cd.getShort(at + 30));
            int commentLength = Short.toUnsignedInt(cd.getShort(at + 32));
            int next = at + RECORD_SIZE + nameLength + extraLength + commentLength;
            if (next > cd.limit()) {
                throw new ArchiveFormatException(file.path(), "central directory record at offset " + where
                        + " runs past the end of the central directory");
            }
            String name = strict ? ZipChecks.checkName(file.path(), bytes, at + RECORD_SIZE, nameLength,
                    "central directory record at offset " + where)
                    : new String(bytes, at + RECORD_SIZE, nameLength, StandardCharsets.UTF_8);
            int flags = Short.toUnsignedInt(cd.getShort(at + 8));
            int method = Short.toUnsignedInt(cd.getShort(at + 10));
            if (!strict) {
                flags = 0;
                method = ZipEntry.STORED;
            }
            if ((flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED)) != 0) {
                throw new ArchiveFormatException(file.path(), name + ": encrypted (flags 0x" + Integer.toHexString(flags)
                        + " in the central directory record at offset " + where + ")");
            }
            if ((flags & ~FLAGS_ALLOWED) != 0) {
                throw new ArchiveFormatException(file.path(), name + ": unsupported flags 0x" + Integer.toHexString(flags)
                        + " in the central directory record at offset " + where);
            }
            if (method != ZipEntry.STORED && method != ZipEntry.DEFLATED) {
                throw new ArchiveFormatException(file.path(), name + ": unsupported compression method " + method
                        + " in the central directory record at offset " + where);
            }
            if (Short.toUnsignedInt(cd.getShort(at + 34)) != 0) {
                throw new ArchiveFormatException(file.path(), name + ": starts on disk "
                        + Short.toUnsignedInt(cd.getShort(at + 34)) + " (central directory record at offset " + where + ")");
            }
            long compressed = Integer.toUnsignedLong(cd.getInt(at + 20));
            long size = Integer.toUnsignedLong(cd.getInt(at + 24));
            long local = Integer.toUnsignedLong(cd.getInt(at + 42));
            ByteBuffer zip64 = zip64Extra(file, cd, at + RECORD_SIZE + nameLength, extraLength, name,
                    "central directory record at offset " + where);
            if (compressed == 0xFFFF_FFFFL || size == 0xFFFF_FFFFL || local == 0xFFFF_FFFFL) {
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
            if (size < 0 || compressed < 0 || local < 0 || local > end.centralOffset() - end.base() - LOCAL_SIZE) {
                throw new ArchiveFormatException(file.path(), name + ": local header offset " + local
                        + " (central directory record at offset " + where + ") does not lie before the central directory");
            }
            records.add(new Record(name, method, compressed, size, cd.getInt(at + 16), local + end.base(),
                    cd.getInt(at + 12), at, flags));
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

    /**
     * The ZIP64 extra field among a record's extra fields, which must be well formed (each field's
     * length within the extra data, nothing left over) and hold at most one ZIP64 field.
     *
     * @return the ZIP64 field's data, or null when there is none
     */
    static ByteBuffer zip64Extra(FileBlock file, ByteBuffer buffer, int at, int length, String name, String where)
            throws ArchiveFormatException {
        int end = at + length;
        ByteBuffer found = null;
        while (at < end) {
            if (at + 4 > end) {
                throw new ArchiveFormatException(file.path(), name + ": malformed extra field at its byte "
                        + (length - (end - at)) + " in the " + where);
            }
            int id = Short.toUnsignedInt(buffer.getShort(at));
            int size = Short.toUnsignedInt(buffer.getShort(at + 2));
            if (at + 4 + size > end) {
                throw new ArchiveFormatException(file.path(), name + ": extra field 0x" + Integer.toHexString(id)
                        + " of " + size + " bytes runs past the extra data in the " + where);
            }
            if (id == ZIP64_EXTRA) {
                if (found != null) {
                    throw new ArchiveFormatException(file.path(), name + ": several ZIP64 extra fields in the " + where);
                }
                found = buffer.slice(at + 4, size).order(ByteOrder.LITTLE_ENDIAN);
            }
            at += 4 + size;
        }
        return found;
    }
}
