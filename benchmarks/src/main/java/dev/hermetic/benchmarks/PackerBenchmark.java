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
 * affinity). Each pack replaces the previous {@code out.jar}, so the rename waits for the file system to
 * free the previous archive's blocks (tens of ms for 64 MiB); {@code nestedJarNewPath} packs the same jar
 * to a path of its own each time (deleted, untimed, after each iteration): what packing to a new file
 * costs.
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
    /** How many packs {@link #nestedJarNewPath} made: each to a path of its own. */
    private int packs;

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

    /** Deletes the outputs of {@link #nestedJarNewPath}, outside its timing. */
    @TearDown(Level.Iteration)
    public void deleteNewPaths() throws IOException {
        for (int i = 0; i < packs; i++) {
            Files.deleteIfExists(directory.resolve("new-" + i + ".jar"));
        }
        packs = 0;
    }

    private Object pack(List<Path> libs, Path appJar, int threads) throws Exception {
        return pack(libs, appJar, threads, directory.resolve("out.jar"));
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
        return pack(app.depJars(false), app.jar("app"), 1);
    }

    @Benchmark
    public Object appAllCores() throws Exception {
        return pack(app.depJars(false), app.jar("app"), Runtime.getRuntime().availableProcessors());
    }

    @Benchmark
    public Object nestedJar() throws Exception {
        return pack(List.of(bigJar), null, Runtime.getRuntime().availableProcessors());
    }

    @Benchmark
    public Object nestedJarNewPath() throws Exception {
        return pack(List.of(bigJar), null, Runtime.getRuntime().availableProcessors(),
                directory.resolve("new-" + packs++ + ".jar"));
    }
}
