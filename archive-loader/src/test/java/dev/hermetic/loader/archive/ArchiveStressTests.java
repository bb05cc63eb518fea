package dev.hermetic.loader.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hermetic.loader.ArchiveClassLoader;
import dev.hermetic.loader.LoaderSettings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrency and resources over real archives and a real {@link ArchiveClassLoader}. Short forms in the
 * normal suite; {@code -Dhermetic.stress=long} (set by {@code -Pfuzz}) runs the long forms.
 *
 * <p>Fixture: {@link #CLASSES} generated class files ({@code s/pN/CM}, each a minimal valid class
 * file written by {@link #classFile}, no javac), packed STORED by {@link TestArchives}.
 */
class ArchiveStressTests {
    private static final boolean LONG = "long".equals(System.getProperty("hermetic.stress"));
    static final int CLASSES = 10_000;
    private static final int THREADS = LONG ? 64 : 32;
    private static final int ROUNDS = LONG ? 5 : 1;
    private static final int CYCLES = LONG ? 10_000 : 1000;

    @TempDir
    static Path shared;
    private static Path archive;
    private static List<String> names;

    @TempDir
    Path dir;

    @BeforeAll
    static void packTenThousandClasses() throws IOException {
        TestArchives.Builder builder = TestArchives.archive("s.p0.C0");
        names = new ArrayList<>(CLASSES);
        for (int i = 0; i < CLASSES; i++) {
            String name = "s/p" + (i % 100) + "/C" + i;
            builder.app(name + ".class", classFile(name));
            names.add(name.replace('/', '.'));
        }
        archive = builder.write(shared.resolve("ten-thousand.jar")).path();
    }

    /** A minimal valid class file: {@code public class NAME extends Object}, no members, version 61. */
    static byte[] classFile(String internalName) {
        byte[] name = internalName.getBytes(StandardCharsets.UTF_8);
        byte[] object = "java/lang/Object".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(64 + name.length + object.length);
        b.putInt(0xCAFEBABE).putShort((short) 0).putShort((short) 61).putShort((short) 5);
        b.put((byte) 1).putShort((short) name.length).put(name);
        b.put((byte) 7).putShort((short) 1);
        b.put((byte) 1).putShort((short) object.length).put(object);
        b.put((byte) 7).putShort((short) 3);
        b.putShort((short) 0x21).putShort((short) 2).putShort((short) 4);
        b.putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static LoaderSettings settings() {
        return LoaderSettings.builder().cache(false).build();
    }

    @Test
    void loadClassWhenThreadsLoadAllClassesUnderRandomInterruptsThenEachDefinedOnceNoErrorNoDeadlock() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < ROUNDS; round++) {
            try (ArchiveClassLoader loader = ArchiveClassLoader.open(archive, ClassLoader.getPlatformClassLoader(), settings())) {
                Map<String, Class<?>> defined = new ConcurrentHashMap<>();
                ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
                AtomicInteger interrupts = new AtomicInteger();
                CountDownLatch start = new CountDownLatch(1);
                List<Thread> workers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    long seed = t * 31L + round;
                    Thread worker = new Thread(() -> {
                        List<String> order = new ArrayList<>(names);
                        Collections.shuffle(order, new Random(seed));
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        for (String name : order) {
                            try {
                                Class<?> c = loader.loadClass(name);
                                Class<?> first = defined.putIfAbsent(name, c);
                                if (first != null && first != c) {
                                    failures.add(new AssertionError(name + " defined twice"));
                                }
                            } catch (Throwable e) {
                                failures.add(e);
                            }
                            Thread.interrupted(); // clear, and go on: an interrupt must not break later loads
                        }
                    }, "loader-" + t);
                    workers.add(worker);
                    worker.start();
                }
                AtomicBoolean done = new AtomicBoolean();
                Random random = new Random(round);
                Thread interrupter = new Thread(() -> {
                    while (!done.get()) {
                        workers.get(random.nextInt(workers.size())).interrupt();
                        interrupts.incrementAndGet();
                        try {
                            Thread.sleep(0, 200_000);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "interrupter");
                interrupter.start();
                start.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                for (Thread w : workers) {
                    while (w.isAlive()) {
                        w.join(200);
                        long[] deadlocked = mx.findDeadlockedThreads();
                        assertThat(deadlocked).as("deadlocked threads").isNull();
                        assertThat(System.nanoTime()).as("watchdog: the loads finish within 120 s").isLessThan(deadline);
                    }
                }
                done.set(true);
                interrupter.join();
                assertThat(failures).as("failures of " + THREADS + " threads under " + interrupts.get() + " interrupts")
                        .isEmpty();
                assertThat(defined).hasSize(CLASSES);
                assertThat(interrupts.get()).isPositive();
            }
        }
    }

    private static long openDescriptors() throws IOException {
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            return list.count();
        }
    }

    @Test
    void openAndCloseWhenRepeatedThenNoDescriptorLeaksAndTheArchiveCanBeDeleted() throws Exception {
        Path copy = Files.copy(archive, dir.resolve("copy.jar"));
        long before = openDescriptors();
        for (int i = 0; i < CYCLES; i++) {
            try (ArchiveClassLoader loader = ArchiveClassLoader.open(copy, ClassLoader.getPlatformClassLoader(), settings())) {
                assertThat(loader.loadClass(names.get(i % CLASSES)).getName()).isEqualTo(names.get(i % CLASSES));
            }
        }
        assertThat(openDescriptors()).as("descriptors after " + CYCLES + " open/close cycles").isLessThanOrEqualTo(before + 2);
        Files.delete(copy);
        assertThat(copy).doesNotExist();
    }

    @Test
    void loadClassWhenTheArchiveIsReplacedByAtomicRenameThenTheRunningLoaderGoesOnServingItsOwn() throws Exception {
        // fixture: a copy of the archive, open; then another archive (one class) renamed over it
        Path live = Files.copy(archive, dir.resolve("live.jar"));
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(live, ClassLoader.getPlatformClassLoader(), settings())) {
            loader.loadClass(names.get(0));
            Path next = TestArchives.archive("x.New").app("x/New.class", classFile("x/New")).write(dir.resolve(".live.next")).path();
            Files.move(next, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            for (int i = 1; i < 500; i++) {
                assertThat(loader.loadClass(names.get(i)).getName()).isEqualTo(names.get(i));
            }
        }
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(live, ClassLoader.getPlatformClassLoader(), settings())) {
            assertThat(loader.loadClass("x.New").getName()).isEqualTo("x.New");
        }
    }

    @Test
    void readWhenTheArchiveIsTruncatedInPlaceThenIOExceptionNotACrash() throws Exception {
        Path live = Files.copy(archive, dir.resolve("truncated.jar"));
        try (Archive opened = Archive.open(live)) {
            IndexedEntry last = opened.find(names.get(CLASSES - 1).replace('.', '/') + ".class");
            try (RandomAccessFile file = new RandomAccessFile(live.toFile(), "rw")) {
                file.setLength(last.dataOffset() / 2);
            }
            assertThatThrownBy(() -> opened.read(last)).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> Archive.open(live)).isInstanceOf(ArchiveFormatException.class)
                .hasMessageStartingWith(live + ": ");
    }

    @Test
    void loadClassWhenTheArchiveIsOverwrittenInPlaceThenClassNotFoundWithAChecksumMismatch() throws Exception {
        Path live = Files.copy(archive, dir.resolve("overwritten.jar"));
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(live, ClassLoader.getPlatformClassLoader(), settings())) {
            try (RandomAccessFile file = new RandomAccessFile(live.toFile(), "rw")) {
                file.seek(1000);
                file.write(new byte[(int) (file.length() / 2) - 1000]);
            }
            String victim = names.get(CLASSES / 4);
            assertThatThrownBy(() -> loader.loadClass(victim))
                    .isInstanceOf(ClassNotFoundException.class)
                    .hasRootCauseInstanceOf(ArchiveFormatException.class)
                    // the class's bytes, or the index page its lookup reads first (pages are read at first use)
                    .hasMessageMatching("(?s).*(: CRC-32 of the \\d+ bytes read|: index checksum mismatch in page \\d+).*");
        }
    }
}
