package dev.hermetic.packer;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The threads of one pack ({@code --threads N}): N - 1 daemon workers named {@code hermetic-pack-1} ...
 * and the packing thread itself. Work that does not depend on where it lands in the archive (reading
 * and inflating inputs, hashing, parsing class files, compressing) is submitted as tasks; the packing
 * thread writes the archive in its fixed order and {@linkplain Task#join() joins} each result when it
 * needs it. While it waits it runs queued tasks itself, the one it waits for first, so that N threads
 * work whatever the mix of tasks and writing; but not a {@linkplain #submitLong long task} it does
 * not wait for, which could hold it up far longer than the result it waits for.
 *
 * <p>With one thread there are no workers: a task runs on the packing thread when its result is first
 * joined, and a task never joined never runs. {@code --threads 1} is single-threaded work.
 *
 * <p>Determinism: a task's result depends only on its input, never on which thread ran it or when, and
 * the packing thread joins results in its own fixed order, so the archive and the first error reported
 * (a task's exception is thrown by {@link Task#join()}) are the same for any number of threads.
 *
 * <p>Costs: one queue for all, run in the order queued; a join scans it to take its task (or one to
 * help with) off it. Tasks should be coarse (a chunk of entries, hundreds per pack), and bounded unless
 * {@linkplain #submitLong long}, since a waiting packing thread may run one before the task it waits
 * for finishes on a worker.
 */
final class Workers implements Closeable {
    private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    private Workers() {
    }

    /** @param threads the threads of the pack, the packing thread included: at least 1 */
    static Workers start(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: must be at least 1, not " + threads);
        }
        Workers workers = new Workers();
        for (int i = 1; i < threads; i++) {
            Thread thread = new Thread(workers::work, "hermetic-pack-" + i);
            thread.setDaemon(true); // a pack that failed must never keep a JVM alive
            workers.threads.add(thread);
            thread.start();
        }
        return workers;
    }

    /** Queues a bounded task; it runs on a worker, or on the packing thread while that waits. */
    <T> Task<T> submit(Callable<T> work) {
        return queue(new Job<>(work, false));
    }

    /**
     * Queues a long task (reading a whole jar); it runs on a worker, or on the packing thread only when
     * joined before a worker started it.
     */
    <T> Task<T> submitLong(Callable<T> work) {
        return queue(new Job<>(work, true));
    }

    private <T> Task<T> queue(Job<T> job) {
        if (closed) {
            throw new IllegalStateException("the pack's workers were stopped");
        }
        queue.add(job);
        return new Task<>(job);
    }

    /** The packing thread's help while it waits: the first queued task that is not long, taken off the queue. */
    private Job<?> bounded() {
        for (Job<?> job : queue) {
            if (!job.isLong && queue.remove(job)) {
                return job;
            }
        }
        return null;
    }

    private void work() {
        try {
            while (!closed) {
                queue.take().run();
            }
        } catch (InterruptedException e) {
            // stopped by close()
        }
    }

    private static final class Job<T> extends FutureTask<T> {
        final boolean isLong;

        Job(Callable<T> work, boolean isLong) {
            super(work);
            this.isLong = isLong;
        }
    }

    /** A result computed on some thread of the pack. */
    final class Task<T> {
        private final Job<T> future;

        private Task(Job<T> future) {
            this.future = future;
        }

        /**
         * Waits for the result, running this task here if no thread has started it, and other queued
         * bounded tasks while a worker runs it.
         *
         * @throws IOException the task's own exception (the same type and message), or an
         *                     {@link InterruptedIOException} when this thread is interrupted
         */
        T join() throws IOException {
            while (!future.isDone()) {
                Job<?> next = queue.remove(future) ? future : bounded();
                if (next == null) {
                    break; // a worker runs it and nothing else is queued: wait
                }
                next.run();
            }
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while packing");
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            }
        }
    }

    private static IOException rethrow(Throwable cause) throws IOException {
        if (cause instanceof IOException io) {
            throw io;
        }
        if (cause instanceof UncheckedIOException unchecked) {
            throw unchecked.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException(cause);
    }

    /**
     * Drops the queued tasks, interrupts the workers and waits until each has finished the task it was
     * running, so that no thread of this pack outlives it nor reads an input after it is closed. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        for (Thread thread : threads) {
            thread.interrupt();
        }
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
