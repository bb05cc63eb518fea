package dev.hermetic.packer;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;

/**
 * Compresses the application's resources ({@code --compress-resources}), each on whichever thread of the
 * pack prepares it ({@link PreparedFiles}), while {@link Packer} writes the archive in name order.
 *
 * <p>Which entries: application resources only, the files under {@code HERMETIC-INF/classes/} that are
 * neither class files nor directories; each is DEFLATED when its deflated form is smaller, else STORED
 * (see {@link Deflated}). Class files (the caches), sources, nested jars and the index stay STORED, as
 * the archive's design requires: the loader reads a class with one positional read of a STORED entry (a
 * DEFLATED class would cost an inflate at every start, ~30 µs for 5 KB), a nested jar is read in place
 * as a slice of the outer file so it cannot be compressed at all, and the index and sources are read in
 * place the same way. Resources are read at most once per start, usually not at all.
 *
 * <p>Determinism: every resource is deflated on its own, into a byte array, at a fixed level, so its
 * form depends only on its bytes. The archive is therefore byte-identical whatever the number of
 * threads, their timing, or whether {@code --reuse} supplied a result.
 *
 * <p>Costs: one {@link java.util.zip.Deflater} per resource; the compressed form is held in memory until
 * written.
 */
final class ResourceCompressor implements Closeable {
    /**
     * How many times any compressor in this JVM has run deflate on an entry: a test hook that shows
     * {@code --reuse} really skips compressing, without timing anything.
     */
    static final AtomicLong DEFLATIONS = new AtomicLong();

    private final boolean enabled;
    private final ReusedArchive old;
    private final AtomicInteger deflated = new AtomicInteger();
    private final AtomicInteger reused = new AtomicInteger();

    private ResourceCompressor(boolean enabled, ReusedArchive old) {
        this.enabled = enabled;
        this.old = old;
    }

    /**
     * A compressor as the options ask: without {@code compressResources}, one that compresses nothing.
     *
     * @throws PackException when {@code --reuse} names a file that is missing or not a zip
     */
    static ResourceCompressor open(PackOptions options) throws IOException {
        return new ResourceCompressor(options.compressResources(),
                options.reuse().isPresent() ? ReusedArchive.open(options.reuse().get()) : null);
    }

    /**
     * A file's form in the archive: deflated (or deliberately stored) when it is a resource and
     * compressing is on, else stored. Safe to call on several threads at once.
     *
     * @param bytes the file's content
     */
    Deflated form(InputFile file, byte[] bytes) {
        if (!enabled || file.isDirectory() || file.isClass()) {
            return Deflated.stored(bytes);
        }
        Deflated result = old == null ? null : old.find(file.name(), bytes, Deflated.crc32(bytes));
        if (result != null) {
            reused.incrementAndGet();
        } else {
            DEFLATIONS.incrementAndGet();
            result = Deflated.of(bytes);
        }
        if (result.method() == ZipEntry.DEFLATED) {
            deflated.incrementAndGet();
        }
        return result;
    }

    /** @return how many resources were written DEFLATED (compressed now or reused) */
    int deflated() {
        return deflated.get();
    }

    /** @return how many resources were taken from {@code --reuse} instead of being compressed */
    int reused() {
        return reused.get();
    }

    @Override
    public void close() throws IOException {
        if (old != null) {
            old.close();
        }
    }
}
