package dev.hermetic.loader.archive;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.zip.CRC32;

/** The packer's side of the {@link Seal}: kept apart so that the loader never loads or verifies it. */
final class SealWriter {
    private SealWriter() {
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
            if (!Seal.placeholder().equals(new String(end.comment(), StandardCharsets.ISO_8859_1))) {
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
            CRC32 crc = new CRC32();
            crc.update(central);
            byte[] indexSha256 = Sha256.of(file.read(indexOffset, indexLength));
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
