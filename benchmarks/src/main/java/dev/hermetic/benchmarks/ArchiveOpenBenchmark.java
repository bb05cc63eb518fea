package dev.hermetic.benchmarks;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.IndexedEntry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
 * Opening a packed archive of {@code entries} resources and closing it, against the entry count: our
 * {@link Archive} (index read, seal checked) against the JDK's {@link ZipFile} (central directory parsed
 * into its hash table) and Commons Compress's {@code ZipFile}; {@code *OpenServeFirst} opens and reads one
 * entry, the "open an archive of 50k entries and serve its first class ≤ 1 ms". Nothing else keeps
 * the file open here: the JDK shares one parsed source between open {@code ZipFile}s of the same file, which
 * would turn its open into a cache hit. Warm page cache; steady state, not the first open of a process.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ArchiveOpenBenchmark {
    @Param({"1000", "10000", "50000", "100000"})
    int entries;

    private Path directory;
    private Path archiveFile;
    private String hit;
    private String zipHit;

    @Setup(Level.Trial)
    public void pack() throws IOException {
        directory = Files.createTempDirectory("hermetic-open");
        archiveFile = ArchiveLookupBenchmark.packResources(directory, entries);
        hit = "com/example/p7/Resource" + (entries / 2 + 7) + ".txt";
        zipHit = "HERMETIC-INF/classes/" + hit;
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        SyntheticApp.deleteTree(directory);
    }

    @Benchmark
    public void oursOpenClose() throws IOException {
        Archive.open(archiveFile).close();
    }

    @Benchmark
    public void zipFileOpenClose() throws IOException {
        new ZipFile(archiveFile.toFile()).close();
    }

    @Benchmark
    public void commonsOpenClose() throws IOException {
        ArchiveLookupBenchmark.openCommons(archiveFile).close();
    }

    @Benchmark
    public byte[] oursOpenServeFirst() throws IOException {
        try (Archive a = Archive.open(archiveFile)) {
            IndexedEntry e = a.find(hit);
            return a.read(e);
        }
    }

    @Benchmark
    public byte[] zipFileOpenServeFirst() throws IOException {
        try (ZipFile z = new ZipFile(archiveFile.toFile()); InputStream in = z.getInputStream(z.getEntry(zipHit))) {
            return in.readAllBytes();
        }
    }
}
