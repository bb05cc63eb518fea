package dev.hermetic.benchmarks;

import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Packer throughput. {@code app*}: packing the synthetic application of {@code classes} classes (its app
 * jar and three dependency jars; MB/s = {@link #inputBytes} printed at setup ÷ time) with one thread and
 * with all cores: when {@code PackOptions.Builder.threads(int)} exists it is called (1 or the available
 * processors), and the one-core fork also runs with {@code -XX:ActiveProcessorCount=1} so that the JDK
 * and an older packer see one core too. {@code nestedJar}: packing one STORED 64 MB dependency jar, the
 * copy rate of nested jars
 * (MB/s = 64 MiB ÷ time).
 *
 * <p>{@code -XX:ActiveProcessorCount=1} only tells the JVM how many cores to plan for: its JIT compiler
 * threads (busy through the first dozen packs) and the kernel's writeback still run on the other cores.
 * For a one-core figure with nothing running beside the pack, run that fork pinned, e.g.
 * {@code taskset -c 0 java -jar benchmarks.jar 'PackerBenchmark.appOneCore'} (the fork inherits the
 * affinity). {@code appOneThreadTwiceAtOnce} is the ceiling of the two against: two one-thread packs
 * at once.
 *
 * <p>Outputs: {@code nestedJar} replaces the previous {@code out.jar}, so its rename waits for the file
 * system to free the previous archive's blocks (tens of ms for 64 MiB); every other pack writes to a path
 * of its own, as a clean build does, deleted untimed after each iteration ({@code nestedJarNewPath} is
 * {@code nestedJar} so: what packing to a new file costs). The {@code app*} packs replaced their output too
 * until the eleventh round, some 20 ms a pack of file-system work that is the same on any number of cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(2)
public class PackerBenchmark {
    @Param({"10000"})
    int classes;

    private SyntheticApp app;
    private Path directory;
    private Path bigJar;
    private long inputBytes;
    /** How many packs to a path of their own this iteration made ({@link #newPath}). */
    private final AtomicInteger packs = new AtomicInteger();

    @Setup(Level.Trial)
    public void prepare() throws IOException {
        app = SyntheticApp.create(Path.of(System.getProperty("hermetic.bench.apps", "benchmarks/target/apps")), classes);
        directory = Files.createTempDirectory("hermetic-pack");
        bigJar = directory.resolve("big.jar");
        Random random = new Random(42);
        try (OutputStream raw = Files.newOutputStream(bigJar); JarOutputStream out = new JarOutputStream(raw)) {
            out.putNextEntry(new ZipEntry("bench/Main.class")); // the packer wants the main class somewhere
            out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
            out.closeEntry();
            byte[] data = new byte[512 * 1024];
            for (int i = 0; i < 128; i++) {
                random.nextBytes(data);
                ZipEntry e = new ZipEntry("blob/" + i + ".bin");
                e.setMethod(ZipEntry.STORED);
                SyntheticApp.put(out, e, data);
            }
        }
        inputBytes = Files.size(app.jar("app"));
        for (Path p : app.depJars(false)) {
            inputBytes += Files.size(p);
        }
        System.out.printf("%ninput: app %d bytes (app.jar + dependency jars), nested jar %d bytes, threads option: %s%n",
                inputBytes, Files.size(bigJar), threadsMethod() != null);
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        SyntheticApp.deleteTree(directory);
    }

    private static Method threadsMethod() {
        try {
            return PackOptions.Builder.class.getMethod("threads", int.class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** Deletes the outputs of {@link #newPath}, outside the timing. */
    @TearDown(Level.Iteration)
    public void deleteNewPaths() throws IOException {
        for (int i = packs.getAndSet(0) - 1; i >= 0; i--) {
            Files.deleteIfExists(directory.resolve("new-" + i + ".jar"));
        }
    }

    /** An output path no pack of this iteration used, as a clean build's. */
    private Path newPath() {
        return directory.resolve("new-" + packs.getAndIncrement() + ".jar");
    }

    private Object pack(List<Path> libs, Path appJar, int threads, Path out) throws Exception {
        PackOptions.Builder options = PackOptions.builder().out(out).mainClass("bench.Main");
        if (appJar != null) {
            options.addApp(appJar);
        }
        libs.forEach(options::addLib);
        Method m = threadsMethod();
        if (m != null) {
            m.invoke(options, threads);
        }
        return Packer.pack(options.build());
    }

    @Benchmark
    @Fork(value = 2, jvmArgsAppend = "-XX:ActiveProcessorCount=1")
    public Object appOneCore() throws Exception {
        return pack(app.depJars(false), app.jar("app"), 1, newPath());
    }

    /**
     * Two one-thread packs at once, each on a core of its own, to outputs of their own: what two cores
     * give this work when nothing of it is serial, the ceiling of {@link #appAllCores}'s speed-up on this
     * machine (memory, caches, the file system and the JIT shared as they are). Its time a pack against
     * {@link #appOneCore}'s (pinned) is that ceiling: 2 × one ÷ this.
     */
    @Benchmark
    @Threads(2)
    public Object appOneThreadTwiceAtOnce() throws Exception {
        return pack(app.depJars(false), app.jar("app"), 1, newPath());
    }

    @Benchmark
    public Object appAllCores() throws Exception {
        return pack(app.depJars(false), app.jar("app"), Runtime.getRuntime().availableProcessors(), newPath());
    }

    @Benchmark
    public Object nestedJar() throws Exception {
        return pack(List.of(bigJar), null, Runtime.getRuntime().availableProcessors(), directory.resolve("out.jar"));
    }

    @Benchmark
    public Object nestedJarNewPath() throws Exception {
        return pack(List.of(bigJar), null, Runtime.getRuntime().availableProcessors(), newPath());
    }
}
