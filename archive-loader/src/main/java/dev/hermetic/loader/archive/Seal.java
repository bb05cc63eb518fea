package dev.hermetic.loader.archive;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The archive comment that locates the index and binds its trust flags to the archive as packed:
 *
 * <pre>
 * hermetic-seal/2 index=OFFSET+LENGTH cd=OFFSET+SIZE crc32c=CRC sha256=INDEX-SHA-256
 * </pre>
 *
 * with fixed-width lower-case hex numbers, so the packer can write a placeholder of the final length
 * and fill it in once the central directory exists. The seal lives in the comment, after the central
 * directory, because the index cannot contain a checksum of the central directory that lists it.
 * It detects edits by zip tools (which rewrite the central directory). The index's SHA-256, checked at
 * open under {@code -Dhermetic.verify=digest} only, also detects an index edited on purpose with its
 * CRCs and the seal's CRC-32C recomputed (a trust flag changed without re-packing); a forger who
 * recomputes that SHA-256 too is not detected.
 *
 * @param indexOffset   where the index entry's bytes start
 * @param indexLength   the index entry's length
 * @param centralOffset where the central directory starts
 * @param centralSize   the central directory's size
 * @param centralCrc    CRC-32C of the central directory's bytes
 * @param indexSha256   SHA-256 of the index entry's bytes
 */
record Seal(long indexOffset, int indexLength, long centralOffset, long centralSize, int centralCrc, byte[] indexSha256) {
    private static final String PREFIX = "hermetic-seal/2 index=";

    static String placeholder() {
        return new Seal(0, 0, 0, 0, 0, new byte[IndexLayout.DIGEST_SIZE]).toComment();
    }

    /** Formats by hand: {@code String.format} costs milliseconds the first time, on the launch path. */
    String toComment() {
        StringBuilder comment = new StringBuilder(PREFIX.length() + 150).append(PREFIX);
        hex(comment, indexOffset, 16).append('+');
        hex(comment, Integer.toUnsignedLong(indexLength), 8).append(" cd=");
        hex(comment, centralOffset, 16).append('+');
        hex(comment, centralSize, 16).append(" crc32c=");
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
        if (text.length() != placeholder().length() || !text.startsWith(PREFIX)) {
            return null;
        }
        try {
            int at = PREFIX.length();
            long indexOffset = Long.parseUnsignedLong(text, at, at + 16, 16);
            int indexLength = Integer.parseUnsignedInt(text, at + 17, at + 25, 16);
            long centralOffset = Long.parseUnsignedLong(text, at + 29, at + 45, 16);
            long centralSize = Long.parseUnsignedLong(text, at + 46, at + 62, 16);
            int crc = Integer.parseUnsignedInt(text, at + 70, at + 78, 16);
            byte[] sha = new byte[IndexLayout.DIGEST_SIZE];
            for (int i = 0; i < sha.length; i++) {
                int hi = Character.digit(text.charAt(at + 86 + 2 * i), 16);
                int lo = Character.digit(text.charAt(at + 87 + 2 * i), 16);
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

    /** CRC-32C of the central directory, read in chunks. */
    static int centralCrc(FileBlock file, EndRecord end) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] chunk = new byte[(int) Math.min(end.centralSize(), 1 << 16)];
        for (long done = 0; done < end.centralSize(); ) {
            int count = (int) Math.min(chunk.length, end.centralSize() - done);
            file.read(end.centralOffset() + done, chunk, 0, count);
            crc.update(chunk, 0, count);
            done += count;
        }
        return (int) crc.getValue();
    }

    /** @return the SHA-256 of some bytes */
    static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Checks that the index read is the one packed (the {@code digest} level's check at open).
     *
     * @throws ArchiveFormatException naming the archive and the index when its SHA-256 differs
     */
    void checkIndex(Path archive, byte[] index) throws ArchiveFormatException {
        byte[] actual = sha256(index);
        if (!java.security.MessageDigest.isEqual(actual, indexSha256)) {
            throw new ArchiveFormatException(archive, ArchiveLayout.INDEX + ": SHA-256 of the index is " + hex(actual)
                    + ", the seal records " + hex(indexSha256) + " (the index was changed after packing)");
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder hex = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    /** @return whether this seal describes the archive as it is now */
    boolean matches(FileBlock file, EndRecord end) throws IOException {
        return centralOffset == end.centralOffset() && centralSize == end.centralSize()
                && centralCrc == centralCrc(file, end);
    }

    /**
     * Writes every entry's DOS time fields, then the seal. The times go straight into the headers
     * because zip writers convert through the default time zone, in which some wall-clock times (those
     * in a daylight-saving gap) do not exist.
     */
    static void write(Path archive, long indexOffset, int indexLength, Instant entryTime) throws IOException {
        int dosTime = dosTime(archive, entryTime);
        try (FileBlock file = FileBlock.open(archive); RandomAccessFile out = new RandomAccessFile(archive.toFile(), "rw")) {
            EndRecord end = EndRecord.read(file);
            if (!placeholder().equals(new String(end.comment(), StandardCharsets.ISO_8859_1))) {
                throw new ArchiveFormatException(archive, "archive comment is not the seal placeholder");
            }
            byte[] central = CentralDirectory.bytes(file, end);
            ByteBuffer cd = ByteBuffer.wrap(central).order(ByteOrder.LITTLE_ENDIAN);
            byte[] local = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(dosTime).array();
            for (CentralDirectory.Record r : CentralDirectory.parse(file, end, central, false)) {
                cd.putInt(r.position() + CentralDirectory.CENTRAL_TIME, dosTime);
                out.seek(r.localOffset() + CentralDirectory.LOCAL_TIME);
                out.write(local);
            }
            out.seek(end.centralOffset());
            out.write(central);
            CRC32C crc = new CRC32C();
            crc.update(central);
            byte[] indexSha256 = sha256(file.read(indexOffset, indexLength));
            byte[] seal = new Seal(indexOffset, indexLength, end.centralOffset(), end.centralSize(),
                    (int) crc.getValue(), indexSha256).toComment().getBytes(StandardCharsets.ISO_8859_1);
            out.seek(out.length() - seal.length);
            out.write(seal);
        }
    }

    /** The DOS date and time fields of an instant's UTC date and time, to the even second below. */
    private static int dosTime(Path archive, Instant time) throws ArchiveFormatException {
        LocalDateTime t = LocalDateTime.ofInstant(time, ZoneOffset.UTC);
        if (t.getYear() < 1980 || t.getYear() > 2107) {
            throw new ArchiveFormatException(archive, "entry time " + time + " is outside the zip format's range (1980 to 2107)");
        }
        return (t.getYear() - 1980) << 25 | t.getMonthValue() << 21 | t.getDayOfMonth() << 16
                | t.getHour() << 11 | t.getMinute() << 5 | t.getSecond() >> 1;
    }
}
