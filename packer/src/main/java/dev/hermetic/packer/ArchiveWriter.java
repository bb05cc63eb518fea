package dev.hermetic.packer;

import dev.hermetic.loader.archive.IndexWriter;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Writes the archive's zip structure with Commons Compress: every entry STORED with its size and
 * CRC-32 known up front (so local headers are final and no data descriptors follow), one fixed time,
 * no extra fields, no platform attributes, and the seal placeholder as the archive comment. Reports
 * where each entry's bytes start, which the index records.
 */
final class ArchiveWriter implements Closeable {
    private static final int BUFFER = 1 << 16;

    private final ZipArchiveOutputStream zip;
    private final long javaTime;

    ArchiveWriter(Path file, Instant timestamp) throws IOException {
        this.javaTime = javaTimeFor(timestamp);
        this.zip = new ZipArchiveOutputStream(file);
        zip.setUseZip64(Zip64Mode.AsNeeded);
        zip.setComment(IndexWriter.SEAL_PLACEHOLDER);
    }

    /**
     * Commons Compress converts entry times to DOS fields in the default time zone; this picks the
     * instant whose local fields there equal the timestamp's UTC fields, so the bytes are the same in
     * every time zone.
     *
     * @throws PackException when the timestamp's wall-clock time does not exist in the default time zone
     *                       (a daylight-saving gap) or lies outside the DOS range (1980–2107)
     */
    static long javaTimeFor(Instant timestamp) throws PackException {
        LocalDateTime fields = LocalDateTime.ofInstant(timestamp, ZoneOffset.UTC).withNano(0);
        if (fields.getYear() < 1980 || fields.getYear() > 2107) {
            throw new PackException("--timestamp " + timestamp + " is outside the zip format's range (1980 to 2107)");
        }
        long local = fields.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        if (!LocalDateTime.ofInstant(Instant.ofEpochMilli(local), ZoneId.systemDefault()).equals(fields)) {
            throw new PackException("--timestamp " + timestamp + " falls in a daylight-saving gap of time zone "
                    + ZoneId.systemDefault() + "; pick another time or pack with TZ=UTC");
        }
        return local;
    }

    /**
     * Where an entry's bytes went.
     *
     * @param offset where they start in the file
     * @param size   how many there are
     * @param crc32  their CRC-32
     */
    record Written(long offset, long size, int crc32) {
    }

    Written write(String name, byte[] bytes) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        zip.putArchiveEntry(entry(name, bytes.length, crc.getValue()));
        zip.write(bytes);
        return close(bytes.length, crc);
    }

    /** Copies a file as one STORED entry, reading it twice: once for the CRC, once to copy. */
    Written write(String name, Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[BUFFER];
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
                size += n;
            }
        }
        zip.putArchiveEntry(entry(name, size, crc.getValue()));
        long copied = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                zip.write(buffer, 0, n);
                copied += n;
            }
        }
        if (copied != size) {
            throw new PackException(file, "changed while being packed");
        }
        return close(size, crc);
    }

    private ZipArchiveEntry entry(String name, long size, long crc) {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(size);
        entry.setCompressedSize(size);
        entry.setCrc(crc);
        entry.setTime(javaTime);
        return entry;
    }

    private Written close(long size, CRC32 crc) throws IOException {
        zip.closeArchiveEntry();
        return new Written(zip.getBytesWritten() - size, size, (int) crc.getValue());
    }

    /** Writes the central directory and the end record. */
    void finish() throws IOException {
        zip.finish();
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
