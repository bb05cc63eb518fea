package dev.hermetic.packer;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;

/**
 * Compresses the application's resources on a fixed pool of threads ({@code --compress-resources},
 * {@code --threads N}) while {@link Packer} writes the archive in name order.
 *
 * <p>Which entries: application resources only, the files under {@code HERMETIC-INF/classes/} that are
 * neither class files nor directories; each is DEFLATED when its deflated form is smaller, else STORED
 * (see {@link Deflated}). Class files (the caches), sources, nested jars and the index stay STORED, as
 * the archive's design requires: the loader reads a class with one positional read of a STORED entry (a
 * DEFLATED class would cost an inflate at every start, ~30 µs for 5 KB), a nested jar is read in place
 * as a slice of the outer file so it cannot be compressed at all, and the index and sources are read in
 * place the same way. Resources are read at most once per start, usually not at all.
 *
 * <p>Determinism: every resource is deflated on its own, into a byte array, at a fixed level; the
 * writer takes the results in name order, waiting for each one. The archive is therefore byte-identical
 * whatever the number of threads, their timing, or whether {@code --reuse} supplied a result.
 *
 * <p>Costs: all tasks are submitted at once, so every compressed resource is held in memory until
 * written (the inputs already are); one {@link java.util.zip.Deflater} per resource.
 */
final class ResourceCompressor implements Closeable {
    /**
     * How many times any compressor in this JVM has run deflate on an entry: a test hook that shows
     * {@code --reuse} really skips compressing, without timing anything.
     */
    static final AtomicLong DEFLATIONS = new AtomicLong();

    private static final ResourceCompressor NONE = new ResourceCompressor(null, null);

    private final ExecutorService pool;
    private final ReusedArchive old;
    private final Map<String, Future<Deflated>> results = new HashMap<>();
    private final AtomicInteger deflated = new AtomicInteger();
    private final AtomicInteger reused = new AtomicInteger();

    private ResourceCompressor(ExecutorService pool, ReusedArchive old) {
        this.pool = pool;
        this.old = old;
    }

    /** Whether {@code --compress-resources} may deflate this file: a resource, not a class or directory. */
    static boolean compressible(InputFile file) {
        return !file.isDirectory() && !file.isClass();
    }

    /**
     * Starts compressing the compressible {@code files}, as the options ask.
     *
     * @return a compressor; without {@code compressResources}, one that compresses nothing
     * @throws PackException when {@code --reuse} names a file that is missing or not a zip
     */
    static ResourceCompressor start(Collection<InputFile> files, PackOptions options) throws IOException {
        if (!options.compressResources()) {
            return NONE;
        }
        ReusedArchive old = options.reuse().isPresent() ? ReusedArchive.open(options.reuse().get()) : null;
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), new Threads());
        ResourceCompressor compressor = new ResourceCompressor(pool, old);
        for (InputFile file : files) {
            if (compressible(file)) {
                compressor.results.put(file.name(), pool.submit(() -> compressor.compress(file)));
            }
        }
        return compressor;
    }

    private Deflated compress(InputFile file) {
        byte[] bytes = file.bytes();
        if (old != null) {
            Deflated previous = old.find(file.name(), bytes, Deflated.crc32(bytes));
            if (previous != null) {
                reused.incrementAndGet();
                count(previous);
                return previous;
            }
        }
        DEFLATIONS.incrementAndGet();
        Deflated result = Deflated.of(bytes);
        count(result);
        return result;
    }

    private void count(Deflated result) {
        if (result.method() == ZipEntry.DEFLATED) {
            deflated.incrementAndGet();
        }
    }

    /**
     * The file's form in the archive, waiting for its compression to finish.
     *
     * @return its compressed (or deliberately stored) form, or null when it is not compressed at all
     */
    Deflated get(InputFile file) throws IOException {
        Future<Deflated> result = results.get(file.name());
        if (result == null) {
            return null;
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compressing " + file.name(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException("compressing " + file.name() + " failed", cause);
        }
    }

    /** @return how many resources were written DEFLATED (compressed now or reused) */
    int deflated() {
        return deflated.get();
    }

    /** @return how many resources were taken from {@code --reuse} instead of being compressed */
    int reused() {
        return reused.get();
    }

    /** @return why the {@code --reuse} archive supplied nothing, or null */
    String reuseIgnoredBecause() {
        return old == null ? null : old.ignoredBecause();
    }

    @Override
    public void close() throws IOException {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (old != null) {
            old.close();
        }
    }

    /** Daemon threads named {@code hermetic-deflate-N}, so that a failed pack never keeps a JVM alive. */
    private static final class Threads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "hermetic-deflate-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
