package dev.hermetic.packer.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One in-process run of the {@code packer} command line through {@link PackerCli#run}, with its own
 * output streams.
 *
 * @param exit the exit code
 * @param out  what it printed on stdout
 * @param err  what it printed on stderr
 */
record CliRun(int exit, String out, String err) {
    static final String NL = System.lineSeparator();

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = PackerCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
