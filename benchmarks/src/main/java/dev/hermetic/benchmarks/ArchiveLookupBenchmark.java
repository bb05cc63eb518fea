package dev.hermetic.benchmarks;

import dev.hermetic.loader.ArchiveClassLoader;
import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
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
 * Looking names up in an open archive: our index against the JDK's {@link ZipFile} and Commons
 * Compress's {@code ZipFile}, on the same packed archive of {@code entries} application resources (plus the
 * index and one nested jar), hits and misses; {@code loader*} looks resources up through
 * {@link ArchiveClassLoader} against a {@link URLClassLoader} over the packed file. Opening is measured
 * apart, in {@link ArchiveOpenBenchmark}, where no other handle keeps the JDK's shared zip source open.
 * See benchmarks/README.md for the commands and results.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ArchiveLookupBenchmark {
    @Param({"1000", "10000", "50000", "100000"})
    int entries;

    private Path directory;
    private Path archiveFile;
    private Archive archive;
    private ZipFile zip;
    private org.apache.commons.compress.archivers.zip.ZipFile commons;
    private ArchiveClassLoader loader;
    private URLClassLoader urlLoader;
    private String hit;
    private String zipHit;

    @Setup(Level.Trial)
    public void pack() throws IOException {
        directory = Files.createTempDirectory("hermetic-bench");
        archiveFile = packResources(directory, entries);
        archive = Archive.open(archiveFile);
        zip = new ZipFile(archiveFile.toFile());
        commons = openCommons(archiveFile);
        loader = ArchiveClassLoader.open(archiveFile, ClassLoader.getPlatformClassLoader());
        urlLoader = new URLClassLoader(new URL[] {archiveFile.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        hit = "com/example/p7/Resource" + (entries / 2 + 7) + ".txt";
        zipHit = "HERMETIC-INF/classes/" + hit;
        if (archive.find(hit) == null || zip.getEntry(zipHit) == null || commons.getEntry(zipHit) == null) {
            throw new IllegalStateException("the packed layout changed: " + hit + " / " + zipHit + " not found");
        }
    }

    @SuppressWarnings("deprecation")
    static org.apache.commons.compress.archivers.zip.ZipFile openCommons(Path file) throws IOException {
        return new org.apache.commons.compress.archivers.zip.ZipFile(file.toFile());
    }

    /** Packs {@code entries} small resources ({@code com/example/pK/ResourceN.txt}) and a nested jar. */
    static Path packResources(Path directory, int entries) throws IOException {
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
        Path archiveFile = directory.resolve("app.jar");
        Packer.pack(PackOptions.builder().out(archiveFile).addApp(classes).addLib(lib).mainClass("bench.Main").build());
        return archiveFile;
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        archive.close();
        zip.close();
        commons.close();
        loader.close();
        urlLoader.close();
        SyntheticApp.deleteTree(directory);
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
    public Object commonsGetEntryHit() {
        return commons.getEntry(zipHit);
    }

    @Benchmark
    public Object commonsGetEntryMiss() {
        return commons.getEntry("HERMETIC-INF/classes/com/example/p7/Missing.class");
    }






    @Benchmark
    public Object loaderGetResourceHit() {
        return loader.getResource(hit);
    }

    @Benchmark
    public Object loaderGetResourceMiss() {
        return loader.getResource("com/example/p7/Missing.txt");
    }

    @Benchmark
    public byte[] loaderResourceAsStreamHit() throws IOException {
        try (InputStream in = loader.getResourceAsStream(hit)) {
            return in.readAllBytes();
        }
    }

    @Benchmark
    public Object urlLoaderGetResourceHit() {
        return urlLoader.getResource(zipHit);
    }

    @Benchmark
    public Object urlLoaderGetResourceMiss() {
        return urlLoader.getResource("HERMETIC-INF/classes/com/example/p7/Missing.txt");
    }
}
