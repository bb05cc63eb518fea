package dev.hermetic.loader.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;

/**
 * The strict reading of a whole zip, stricter than the JDK's {@code ZipFile}, Commons Compress or
 * Zip4j, because what this reads decides which code runs. Every problem is an
 * {@link ArchiveFormatException} naming the file, the entry and the field or offset.
 *
 * <p>Checked, besides what {@link EndRecord} and {@link CentralDirectory#parse} check record by record:
 * <ul>
 * <li>each local header: its signature, and its name, method and flags equal to the central
 *     directory's; its CRC and sizes equal too, or zero when a data descriptor follows, which must then
 *     hold the central directory's values; its extra fields well formed, at most one ZIP64 field, and
 *     one when a size is the ZIP64 sentinel;</li>
 * <li>duplicate names, also after normalisation: {@code a} beside {@code a/}, names equal but for case
 *     ({@link Locale#ROOT} lower case), and a file name used as a directory ({@code a} beside
 *     {@code a/b});</li>
 * <li>overlapping entries and unaccounted bytes: each entry's span (local header, data, data
 *     descriptor) sorted by offset, O(n log n); spans must not overlap, and follow each other and the
 *     central directory without gaps. Bytes before the first local header are a prefix (a launch
 *     script) and must not hold a zip signature;</li>
 * <li>the compression ratio: a DEFLATED entry declaring more than {@link Archive#MAX_RATIO} times its
 *     compressed size (deflate's own maximum, so no genuine entry is refused) is a zip bomb.</li>
 * </ul>
 * Costs: one read of the central directory and one small read per entry; memory proportional to the
 * entries.
 */
final class ZipChecks {
    private static final int DESCRIPTOR_SIGNATURE = 0x08074b50;

    /**
     * A central directory record with where its data starts and where its span ends.
     *
     * @param record     the central directory's view
     * @param dataOffset where its data starts in the file
     * @param spanEnd    where its data (and data descriptor) end
     */
    record Entry(CentralDirectory.Record record, long dataOffset, long spanEnd) {
    }

    private ZipChecks() {
    }

    /** Checks the whole zip in a file or block (a nested jar): see the class comment. */
    static List<Entry> check(FileBlock file) throws IOException {
        return check(file, EndRecord.read(file));
    }

    static List<Entry> check(FileBlock file, EndRecord end) throws IOException {
        List<CentralDirectory.Record> records = CentralDirectory.read(file, end);
        checkNames(file.path(), records);
        List<Entry> entries = new ArrayList<>(records.size());
        for (CentralDirectory.Record r : records) {
            entries.add(local(file, r));
        }
        checkSpans(file, end, entries);
        return entries;
    }

    /**
     * Decodes and checks a name: UTF-8 (strictly), not empty, no NUL or other control character, no
     * backslash, not absolute, no drive letter, no empty, {@code .} or {@code ..} segment (a trailing
     * {@code /} marks a directory).
     */
    static String checkName(Path file, byte[] bytes, int at, int length, String where) throws ArchiveFormatException {
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, at, length)).toString();
        } catch (CharacterCodingException e) {
            throw new ArchiveFormatException(file, "entry name in the " + where + " is not valid UTF-8");
        }
        String problem = nameProblem(name);
        if (problem != null) {
            throw new ArchiveFormatException(file, "unsafe entry name \"" + printable(name) + "\" in the " + where
                    + ": " + problem);
        }
        return name;
    }

    /** @return what makes a name unsafe, or null */
    static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "empty";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return c == 0 ? "NUL character" : "control character 0x" + Integer.toHexString(c);
            }
            if (c == '\\') {
                return "backslash";
            }
        }
        if (name.charAt(0) == '/') {
            return "absolute";
        }
        if (name.length() >= 2 && name.charAt(1) == ':') {
            return "drive letter";
        }
        String path = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return "empty segment";
            }
            if (segment.equals("..")) {
                return "\"..\" segment";
            }
            if (segment.equals(".")) {
                return "\".\" segment";
            }
        }
        return null;
    }

    private static String printable(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && i < 200; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Duplicates, also after normalisation (see the class comment). */
    static void checkNames(Path file, List<CentralDirectory.Record> records) throws ArchiveFormatException {
        Map<String, String> byKey = new HashMap<>(records.size() * 2);
        Set<String> files = new HashSet<>();
        for (CentralDirectory.Record r : records) {
            String name = r.name();
            boolean directory = name.endsWith("/");
            String bare = directory ? name.substring(0, name.length() - 1) : name;
            String key = bare.toLowerCase(Locale.ROOT);
            String other = byKey.putIfAbsent(key, name);
            if (other != null) {
                throw new ArchiveFormatException(file, "duplicate entry " + name + (other.equals(name) ? ""
                        : ": the same as " + other + (other.equalsIgnoreCase(name) ? " but for case" : " as a file and a directory")));
            }
            if (!directory) {
                files.add(key);
            }
        }
        for (CentralDirectory.Record r : records) {
            String key = r.name().toLowerCase(Locale.ROOT);
            for (int slash = key.indexOf('/'); slash >= 0 && slash < key.length() - 1; slash = key.indexOf('/', slash + 1)) {
                if (files.contains(key.substring(0, slash))) {
                    throw new ArchiveFormatException(file, "entry " + r.name() + " lies below "
                            + byKey.get(key.substring(0, slash)) + ", which is a file");
                }
            }
        }
    }

    /** Reads and checks an entry's local header (and data descriptor) against its central record. */
    static Entry local(FileBlock file, CentralDirectory.Record r) throws IOException {
        long at = r.localOffset();
        String where = "local header at offset " + at;
        ByteBuffer local = ByteBuffer.wrap(file.read(at, CentralDirectory.LOCAL_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        if (local.getInt(0) != CentralDirectory.LOCAL_SIGNATURE) {
            throw new ArchiveFormatException(file.path(), r.name() + ": no local header at offset " + at);
        }
        int flags = Short.toUnsignedInt(local.getShort(6));
        int method = Short.toUnsignedInt(local.getShort(8));
        int nameLength = Short.toUnsignedInt(local.getShort(26));
        int extraLength = Short.toUnsignedInt(local.getShort(28));
        if (flags != r.flags()) {
            throw new ArchiveFormatException(file.path(), r.name() + ": flags 0x" + Integer.toHexString(flags) + " in the "
                    + where + ", 0x" + Integer.toHexString(r.flags()) + " in the central directory");
        }
        if (method != r.method()) {
            throw new ArchiveFormatException(file.path(), r.name() + ": method " + method + " in the " + where
                    + ", " + r.method() + " in the central directory");
        }
        byte[] nameAndExtra = file.read(at + CentralDirectory.LOCAL_SIZE, nameLength + extraLength);
        String name = checkName(file.path(), nameAndExtra, 0, nameLength, where);
        if (!name.equals(r.name())) {
            throw new ArchiveFormatException(file.path(), r.name() + ": named \"" + printable(name) + "\" in the " + where);
        }
        ByteBuffer zip64 = CentralDirectory.zip64Extra(file, ByteBuffer.wrap(nameAndExtra).order(ByteOrder.LITTLE_ENDIAN),
                nameLength, extraLength, r.name(), where);
        long crc = Integer.toUnsignedLong(local.getInt(14));
        long compressed = Integer.toUnsignedLong(local.getInt(18));
        long size = Integer.toUnsignedLong(local.getInt(22));
        if (compressed == 0xFFFF_FFFFL || size == 0xFFFF_FFFFL) {
            if (zip64 == null || zip64.remaining() < 16) {
                throw new ArchiveFormatException(file.path(), r.name() + ": ZIP64 sentinel in the " + where
                        + " without a ZIP64 extra field of both sizes");
            }
            size = zip64.getLong(0);
            compressed = zip64.getLong(8);
        }
        long data = at + CentralDirectory.LOCAL_SIZE + nameLength + extraLength;
        if (r.compressedSize() > file.length() - data) {
            throw new ArchiveFormatException(file.path(), r.name() + ": " + r.compressedSize() + " bytes of data at offset "
                    + data + " run past the end of the file");
        }
        long spanEnd = data + r.compressedSize();
        if (r.descriptor()) {
            if (crc != 0 && crc != Integer.toUnsignedLong(r.crc32()) || compressed != 0 && compressed != r.compressedSize()
                    || size != 0 && size != r.size()) {
                throw new ArchiveFormatException(file.path(), r.name() + ": CRC or sizes in the " + where
                        + " differ from the central directory's");
            }
            spanEnd = descriptor(file, r, spanEnd, zip64 != null || r.size() >= 0xFFFF_FFFFL || r.compressedSize() >= 0xFFFF_FFFFL);
        } else {
            if (crc != Integer.toUnsignedLong(r.crc32())) {
                throw new ArchiveFormatException(file.path(), r.name() + ": CRC-32 " + Long.toHexString(crc) + " in the "
                        + where + ", " + Integer.toHexString(r.crc32()) + " in the central directory");
            }
            if (compressed != r.compressedSize() || size != r.size()) {
                throw new ArchiveFormatException(file.path(), r.name() + ": sizes " + compressed + "/" + size + " in the "
                        + where + ", " + r.compressedSize() + "/" + r.size() + " in the central directory");
            }
        }
        Archive.checkRatio(file.path(), r.name(), r.method(), r.compressedSize(), r.size());
        return new Entry(r, data, spanEnd);
    }

    /** @return where the data descriptor after an entry's data ends, having checked it */
    private static long descriptor(FileBlock file, CentralDirectory.Record r, long at, boolean zip64) throws IOException {
        int sizes = zip64 ? 16 : 8;
        long available = file.length() - at;
        ByteBuffer d = ByteBuffer.wrap(file.read(at, (int) Math.min(4 + 4 + sizes, Math.max(0, available))))
                .order(ByteOrder.LITTLE_ENDIAN);
        int skip = d.remaining() >= 4 && d.getInt(0) == DESCRIPTOR_SIGNATURE ? 4 : 0;
        if (d.remaining() < skip + 4 + sizes) {
            throw new ArchiveFormatException(file.path(), r.name() + ": data descriptor at offset " + at
                    + " runs past the end of the file");
        }
        long compressed = zip64 ? d.getLong(skip + 4) : Integer.toUnsignedLong(d.getInt(skip + 4));
        long size = zip64 ? d.getLong(skip + 12) : Integer.toUnsignedLong(d.getInt(skip + 8));
        if (d.getInt(skip) != r.crc32() || compressed != r.compressedSize() || size != r.size()) {
            throw new ArchiveFormatException(file.path(), r.name() + ": data descriptor at offset " + at
                    + " differs from the central directory");
        }
        return at + skip + 4 + sizes;
    }

    /** Overlaps and gaps between entries, the prefix, and the central directory (see the class comment). */
    private static void checkSpans(FileBlock file, EndRecord end, List<Entry> entries) throws IOException {
        Entry[] sorted = entries.toArray(new Entry[0]);
        Arrays.sort(sorted, (a, b) -> Long.compare(a.record().localOffset(), b.record().localOffset()));
        long at = sorted.length == 0 ? end.centralOffset() : sorted[0].record().localOffset();
        checkPrefix(file, at);
        for (Entry e : sorted) {
            long start = e.record().localOffset();
            if (start < at) {
                throw new ArchiveFormatException(file.path(), e.record().name() + ": its local header at offset " + start
                        + " overlaps the entry before it, which ends at offset " + at);
            }
            if (start > at) {
                throw new ArchiveFormatException(file.path(), (start - at) + " unaccounted bytes at offset " + at
                        + " before entry " + e.record().name());
            }
            at = e.spanEnd();
        }
        if (at > end.centralOffset()) {
            throw new ArchiveFormatException(file.path(), "the last entry ends at offset " + at
                    + ", inside the central directory at offset " + end.centralOffset());
        }
        if (at < end.centralOffset()) {
            throw new ArchiveFormatException(file.path(), (end.centralOffset() - at) + " unaccounted bytes at offset " + at
                    + " before the central directory");
        }
    }

    /** A prefix (launch script) may be anything but a zip: no local header or end record signature in it. */
    private static void checkPrefix(FileBlock file, long length) throws IOException {
        long from = Math.max(0, length - (1 << 20));
        byte[] prefix = file.read(from, (int) (length - from));
        ByteBuffer b = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= prefix.length; i++) {
            int signature = b.getInt(i);
            if (signature == EndRecord.SIGNATURE || signature == CentralDirectory.LOCAL_SIGNATURE
                    || signature == CentralDirectory.SIGNATURE) {
                throw new ArchiveFormatException(file.path(), "the " + length + " bytes before the first entry hold a zip"
                        + " signature at offset " + (from + i) + ": several zips in one file");
            }
        }
    }
}
