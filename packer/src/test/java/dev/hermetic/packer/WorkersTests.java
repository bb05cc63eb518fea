package dev.hermetic.packer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Workers}: where tasks run (on one thread, only the calling thread and only when joined), what a
 * failed task throws, and that no worker outlives {@link Workers#close()}. Latches order the threads;
 * nothing is timed.
 */
class WorkersTests {
    private static List<Thread> packThreads() {
        List<Thread> threads = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("hermetic-pack-") && thread.isAlive()) {
                threads.add(thread);
            }
        }
        return threads;
    }

    @Test
    void joinWhenOneThreadThenTasksRunOnTheCallingThreadOnlyWhenJoined() throws IOException {
        AtomicInteger runs = new AtomicInteger();
        try (Workers workers = Workers.start(1)) {
            Workers.Task<Thread> first = workers.submit(() -> {
                runs.incrementAndGet();
                return Thread.currentThread();
            });
            Workers.Task<Thread> never = workers.submitLong(() -> {
                runs.incrementAndGet();
                return Thread.currentThread();
            });
            assertThat(runs).hasValue(0);
            assertThat(first.join()).isSameAs(Thread.currentThread());
            assertThat(first.join()).isSameAs(Thread.currentThread());
            assertThat(runs).hasValue(1);
            assertThat(never).isNotNull();
        }
        assertThat(runs).hasValue(1);
    }

    @Test
    void startWhenThreeThreadsThenTwoDaemonWorkersNamedAfterThePack() {
        Workers workers = Workers.start(3);
        assertThat(packThreads()).extracting(Thread::getName)
                .containsExactlyInAnyOrder("hermetic-pack-1", "hermetic-pack-2");
        assertThat(packThreads()).allMatch(Thread::isDaemon);
        workers.close();
        assertThat(packThreads()).isEmpty();
    }

    @Test
    void startWhenNoThreadThenFailsSayingSo() {
        assertThatThrownBy(() -> Workers.start(0))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads: must be at least 1, not 0");
    }

    @Test
    void joinWhenTheTaskFailedThenThrowsItsOwnExceptionOnAnyNumberOfThreads() {
        for (int threads : List.of(1, 4)) {
            try (Workers workers = Workers.start(threads)) {
                Path file = Path.of("lib.jar");
                Workers.Task<Object> input = workers.submit(() -> {
                    throw new PackException(file, "--lib: not a jar");
                });
                Workers.Task<Object> bug = workers.submitLong(() -> {
                    throw new IllegalStateException("a bug");
                });
                assertThatThrownBy(input::join).as("%d threads", threads)
                        .isExactlyInstanceOf(PackException.class).hasMessage("lib.jar: --lib: not a jar");
                assertThatThrownBy(bug::join).as("%d threads", threads)
                        .isExactlyInstanceOf(IllegalStateException.class).hasMessage("a bug");
            }
        }
    }

    @Test
    void joinWhenAWorkerRunsTheTaskThenTheCallerRunsQueuedBoundedTasksButNoLongOne() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> longRanOn = new AtomicReference<>();
        try (Workers workers = Workers.start(2)) {
            Workers.Task<Thread> blocked = workers.submitLong(() -> {
                started.countDown();
                assertThat(release.await(1, TimeUnit.MINUTES)).isTrue();
                return Thread.currentThread();
            });
            assertThat(started.await(1, TimeUnit.MINUTES)).isTrue(); // the only worker is busy with it
            workers.submitLong(() -> {
                longRanOn.set(Thread.currentThread());
                return null;
            });
            Workers.Task<Thread> bounded = workers.submit(() -> {
                release.countDown();
                return Thread.currentThread();
            });

            assertThat(blocked.join().getName()).isEqualTo("hermetic-pack-1");
            assertThat(longRanOn.get()).isNotSameAs(Thread.currentThread());
            assertThat(bounded.join()).isSameAs(Thread.currentThread());
        }
    }

    @Test
    void closeWhenTasksAreQueuedAndRunningThenDropsTheQueuedAndWaitsForTheRunning() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger dropped = new AtomicInteger();
        Workers workers = Workers.start(2);
        workers.submitLong(() -> {
            started.countDown();
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(1));
            } finally {
                finished.incrementAndGet(); // interrupted by close
            }
            return null;
        });
        workers.submitLong(dropped::incrementAndGet);
        assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();

        workers.close();
        assertThat(finished).hasValue(1);
        assertThat(dropped).hasValue(0);
        assertThat(packThreads()).isEmpty();
        workers.close();
        assertThatThrownBy(() -> workers.submit(() -> null))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("the pack's workers were stopped");
    }
}
