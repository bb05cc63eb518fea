package dev.hermetic.benchmarks;

import dev.hermetic.loader.ArchiveClassLoader;
import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
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
 * Loading and initialising every class of the synthetic application ({@link SyntheticApp}, cached under
 * {@code -Dhermetic.bench.apps}, default {@code benchmarks/target/apps}) through a fresh loader, cold:
 * one shot per fork, many forks. Our {@link ArchiveClassLoader} over the packed archive (dependency jars
 * nested STORED or DEFLATED), a {@link URLClassLoader} over the jars, and the floor: a loader defining
 * from bytes already in memory ({@link FloorLauncher.MemoryLoader}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(20)
public class ClassDefinitionBenchmark {
    @Param({"1000"})
    int classes;

    private Path directory;
    private Path deflatedLibs;
    private Path storedLibs;
    private List<String> names;
    private URL[] jars;
    private Map<String, byte[]> bytes;

    @Setup(Level.Trial)
    public void prepare() throws IOException {
        SyntheticApp app = SyntheticApp.create(Path.of(System.getProperty("hermetic.bench.apps",
                "benchmarks/target/apps")), classes);
        directory = Files.createTempDirectory("hermetic-define");
        deflatedLibs = directory.resolve("deflated.jar");
        storedLibs = directory.resolve("stored.jar");
        for (boolean stored : new boolean[] {false, true}) {
            PackOptions.Builder options = PackOptions.builder().addApp(app.jar("app")).mainClass("bench.Main")
                    .out(stored ? storedLibs : deflatedLibs);
            app.depJars(stored).forEach(options::addLib);
            Packer.pack(options.build());
        }
        names = Files.readAllLines(app.classesDir("app").resolve("bench/classes.txt"), StandardCharsets.UTF_8)
                .stream().filter(s -> !s.isEmpty()).toList();
        List<URL> urls = new ArrayList<>();
        bytes = new HashMap<>();
        for (String m : SyntheticApp.modules()) {
            urls.add(app.jar(m).toUri().toURL());
            try (ZipFile zip = new ZipFile(app.jar(m).toFile())) {
                for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                    try (InputStream in = zip.getInputStream(e)) {
                        bytes.putIfAbsent(e.getName(), in.readAllBytes());
                    }
                }
            }
        }
        jars = urls.toArray(URL[]::new);
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        SyntheticApp.deleteTree(directory);
    }

    private int loadAll(ClassLoader loader) throws ClassNotFoundException {
        int sum = 0;
        for (String name : names) {
            sum += Class.forName(name, true, loader).getModifiers();
        }
        return sum;
    }

    @Benchmark
    public int oursStoredLibs() throws Exception {
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(storedLibs, ClassLoader.getPlatformClassLoader())) {
            return loadAll(loader);
        }
    }

    @Benchmark
    public int oursDeflatedLibs() throws Exception {
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(deflatedLibs, ClassLoader.getPlatformClassLoader())) {
            return loadAll(loader);
        }
    }

    @Benchmark
    public int urlClassLoaderJars() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(jars, ClassLoader.getPlatformClassLoader())) {
            return loadAll(loader);
        }
    }

    @Benchmark
    public int floorBytesInMemory() throws Exception {
        return loadAll(new FloorLauncher.MemoryLoader(bytes));
    }
}
