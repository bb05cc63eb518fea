package dev.hermetic.loader.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * Positional reads of the archive file: the only place that touches its bytes. Reads are serialised on
 * one {@link RandomAccessFile}, which, unlike an interruptible {@code FileChannel}, stays open when a
 * reading thread is interrupted, so one interrupted class load never breaks the others.
 */
final class FileBlock implements Closeable {
    private final Path path;
    private final RandomAccessFile file;
    private final long length;
    private volatile boolean closed;

    FileBlock(Path path) throws IOException {
        this.path = path;
        this.file = new RandomAccessFile(path.toFile(), "r");
        this.length = file.length();
    }

    Path path() {
        return path;
    }

    long length() {
        return length;
    }

    /** Reads {@code length} bytes at {@code position}, all of which must lie inside the file. */
    void read(long position, byte[] into, int offset, int count) throws IOException {
        if (position < 0 || count < 0 || position > length - count) {
            throw new ArchiveFormatException(path, count + " bytes at offset " + position
                    + " lie outside the file of " + length + " bytes");
        }
        synchronized (file) {
            if (closed) {
                throw new IllegalStateException(path + " is closed");
            }
            file.seek(position);
            file.readFully(into, offset, count);
        }
    }

    byte[] read(long position, int count) throws IOException {
        byte[] bytes = new byte[count];
        read(position, bytes, 0, count);
        return bytes;
    }

    @Override
    public void close() throws IOException {
        synchronized (file) {
            closed = true;
            file.close();
        }
    }
}
