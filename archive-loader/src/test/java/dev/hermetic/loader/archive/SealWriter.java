package dev.hermetic.loader.archive;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Seals an archive written by another zip writer (the JDK's {@code ZipOutputStream}, in {@link TestArchives})
 * with {@link #placeholder()} as its comment, as the packer's own writer seals as it writes: the entries'
 * time fields set to a time's UTC date and time, and the placeholder overwritten with the seal.
 */
final class SealWriter {
    private SealWriter() {
    }

    /** A comment of the seal's length to write in place of the seal, which {@link #write} fills in. */
    static String placeholder() {
        return new Seal(0, 0, 0, 0, 0, new byte[IndexLayout.DIGEST_SIZE]).toComment();
    }

    /**
     * The most bytes {@link #stampLocalHeaders} reads and writes back at once: local headers closer
     * together than this share one read and one write, the entries' bytes between them included.
     */
    static final int WINDOW = 256 * 1024;

    /**
     * Writes every entry's DOS time fields, then the seal. The times go straight into the headers
     * because zip writers convert through the default time zone, in which some wall-clock times (those
     * in a daylight-saving gap) do not exist.
     */
    static void write(Path archive, long indexOffset, int indexLength, Instant entryTime) throws IOException {
        int dosTime = dosTime(archive, entryTime);
        try (FileBlock file = FileBlock.open(archive);
             FileChannel out = FileChannel.open(archive, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            EndRecord end = EndRecord.read(file);
            if (!placeholder().equals(new String(end.comment(), StandardCharsets.ISO_8859_1))) {
                throw new ArchiveFormatException(archive, "archive comment is not the seal placeholder");
            }
            byte[] central = CentralDirectory.bytes(file, end);
            ByteBuffer cd = ByteBuffer.wrap(central).order(ByteOrder.LITTLE_ENDIAN);
            List<CentralDirectory.Record> records = CentralDirectory.parse(file, end, central, false);
            long[] localTimes = new long[records.size()];
            for (int i = 0; i < localTimes.length; i++) {
                CentralDirectory.Record r = records.get(i);
                cd.putInt(r.position() + CentralDirectory.CENTRAL_TIME, dosTime);
                localTimes[i] = r.localOffset() + CentralDirectory.LOCAL_TIME;
            }
            stampLocalHeaders(archive, out, localTimes, dosTime);
            writeFully(out, ByteBuffer.wrap(central), end.centralOffset());
            CRC32 crc = new CRC32();
            crc.update(central);
            byte[] indexSha256 = Sha256.of(file.read(indexOffset, indexLength));
            byte[] seal = new Seal(indexOffset, indexLength, end.centralOffset(), end.centralSize(),
                    (int) crc.getValue(), indexSha256).toComment().getBytes(StandardCharsets.ISO_8859_1);
            writeFully(out, ByteBuffer.wrap(seal), file.length() - seal.length);
        }
    }

    /**
     * Writes {@code dosTime} at each of {@code positions} (any order, repeats allowed). Instead of one
     * write per local header, each run of headers within {@link #WINDOW} bytes is read, patched in
     * memory and written back: two system calls per run, and the entries' bytes between the headers
     * copied twice, which costs far less than ten thousand small writes. A run never spans a gap wider
     * than the window, so a large entry (a nested jar) is skipped, not copied.
     */
    private static void stampLocalHeaders(Path archive, FileChannel out, long[] positions, int dosTime)
            throws IOException {
        Arrays.sort(positions);
        ByteBuffer window = ByteBuffer.allocateDirect(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
        int first = 0;
        while (first < positions.length) {
            long start = positions[first];
            int last = first;
            while (last + 1 < positions.length && positions[last + 1] + 4 - start <= WINDOW) {
                last++;
            }
            window.clear().limit((int) (positions[last] + 4 - start));
            while (window.hasRemaining()) {
                if (out.read(window, start + window.position()) < 0) {
                    throw new EOFException(archive + ": ends at offset " + (start + window.position())
                            + ", inside a local header");
                }
            }
            for (int i = first; i <= last; i++) {
                window.putInt((int) (positions[i] - start), dosTime);
            }
            writeFully(out, window.flip(), start);
            first = last + 1;
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes, long position) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes, position + bytes.position());
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
