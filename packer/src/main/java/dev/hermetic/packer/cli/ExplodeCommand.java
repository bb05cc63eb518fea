package dev.hermetic.packer.cli;

import dev.hermetic.packer.ExplodeResult;
import dev.hermetic.packer.Exploder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code packer explode}: see {@link Exploder}. */
@Command(name = "explode", mixinStandardHelpOptions = true,
        description = "Writes an exploded archive: a new directory with exactly the archive's layout (nested jars "
                + "and the index byte-identical, sources timed as the index records), which the loader serves "
                + "with java -cp DIR dev.hermetic.loader.Launcher.",
        footer = {"", "DIR must not exist or be empty; it is written as DIR.tmp-* and renamed when complete.",
                "", "Examples:", "  packer explode app.jar --out app"})
final class ExplodeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The archive.")
    Path file;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The directory to create.")
    Path out;

    @Override
    public Integer call() throws IOException {
        ExplodeResult result = Exploder.explode(file, out);
        spec.commandLine().getOut().printf("exploded %s to %s: %d files, %d bytes%n", file, result.directory(),
                result.files(), result.bytes());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
