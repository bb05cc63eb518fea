package dev.hermetic.packer.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.packer.Explanation;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code packer explain}: see {@link Explanation}. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Tells where the loader would serve a class (or resource) from: the container (the "
                + "application's classes or a nested jar) and entry, the entries of the same name it shadows, "
                + "its module, the module's validation mode and whether its source is shipped, and how the "
                + "loader decides at load time whether to serve the cache.",
                "CLASS is a binary name (com.example.Main, com.example.Main$Inner) or an entry name "
                        + "(com/example/Main.class, META-INF/services/x.Y)."},
        footer = {"", "-Dhermetic.check=always makes the loader check every module by SHA-256; never serves every "
                + "cache unchecked (see the README's Validation at load time).",
                "", "Exit codes: 0 found, 1 in no container of the archive (or bad input), 2 wrong usage.",
                "", "Examples:", "  packer explain app.jar com.example.Main",
                "  packer explain app.jar com/example/Main.class --json"})
final class ExplainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The archive (or an exploded directory).")
    Path file;

    @Parameters(index = "1", paramLabel = "CLASS", description = "The class or entry to look up.")
    String name;

    @CommandLine.Mixin
    JsonOutput json;

    @Override
    public Integer call() throws IOException {
        if (name.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "CLASS is empty");
        }
        Explanation e = Explanation.of(file, name);
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled) {
            out.println(json(e));
        } else {
            text(e, out);
        }
        out.flush();
        return e.found() ? 0 : PackerCli.FAILURE;
    }

    private static void text(Explanation e, PrintWriter out) {
        String title = e.query().equals(e.entryName()) ? e.query() : e.query() + " (" + e.entryName() + ")";
        if (!e.found()) {
            out.println(title + ": in no container of " + e.archive());
            out.println("  loader      " + e.decision());
            return;
        }
        out.println(title + " in " + e.archive());
        for (int i = 0; i < e.locations().size(); i++) {
            Explanation.Location l = e.locations().get(i);
            out.printf(Locale.ROOT, "  %-11s [%d] %s%s (%s, %d bytes, crc32 %08x)%n", i == 0 ? "served from" : "shadowed",
                    l.container().id(), l.container().entry(), l.container().nested() ? "!/" + l.entry().name() : l.entry().name(),
                    l.entry().stored() ? "stored" : "deflated", l.entry().size(), l.entry().crc32());
        }
        if (e.locations().isEmpty()) {
            out.println("  served from no container: no cache is shipped");
        }
        if (e.module().isPresent()) {
            Module m = e.module().get();
            out.printf(Locale.ROOT, "  module      %s, mode %s, %s, class version %d%s%n", m.source(), m.mode().label(),
                    m.hasSource() ? "source shipped as " + ArchiveLayout.SOURCES + m.source() : "no source shipped",
                    m.classVersion(), m.release() > 0 ? ", release " + m.release() : "");
        } else {
            out.println("  module      none");
        }
        out.println("  loader      " + e.decision());
    }

    private static String json(Explanation e) throws IOException {
        return JsonOutput.render(g -> {
            g.writeStartObject();
            g.writeStringField("archive", e.archive().toString());
            g.writeStringField("query", e.query());
            g.writeStringField("entry", e.entryName());
            g.writeBooleanField("found", e.found());
            g.writeBooleanField("trustBound", e.trustBound());
            g.writeArrayFieldStart("locations");
            for (Explanation.Location l : e.locations()) {
                g.writeStartObject();
                g.writeNumberField("container", l.container().id());
                g.writeStringField("containerEntry", l.container().entry());
                g.writeBooleanField("nested", l.container().nested());
                g.writeStringField("method", l.entry().stored() ? "stored" : "deflated");
                g.writeNumberField("size", l.entry().size());
                g.writeStringField("crc32", String.format(Locale.ROOT, "%08x", l.entry().crc32()));
                g.writeEndObject();
            }
            g.writeEndArray();
            if (e.module().isPresent()) {
                Module m = e.module().get();
                g.writeObjectFieldStart("module");
                g.writeStringField("source", m.source());
                g.writeStringField("mode", m.mode().label());
                g.writeBooleanField("sourceShipped", m.hasSource());
                if (m.hasSource()) {
                    g.writeStringField("sha256", HexFormat.of().formatHex(m.sourceSha256()));
                }
                g.writeNumberField("classVersion", m.classVersion());
                g.writeEndObject();
            } else {
                g.writeNullField("module");
            }
            g.writeStringField("decision", e.decision());
            g.writeEndObject();
        });
    }
}
