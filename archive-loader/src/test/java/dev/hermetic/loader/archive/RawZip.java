package dev.hermetic.loader.archive;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes zips byte by byte, for the malformed-archive corpus: by default a correct zip (local header,
 * data, central directory, end record, no data descriptors, no extra fields), and every field can be set
 * to something wrong on purpose. No zip library is involved, so any structure can be made, including
 * those every library refuses to write.
 */
@SuppressWarnings("cast")
final class RawZip {
    /** One entry; the fields left null take their correct value. */
    static final class Entry {
        byte[] name;
        byte[] data;
        int method;
        int flags;
        Integer crc;
        Long compressedSize;
        Long size;
        byte[] localExtra = new byte[0];
        byte[] centralExtra = new byte[0];
        byte[] localName;
        Integer localMethod;
        Integer localFlags;
        Long localCompressedSize;
        Long localSize;
        Long localOffset;
        byte[] descriptor;
        int centralSizeSentinel; // bit 0: size, bit 1: compressed, bit 2: offset become 0xFFFFFFFF
        byte[] stored;
    }

    final List<Entry> entries = new ArrayList<>();
    byte[] prefix = new byte[0];
    byte[] gapBeforeCentral = new byte[0];
    byte[] comment = new byte[0];
    byte[] trailing = new byte[0];
    Integer endEntries;
    Long endCentralOffset;
    boolean adjustOffsetsForPrefix = true;

    /** Adds a correct STORED entry and lets {@code edit} spoil it. */
    RawZip stored(String name, String text, Consumer<Entry> edit) {
        Entry e = new Entry();
        e.name = name.getBytes(StandardCharsets.UTF_8);
        e.data = text.getBytes(StandardCharsets.UTF_8);
        e.method = 0;
        edit.accept(e);
        entries.add(e);
        return this;
    }

    RawZip stored(String name, String text) {
        return stored(name, text, e -> { });
    }

    /** Adds a correct DEFLATED entry and lets {@code edit} spoil it. */
    RawZip deflated(String name, byte[] data, Consumer<Entry> edit) {
        Entry e = new Entry();
        e.name = name.getBytes(StandardCharsets.UTF_8);
        e.data = data;
        e.method = 8;
        edit.accept(e);
        entries.add(e);
        return this;
    }

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(9, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!d.finished()) {
            out.write(buffer, 0, d.deflate(buffer));
        }
        d.end();
        return out.toByteArray();
    }

    static byte[] zip64Extra(long... values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 1).putShort((short) (8 * values.length));
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix);
        long shift = adjustOffsetsForPrefix ? 0 : prefix.length;
        List<Long> offsets = new ArrayList<>();
        for (Entry e : entries) {
            byte[] stored = e.stored != null ? e.stored : e.method == 8 ? deflate(e.data) : e.data;
            e.stored = stored;
            CRC32 crc = new CRC32();
            crc.update(e.data);
            if (e.crc == null) {
                e.crc = (int) crc.getValue();
            }
            offsets.add(out.size() - shift);
            boolean descriptor = (e.flags & 8) != 0;
            ByteBuffer h = le(30);
            h.putInt(0x04034b50).putShort((short) 20).putShort((short) (int) (e.localFlags != null ? e.localFlags : e.flags))
                    .putShort((short) (int) (e.localMethod != null ? e.localMethod : e.method)).putInt(0x28210000)
                    .putInt(descriptor ? 0 : e.crc)
                    .putInt((int) (long) (e.localCompressedSize != null ? e.localCompressedSize : descriptor ? 0L
                            : e.compressedSize != null ? e.compressedSize : stored.length))
                    .putInt((int) (long) (e.localSize != null ? e.localSize : descriptor ? 0L : e.size != null ? e.size : e.data.length))
                    .putShort((short) (e.localName != null ? e.localName : e.name).length).putShort((short) e.localExtra.length);
            out.writeBytes(h.array());
            out.writeBytes(e.localName != null ? e.localName : e.name);
            out.writeBytes(e.localExtra);
            out.writeBytes(stored);
            if (descriptor) {
                out.writeBytes(e.descriptor != null ? e.descriptor : le(16).putInt(0x08074b50).putInt(e.crc)
                        .putInt(stored.length).putInt(e.data.length).array());
            }
        }
        out.writeBytes(gapBeforeCentral);
        long central = out.size() - shift;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            long offset = e.localOffset != null ? e.localOffset : offsets.get(i);
            ByteBuffer c = le(46);
            c.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) e.flags)
                    .putShort((short) e.method).putInt(0x28210000).putInt(e.crc)
                    .putInt((e.centralSizeSentinel & 2) != 0 ? -1 : (int) (long) (e.compressedSize != null ? e.compressedSize : e.stored.length))
                    .putInt((e.centralSizeSentinel & 1) != 0 ? -1 : (int) (long) (e.size != null ? e.size : e.data.length))
                    .putShort((short) e.name.length).putShort((short) e.centralExtra.length).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0)
                    .putInt((e.centralSizeSentinel & 4) != 0 ? -1 : (int) offset);
            out.writeBytes(c.array());
            out.writeBytes(e.name);
            out.writeBytes(e.centralExtra);
        }
        long centralSize = out.size() - shift - central;
        ByteBuffer end = le(22);
        int count = endEntries != null ? endEntries : entries.size();
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count).putShort((short) count)
                .putInt((int) centralSize).putInt((int) (long) (endCentralOffset != null ? endCentralOffset : central))
                .putShort((short) comment.length);
        out.writeBytes(end.array());
        out.writeBytes(comment);
        out.writeBytes(trailing);
        return out.toByteArray();
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
