package dev.hermetic.samples.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the Maven build put one sample's pieces, as the samples' parent pom tells surefire through
 * system properties: {@code samples.classes} (compiled classes and resources), {@code samples.sources}
 * ({@code src/main/java}), {@code samples.lib} (runtime dependency jars, copied before the tests run),
 * {@code samples.work} (scratch space under {@code target}) and {@code samples.timestamp} (the
 * build's {@code project.build.outputTimestamp}).
 *
 * @param classes   the compiled classes directory
 * @param sources   the Java sources directory
 * @param libDir    the directory of runtime dependency jars; absent when the sample has none
 * @param work      a directory for the tests' archives and child processes, created on demand
 * @param timestamp the entry time archives are packed with
 */
public record SampleBuild(Path classes, Path sources, Path libDir, Path work, Instant timestamp) {

    /**
     * @return the sample being tested
     * @throws IllegalStateException when not run by the samples' Maven build (a property is missing)
     */
    public static SampleBuild current() {
        return new SampleBuild(path("samples.classes"), path("samples.sources"), path("samples.lib"),
                path("samples.work"), Instant.parse(property("samples.timestamp")));
    }

    /** @return the runtime dependency jars, sorted by file name; empty when the sample has none */
    public List<Path> libJars() throws IOException {
        if (!Files.isDirectory(libDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(libDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        }
    }

    /** @return what {@code java -cp} needs to run the sample unpacked: its classes, then its jars */
    public List<Path> classPath() throws IOException {
        List<Path> path = new ArrayList<>();
        path.add(classes);
        path.addAll(libJars());
        return path;
    }

    /** @return a fresh, empty directory under {@link #work()} for one test */
    public Path freshDirectory(String name) throws IOException {
        Path dir = work.resolve(name);
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    private static Path path(String name) {
        return Path.of(property(name)).toAbsolutePath();
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name
                    + " is not set: run the samples' tests through their Maven build");
        }
        return value;
    }
}
