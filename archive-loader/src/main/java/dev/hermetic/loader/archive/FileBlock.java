package dev.hermetic.loader.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * Positional reads of a file, or of a slice of it such as a nested jar: the only place that touches an
 * archive's bytes. Reads are serialised on one {@link RandomAccessFile}, which, unlike an
 * interruptible {@code FileChannel}, stays open when a reading thread is interrupted, so one
 * interrupted class load never breaks the others.
 */
final class FileBlock implements Closeable {
    private final Path path;
    private final RandomAccessFile file;
    private final long base;
    private final long length;
    private final FileBlock owner;
    private volatile boolean closed;

    private FileBlock(Path path, RandomAccessFile file, long base, long length, FileBlock owner) {
        this.path = path;
        this.file = file;
        this.base = base;
        this.length = length;
        this.owner = owner;
    }

    static FileBlock open(Path path) throws IOException {
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "r");
        try {
            return new FileBlock(path, file, 0, file.length(), null);
        } catch (IOException e) {
            file.close();
            throw e;
        }
    }

    /** A view of {@code length} bytes at {@code offset}, sharing this file; closing it does nothing. */
    FileBlock slice(long offset, long length) throws ArchiveFormatException {
        check(offset, length);
        return new FileBlock(path, file, base + offset, length, owner == null ? this : owner);
    }

    Path path() {
        return path;
    }

    long length() {
        return length;
    }

    /** Reads {@code count} bytes at {@code position}, all of which must lie inside this block. */
    void read(long position, byte[] into, int offset, int count) throws IOException {
        check(position, count);
        FileBlock root = owner == null ? this : owner;
        synchronized (file) {
            if (root.closed) {
                throw new IllegalStateException(path + " is closed");
            }
            file.seek(base + position);
            file.readFully(into, offset, count);
        }
    }

    byte[] read(long position, int count) throws IOException {
        check(position, count); // before allocating: a corrupt size must not cost memory
        byte[] bytes = new byte[count];
        read(position, bytes, 0, count);
        return bytes;
    }

    private void check(long position, long count) throws ArchiveFormatException {
        if (position < 0 || count < 0 || position > length - count) {
            throw new ArchiveFormatException(path, count + " bytes at offset " + (base + position)
                    + " lie outside " + (owner == null ? "the file of " : "the block of ") + length + " bytes");
        }
    }

    @Override
    public void close() throws IOException {
        if (owner != null) {
            return;
        }
        synchronized (file) {
            closed = true;
            file.close();
        }
    }
}
