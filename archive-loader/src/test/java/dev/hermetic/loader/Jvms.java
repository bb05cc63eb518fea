package dev.hermetic.loader;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Child JVMs for the fidelity tests of this package: {@code java -jar} of an archive against {@code java -cp}. */
final class Jvms {
    /** The newer JDK the fidelity tests also run on, when installed. */
    static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    private Jvms() {
    }

    /** What a child JVM did. */
    record Run(int exit, String out, String err) {
    }

    /** @return the running JDK */
    static Path current() {
        return Path.of(System.getProperty("java.home"));
    }

    /** @return JDK 25 when installed */
    static Optional<Path> jdk25() {
        return Files.isExecutable(JDK_25.resolve("bin/java")) ? Optional.of(JDK_25) : Optional.empty();
    }

    /** The directory this module's classes were compiled to: what the packer copies to an archive's root. */
    static Path loaderClasses() {
        try {
            return Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static Run java(Path javaHome, Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin/java").toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    }
}
