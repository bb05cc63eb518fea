package dev.hermetic.samples.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program in a child JVM, {@code java -jar ARCHIVE args...} or {@code java -cp PATH MAIN args...},
 * and compares two runs. The child uses the {@code java} of the JVM running the tests, or the one named
 * by the system property {@code samples.java}; it runs in a given directory with the JDK's option
 * environment variables removed, so that both runs of a comparison see the same environment.
 */
public final class ChildJvm {
    private static final long TIMEOUT_SECONDS = 60;
    private static final List<String> OPTION_VARIABLES =
            List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "CLASSPATH");

    private final Path directory;

    private ChildJvm(Path directory) {
        this.directory = directory;
    }

    /** @param directory the working directory of the children; their output is kept there too */
    public static ChildJvm in(Path directory) {
        return new ChildJvm(directory);
    }

    /** @return the run of {@code java -jar archive args...} */
    public JavaRun javaJar(Path archive, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", archive.toString()));
        command.addAll(List.of(args));
        return run("jar", command);
    }

    /** @return the run of {@code java -cp classPath mainClass args...} */
    public JavaRun javaClassPath(List<Path> classPath, String mainClass, String... args)
            throws IOException, InterruptedException {
        List<String> entries = new ArrayList<>();
        for (Path p : classPath) {
            entries.add(p.toString());
        }
        List<String> command = new ArrayList<>(List.of(java(), "-cp", String.join(File.pathSeparator, entries), mainClass));
        command.addAll(List.of(args));
        return run("cp", command);
    }

    /**
     * Asserts that the packed run behaved exactly as the plain class-path run: same exit code and the
     * same bytes on standard output and standard error.
     */
    public static void assertSameRun(JavaRun packed, JavaRun plain) {
        assertThat(packed.stdout()).as("stdout of %s%nagainst %s", packed.command(), plain.command())
                .isEqualTo(plain.stdout());
        assertThat(packed.stderr()).as("stderr of %s%nagainst %s", packed.command(), plain.command())
                .isEqualTo(plain.stderr());
        assertThat(packed.out()).as("stdout bytes").isEqualTo(plain.out());
        assertThat(packed.err()).as("stderr bytes").isEqualTo(plain.err());
        assertThat(packed.exitCode()).as("exit code of %s", packed).isEqualTo(plain.exitCode());
    }

    private JavaRun run(String kind, List<String> command) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path out = Files.createTempFile(directory, kind + "-", ".out");
        Path err = Files.createTempFile(directory, kind + "-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> environment = builder.environment();
        OPTION_VARIABLES.forEach(environment::remove);
        Process process = builder.start();
        process.getOutputStream().close(); // no input: the programs read none
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", command));
        }
        return new JavaRun(command, process.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err));
    }

    private static String java() {
        String configured = System.getProperty("samples.java");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
