package dev.hermetic.packer.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code packer} command line: {@code pack}, {@code inspect}, {@code verify}, {@code diff},
 * {@code explain}, {@code explode}. A thin layer over the packer library. Exit codes: 0 success, 1 bad
 * input or failure (one line on stderr naming the file and the problem; the stack trace only with
 * {@code --verbose}) or, for {@code verify}, a stale or differing module, for {@code diff}, archives that
 * differ, for {@code explain}, a class in no container; 2 wrong usage.
 */
@Command(name = "packer", mixinStandardHelpOptions = true, versionProvider = PackerCli.Version.class,
        description = "Packs a Java application into one Hermetic archive; inspects, verifies, compares, explains and "
                + "explodes archives.",
        subcommands = {PackCommand.class, InspectCommand.class, VerifyCommand.class, DiffCommand.class,
                ExplainCommand.class, ExplodeCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 bad input or failure (verify: something stale or differing; diff: "
                + "the archives differ; explain: the class is in no container), 2 wrong usage.",
                "", "Examples:", "  packer pack --out app.jar --app target/app.jar --lib deps/a.jar",
                "  packer inspect app.jar", "  packer help pack"})
public final class PackerCli {
    /** Exit code for bad input or a failed operation. */
    static final int FAILURE = 1;
    /** Exit code for wrong usage. */
    static final int USAGE = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean verbose;

    private PackerCli() {
    }

    /** @param args the command line */
    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line with the given streams; returns the exit code. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        PackerCli top = new PackerCli();
        CommandLine cli = new CommandLine(top);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println("packer: " + e.getMessage() + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            err.println("packer: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (top.verbose) {
                e.printStackTrace(err);
            }
            return FAILURE;
        });
        return cli.execute(args);
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = PackerCli.class.getPackage().getImplementationVersion();
            return new String[] {"Hermetic Archive packer " + (version == null ? "(development build)" : version)};
        }
    }
}
