package dev.hermetic.samples.support;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a child JVM did: its exit code and everything it wrote.
 *
 * @param command  the command line, for messages
 * @param exitCode the process's exit code
 * @param out      the bytes written to standard output
 * @param err      the bytes written to standard error
 */
public record JavaRun(List<String> command, int exitCode, byte[] out, byte[] err) {

    public JavaRun {
        command = List.copyOf(command);
        out = out.clone();
        err = err.clone();
    }

    /** @return standard output, decoded as UTF-8 */
    public String stdout() {
        return new String(out, StandardCharsets.UTF_8);
    }

    /** @return standard error, decoded as UTF-8 */
    public String stderr() {
        return new String(err, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] out() {
        return out.clone();
    }

    @Override
    public byte[] err() {
        return err.clone();
    }

    @Override
    public String toString() {
        return String.join(" ", command) + "\n  exit code: " + exitCode
                + "\n  stdout:\n" + stdout() + "\n  stderr:\n" + stderr();
    }
}
