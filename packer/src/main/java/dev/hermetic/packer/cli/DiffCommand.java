package dev.hermetic.packer.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.hermetic.packer.ArchiveDiff;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code packer diff}: see {@link ArchiveDiff}. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Compares two archives: which entries differ (added, removed, or changed in size, CRC-32 or "
                + "method; inside nested jars too, as JAR!/NAME), which modules differ (added, removed, mode, "
                + "source SHA-256 and size, source shipped or not, class version, release, compiler options), "
                + "the main class and the entry time.",
                "One line per difference (+ added, - removed, ~ changed), then a summary line. The index entry "
                        + "is compared through what it records, not byte for byte."},
        footer = {"", "Exit codes: 0 identical, 1 they differ (or bad input), 2 wrong usage.",
                "", "Examples:", "  packer diff old.jar new.jar", "  packer diff old.jar new.jar --json"})
final class DiffCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "The first archive.")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "The second archive.")
    Path b;

    @CommandLine.Mixin
    JsonOutput json;

    @Override
    public Integer call() throws IOException {
        ArchiveDiff diff = ArchiveDiff.compare(a, b);
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled) {
            out.println(json(diff));
        } else {
            for (ArchiveDiff.Change change : diff.changes()) {
                out.println(change.message());
            }
            out.println(summary(diff));
        }
        out.flush();
        return diff.identical() ? 0 : PackerCli.FAILURE;
    }

    static String summary(ArchiveDiff d) {
        if (d.identical()) {
            return "diff " + d.a() + " " + d.b() + ": identical";
        }
        return String.format(Locale.ROOT, "diff %s %s: %d entries added, %d removed, %d changed; %d modules added,"
                        + " %d removed, %d changed%s%s", d.a(), d.b(),
                d.count(ArchiveDiff.Subject.ENTRY, ArchiveDiff.Kind.ADDED),
                d.count(ArchiveDiff.Subject.ENTRY, ArchiveDiff.Kind.REMOVED),
                d.count(ArchiveDiff.Subject.ENTRY, ArchiveDiff.Kind.CHANGED),
                d.count(ArchiveDiff.Subject.MODULE, ArchiveDiff.Kind.ADDED),
                d.count(ArchiveDiff.Subject.MODULE, ArchiveDiff.Kind.REMOVED),
                d.count(ArchiveDiff.Subject.MODULE, ArchiveDiff.Kind.CHANGED),
                d.count(ArchiveDiff.Subject.MAIN_CLASS, ArchiveDiff.Kind.CHANGED) > 0 ? "; main class changed" : "",
                d.count(ArchiveDiff.Subject.ENTRY_TIME, ArchiveDiff.Kind.CHANGED) > 0 ? "; entry time changed" : "");
    }

    private static String json(ArchiveDiff d) throws IOException {
        return JsonOutput.render(g -> {
            g.writeStartObject();
            g.writeStringField("a", d.a().toString());
            g.writeStringField("b", d.b().toString());
            g.writeBooleanField("identical", d.identical());
            g.writeArrayFieldStart("changes");
            for (ArchiveDiff.Change c : d.changes()) {
                g.writeStartObject();
                g.writeStringField("subject", c.subject().label());
                g.writeStringField("name", c.name());
                g.writeStringField("kind", c.kind().label());
                g.writeArrayFieldStart("reasons");
                for (String reason : c.reasons()) {
                    g.writeString(reason);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
