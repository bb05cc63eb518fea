package dev.hermetic.loader.compile;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a child JVM of the running JDK with this module's main and test classes on its class path. */
final class ChildJvm {
    private ChildJvm() {
    }

    /** What a child JVM did. */
    record Run(int exit, String out, String err) {
    }

    /** @return a started child running {@code mainClass}, its output going to files in {@code dir} */
    static Started start(Path dir, List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(location(mainClass) + java.io.File.pathSeparator + location(ModuleCompiler.class));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        // options the JVM would announce on stderr
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        return new Started(builder.start(), command, out, err);
    }

    /** Runs a child to its end. */
    static Run run(Path dir, List<String> jvmOptions, Class<?> mainClass, String... args)
            throws IOException, InterruptedException {
        return start(dir, jvmOptions, mainClass, args).await();
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** A running child. */
    record Started(Process process, List<String> command, Path out, Path err) {
        Run await() throws IOException, InterruptedException {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Run(process.exitValue(), Files.readString(out, UTF_8).replace("\r\n", "\n"),
                    Files.readString(err, UTF_8).replace("\r\n", "\n"));
        }
    }
}
