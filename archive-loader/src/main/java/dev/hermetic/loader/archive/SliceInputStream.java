package dev.hermetic.loader.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** At most {@code remaining} bytes of the stream it wraps, which it closes. */
final class SliceInputStream extends FilterInputStream {
    /**
     * Streams {@code size} bytes at {@code offset} of a file, such as a nested jar whole. The stream
     * holds a file handle of its own, released by {@link InputStream#close()}.
     */
    static InputStream open(Path file, long offset, long size) throws IOException {
        FileChannel channel = FileChannel.open(file);
        if (offset < 0 || size < 0 || offset > channel.size() - size) {
            channel.close();
            throw new ArchiveFormatException(file, size + " bytes at offset " + offset + " lie outside the file");
        }
        return new SliceInputStream(Channels.newInputStream(channel.position(offset)), size);
    }

    private long remaining;

    SliceInputStream(InputStream in, long size) {
        super(in);
        this.remaining = size;
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int b = in.read();
        if (b >= 0) {
            remaining--;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
            return len == 0 ? 0 : -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n > 0) {
            remaining -= n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(Math.min(n, remaining));
        remaining -= skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), remaining);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
