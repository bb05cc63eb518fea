package dev.hermetic.packer;

import dev.hermetic.loader.archive.IndexWriter;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * Writes the archive's zip structure: every entry with its sizes and CRC-32 known up front (so local
 * headers are final and no data descriptors follow), one time for all (the timestamp's UTC date and
 * time as DOS fields, whatever the time zone), UTF-8 names, no extra fields but ZIP64's, no platform
 * attributes, and the seal ({@link IndexWriter#seal}) as the archive comment.
 *
 * <p>Why not Commons Compress, which wrote the archive until the eleventh benchmark round: it costs the
 * one thread that writes, in order, some 5 µs an entry (an entry object, a name encoder, a deflater
 * reset and a second CRC-32 even for STORED bytes) and its central directory 2 µs more; the seal then
 * read the central directory back and rewrote every local header's time, because Commons Compress
 * converts times through the default time zone. Here an entry costs its header's 30 bytes and a copy
 * of its bytes into the buffer, the central directory grows in memory as entries are written, and the
 * seal is computed from bytes in memory: the file is written once, front to back, and the serial tail
 * of a 10k-class pack after its last file fell from 54–106 ms to 26–38 ms (benchmarks' eleventh round).
 *
 * <p>ZIP64, as needed: an entry of 0xFFFFFFFF bytes or more (only a nested jar can be) gets a ZIP64
 * extra field in both its headers; one that starts at or past that offset gets one in its central
 * record; 65,535 entries or more, or a central directory at or past that offset, get the ZIP64 end
 * records. Entries are STORED,
 * except resources that {@link ResourceCompressor} deflated beforehand, whose deflate data is copied as
 * it is: the writer never compresses, so the bytes do not depend on which thread deflated them.
 *
 * <p>Costs: the central directory is held in memory until {@link #finish}, about 80 bytes an entry.
 */
final class ArchiveWriter implements Closeable {
    private static final int BUFFER = 1 << 16;
    /** How much of a nested jar is copied at a time: large writes go past the stream's buffer. */
    private static final int COPY_CHUNK = 1 << 20;

    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int END_SIGNATURE = 0x06054b50;
    private static final int ZIP64_END_SIGNATURE = 0x06064b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int LOCAL_SIZE = 30;
    private static final int CENTRAL_SIZE = 46;
    private static final int END_SIZE = 22;
    private static final int ZIP64_END_SIZE = 56;
    private static final int ZIP64_LOCATOR_SIZE = 20;
    private static final int ZIP64_EXTRA = 0x0001;
    /** Names are UTF-8 (general purpose bit 11). */
    private static final int FLAG_UTF8 = 1 << 11;
    /**
     * Versions needed to extract; made-by is 2.0, or 4.5 in a record with a ZIP64 field, its upper byte
     * 0 (MS-DOS: no platform attributes).
     */
    private static final int VERSION_STORED = 10;
    private static final int VERSION_DEFLATED = 20;
    private static final int VERSION_ZIP64 = 45;
    /** A 32-bit size or offset field at this value or above is written as this, the value in ZIP64 fields. */
    private static final long LIMIT_32 = 0xFFFF_FFFFL;
    private static final int LIMIT_16 = 0xFFFF;

    private final Path file;
    private final int dosTime;
    private final OutputStream out;
    private final ByteArrayOutputStream central = new ByteArrayOutputStream(1 << 16);
    private final ByteBuffer header = ByteBuffer.allocate(CENTRAL_SIZE + 28).order(ByteOrder.LITTLE_ENDIAN);
    private long position;
    private long entries;
    private boolean finished;

    /** @throws PackException when the timestamp lies outside the DOS range (1980–2107) */
    ArchiveWriter(Path file, Instant timestamp) throws IOException {
        LocalDateTime t = LocalDateTime.ofInstant(timestamp, ZoneOffset.UTC);
        if (t.getYear() < 1980 || t.getYear() > 2107) {
            throw new PackException("entry time " + timestamp + " (from --timestamp or SOURCE_DATE_EPOCH) is outside"
                    + " the zip format's range (1980 to 2107)");
        }
        this.file = file;
        this.dosTime = (t.getYear() - 1980) << 25 | t.getMonthValue() << 21 | t.getDayOfMonth() << 16
                | t.getHour() << 11 | t.getMinute() << 5 | t.getSecond() >> 1;
        this.out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER);
    }

    /**
     * Where an entry's bytes went.
     *
     * @param offset         where they start in the file
     * @param size           how many there are, uncompressed
     * @param crc32          the CRC-32 of the uncompressed bytes
     * @param method         STORED or DEFLATED
     * @param compressedSize how many bytes the zip holds
     */
    record Written(long offset, long size, int crc32, int method, long compressedSize) {
    }

    /** Writes an entry in the form it was given: STORED bytes, or deflate data copied raw. */
    Written write(String name, Deflated entry) throws IOException {
        Written written = begin(name, entry.method(), entry.crc32(), entry.data().length, entry.size());
        out.write(entry.data());
        position += entry.data().length;
        return written;
    }

    Written write(String name, byte[] bytes) throws IOException {
        return write(name, Deflated.stored(bytes));
    }

    /**
     * Copies a file as one STORED entry.
     *
     * @param crc32 the CRC-32 of the file's bytes, computed beforehand
     * @throws PackException naming the file when its size or CRC-32 is not what it was before the copy
     */
    Written write(String name, Path file, int crc32) throws IOException {
        long size = Files.size(file);
        Written written = begin(name, ZipEntry.STORED, crc32, size, size);
        byte[] buffer = new byte[(int) Math.min(COPY_CHUNK, Math.max(size, 1))];
        CRC32 crc = new CRC32();
        long copied = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; copied < size && (n = in.read(buffer, 0, (int) Math.min(buffer.length, size - copied))) > 0; ) {
                crc.update(buffer, 0, n);
                out.write(buffer, 0, n);
                copied += n;
            }
            if (copied != size || in.read() >= 0 || (int) crc.getValue() != crc32) {
                throw new PackException(file, "changed while being packed");
            }
        }
        position += size;
        return written;
    }

    /**
     * Writes an entry's local header and adds its central record.
     *
     * @return where its bytes will be
     * @throws PackException when the name is longer than a zip allows, 65,535 bytes of UTF-8
     */
    private Written begin(String name, int method, int crc32, long compressedSize, long size) throws IOException {
        if (finished) {
            throw new IllegalStateException("the archive is finished");
        }
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > LIMIT_16) {
            throw new PackException("entry name of " + utf8.length + " bytes is longer than a zip allows (65,535): "
                    + name.substring(0, 64) + "...");
        }
        boolean large = size >= LIMIT_32 || compressedSize >= LIMIT_32;
        int version = large ? VERSION_ZIP64 : method == ZipEntry.DEFLATED ? VERSION_DEFLATED : VERSION_STORED;
        header.clear();
        header.putInt(LOCAL_SIGNATURE).putShort((short) version).putShort((short) FLAG_UTF8).putShort((short) method)
                .putInt(dosTime).putInt(crc32).putInt((int) clamp(compressedSize)).putInt((int) clamp(size))
                .putShort((short) utf8.length).putShort((short) (large ? 20 : 0));
        if (large) {
            header.putShort((short) ZIP64_EXTRA).putShort((short) 16).putLong(size).putLong(compressedSize);
        }
        long offset = position;
        out.write(header.array(), 0, LOCAL_SIZE);
        out.write(utf8);
        out.write(header.array(), LOCAL_SIZE, header.position() - LOCAL_SIZE);
        position += header.position() + utf8.length;
        central(utf8, version, method, crc32, compressedSize, size, offset);
        entries++;
        return new Written(position, size, crc32, method, compressedSize);
    }

    private void central(byte[] utf8, int version, int method, int crc32, long compressedSize, long size, long offset) {
        int extra = 8 * ((size >= LIMIT_32 ? 1 : 0) + (compressedSize >= LIMIT_32 ? 1 : 0) + (offset >= LIMIT_32 ? 1 : 0));
        int needed = extra > 0 ? VERSION_ZIP64 : version;
        header.clear();
        header.putInt(CENTRAL_SIGNATURE).putShort((short) Math.max(needed, VERSION_DEFLATED)).putShort((short) needed).putShort((short) FLAG_UTF8)
                .putShort((short) method).putInt(dosTime).putInt(crc32).putInt((int) clamp(compressedSize))
                .putInt((int) clamp(size)).putShort((short) utf8.length).putShort((short) (extra > 0 ? 4 + extra : 0))
                .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) clamp(offset));
        if (extra > 0) {
            // only the values whose 32-bit field is the sentinel, in this order (APPNOTE 4.5.3)
            header.putShort((short) ZIP64_EXTRA).putShort((short) extra);
            for (long value : new long[] {size, compressedSize, offset}) {
                if (value >= LIMIT_32) {
                    header.putLong(value);
                }
            }
        }
        central.write(header.array(), 0, CENTRAL_SIZE);
        central.writeBytes(utf8);
        central.write(header.array(), CENTRAL_SIZE, header.position() - CENTRAL_SIZE);
    }

    private static long clamp(long value) {
        return Math.min(value, LIMIT_32);
    }

    /**
     * Writes the central directory and the end records, with the seal ({@link IndexWriter#seal}) as the
     * archive comment, and closes the file.
     *
     * @param indexOffset where the index entry's bytes start
     * @param index       the index entry's bytes
     */
    void finish(long indexOffset, byte[] index) throws IOException {
        finished = true;
        long centralOffset = position;
        byte[] directory = central.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(directory);
        out.write(directory);
        position += directory.length;
        ByteBuffer end = ByteBuffer.allocate(ZIP64_END_SIZE + ZIP64_LOCATOR_SIZE + END_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        if (entries >= LIMIT_16 || centralOffset >= LIMIT_32 || directory.length >= LIMIT_32) {
            end.putInt(ZIP64_END_SIGNATURE).putLong(ZIP64_END_SIZE - 12).putShort((short) VERSION_ZIP64)
                    .putShort((short) VERSION_ZIP64).putInt(0).putInt(0).putLong(entries).putLong(entries)
                    .putLong(directory.length).putLong(centralOffset);
            end.putInt(ZIP64_LOCATOR_SIGNATURE).putInt(0).putLong(position).putInt(1);
        }
        String seal = IndexWriter.seal(indexOffset, index, centralOffset, directory.length, (int) crc.getValue());
        int count = (int) Math.min(entries, LIMIT_16);
        end.putInt(END_SIGNATURE).putShort((short) 0).putShort((short) 0).putShort((short) count).putShort((short) count)
                .putInt((int) clamp(directory.length)).putInt((int) clamp(centralOffset)).putShort((short) seal.length());
        out.write(end.array(), 0, end.position());
        out.write(seal.getBytes(StandardCharsets.ISO_8859_1));
        out.close();
    }

    /** Closes the file; an archive not {@linkplain #finish finished} is left incomplete, for the pack to delete. */
    @Override
    public void close() throws IOException {
        out.close();
    }
}
