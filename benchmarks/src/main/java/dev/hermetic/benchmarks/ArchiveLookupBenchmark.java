package dev.hermetic.benchmarks;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Opening an archive and looking names up in it: our index against the JDK's {@link ZipFile}, on the
 * same packed archive of {@code entries} application resources. The first figures of the suite that
 * issue #5 grows; see benchmarks/README.md for the commands and results.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ArchiveLookupBenchmark {
    @Param({"1000", "10000"})
    int entries;

    private Path directory;
    private Path archiveFile;
    private Archive archive;
    private ZipFile zip;
    private String hit;
    private String zipHit;

    @Setup(Level.Trial)
    public void pack() throws IOException {
        directory = Files.createTempDirectory("hermetic-bench");
        Path classes = Files.createDirectories(directory.resolve("classes"));
        for (int i = 0; i < entries; i++) {
            Path file = classes.resolve("com/example/p" + (i % 100) + "/Resource" + i + ".txt");
            Files.createDirectories(file.getParent());
            Files.write(file, ("resource " + i).getBytes(StandardCharsets.UTF_8));
        }
        Path lib = directory.resolve("main.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(lib))) {
            out.putNextEntry(new java.util.zip.ZipEntry("bench/Main.class"));
            out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
            out.closeEntry();
        }
        archiveFile = directory.resolve("app.jar");
        Packer.pack(PackOptions.builder().out(archiveFile).addApp(classes).addLib(lib).mainClass("bench.Main").build());
        archive = Archive.open(archiveFile);
        zip = new ZipFile(archiveFile.toFile());
        hit = "com/example/p7/Resource" + (entries / 2 + 7) + ".txt";
        zipHit = "HERMETIC-INF/classes/" + hit;
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        archive.close();
        zip.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public Object indexFindHit() throws IOException {
        return archive.find(hit);
    }

    @Benchmark
    public Object indexFindMiss() throws IOException {
        return archive.find("com/example/p7/Missing.class");
    }

    @Benchmark
    public Object zipFileGetEntryHit() {
        return zip.getEntry(zipHit);
    }

    @Benchmark
    public Object zipFileGetEntryMiss() {
        return zip.getEntry("HERMETIC-INF/classes/com/example/p7/Missing.class");
    }

    @Benchmark
    public void indexOpenClose() throws IOException {
        Archive.open(archiveFile).close();
    }

    @Benchmark
    public void zipFileOpenClose() throws IOException {
        new ZipFile(archiveFile.toFile()).close();
    }
}
