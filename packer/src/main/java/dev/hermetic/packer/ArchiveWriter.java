package dev.hermetic.packer;

import dev.hermetic.loader.archive.IndexWriter;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Writes the archive's zip structure with Commons Compress: every entry with its sizes and CRC-32
 * known up front (so local headers are final and no data descriptors follow), one time for all
 * (written by the seal, in UTC), no extra fields, no platform attributes, and the seal placeholder as
 * the archive comment. Reports where each entry's bytes start, which the index records.
 *
 * <p>Costs: Commons Compress writes to a buffered stream, not to a file channel: with sizes and CRCs
 * known up front it has no header to go back and rewrite, and ten thousand small entries cost a few
 * hundred writes to the file instead of several system calls each.
 *
 * <p>Entries are STORED, except resources that {@link ResourceCompressor} deflated beforehand: their
 * deflate data is copied as it is ({@code addRawArchiveEntry}), so the writer itself never compresses
 * and the bytes do not depend on which thread deflated them.
 */
final class ArchiveWriter implements Closeable {
    private static final int BUFFER = 1 << 16;
    /** How much of a nested jar is copied at a time: large writes go past the stream's buffer. */
    private static final int COPY_CHUNK = 1 << 20;

    /**
     * The time handed to Commons Compress, which converts it to DOS fields in the default time zone;
     * {@link #finish} then writes the real fields. Noon on 1 January 2000 UTC is a valid DOS time, outside
     * any daylight-saving change, in every time zone.
     */
    private static final long PROVISIONAL_TIME = Instant.parse("2000-01-01T12:00:00Z").toEpochMilli();

    private final Path file;
    private final Instant timestamp;
    private final ZipArchiveOutputStream zip;

    /** @throws PackException when the timestamp lies outside the DOS range (1980–2107) */
    ArchiveWriter(Path file, Instant timestamp) throws IOException {
        int year = LocalDateTime.ofInstant(timestamp, ZoneOffset.UTC).getYear();
        if (year < 1980 || year > 2107) {
            throw new PackException("entry time " + timestamp + " (from --timestamp or SOURCE_DATE_EPOCH) is outside"
                    + " the zip format's range (1980 to 2107)");
        }
        this.file = file;
        this.timestamp = timestamp;
        this.zip = new ZipArchiveOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER));
        zip.setUseZip64(Zip64Mode.AsNeeded);
        zip.setComment(IndexWriter.SEAL_PLACEHOLDER);
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
        if (entry.method() == ZipEntry.STORED) {
            zip.putArchiveEntry(entry(name, entry.size(), Integer.toUnsignedLong(entry.crc32())));
            zip.write(entry.data());
            return close(entry.size(), entry.crc32());
        }
        ZipArchiveEntry zipEntry = entry(name, entry.size(), Integer.toUnsignedLong(entry.crc32()));
        zipEntry.setMethod(ZipEntry.DEFLATED);
        zipEntry.setCompressedSize(entry.data().length);
        zip.addRawArchiveEntry(zipEntry, new ByteArrayInputStream(entry.data()));
        long compressed = entry.data().length;
        return new Written(zip.getBytesWritten() - compressed, entry.size(), entry.crc32(), ZipEntry.DEFLATED, compressed);
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
        zip.putArchiveEntry(entry(name, size, Integer.toUnsignedLong(crc32)));
        byte[] buffer = new byte[(int) Math.min(COPY_CHUNK, Math.max(size, 1))];
        long copied = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                zip.write(buffer, 0, n);
                copied += n;
            }
        }
        try {
            if (copied == size) {
                return close(size, crc32);
            }
        } catch (ZipException crcDiffers) {
            throw new PackException(file, "changed while being packed", crcDiffers);
        }
        throw new PackException(file, "changed while being packed");
    }

    private ZipArchiveEntry entry(String name, long size, long crc) {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(size);
        entry.setCompressedSize(size);
        entry.setCrc(crc);
        entry.setTime(PROVISIONAL_TIME);
        return entry;
    }

    /**
     * Closes a STORED entry; Commons Compress checks that its bytes had this size and CRC-32.
     *
     * @throws ZipException when they had not
     */
    private Written close(long size, int crc32) throws IOException {
        zip.closeArchiveEntry();
        return new Written(zip.getBytesWritten() - size, size, crc32, ZipEntry.STORED, size);
    }

    /**
     * Writes the central directory and the end record, closes the file, then sets every entry's time
     * (in UTC, whatever the time zone) and seals the archive ({@link IndexWriter#seal}).
     *
     * @param indexOffset where the index entry's bytes start
     * @param indexLength the index entry's size
     */
    void finish(long indexOffset, int indexLength) throws IOException {
        zip.finish();
        zip.close();
        IndexWriter.seal(file, indexOffset, indexLength, timestamp);
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
