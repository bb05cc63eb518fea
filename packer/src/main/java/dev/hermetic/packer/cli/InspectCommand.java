package dev.hermetic.packer.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.hermetic.loader.archive.Container;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.loader.archive.ValidationMode;
import dev.hermetic.packer.Inspection;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code packer inspect}: the archive's index, readable or as JSON. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Lists an archive's class path, entries, modules and their validation modes (with the "
                + "recorded source time of timestamp modules, and which modules ship no caches), and its index.",
        footer = {"", "Examples:", "  packer inspect app.jar", "  packer inspect app.jar --json"})
final class InspectCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The archive.")
    Path file;

    @CommandLine.Mixin
    JsonOutput json;

    @Override
    public Integer call() throws IOException {
        Inspection inspection = Inspection.of(file);
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled) {
            out.println(json(inspection));
        } else {
            text(inspection, out);
        }
        out.flush();
        return 0;
    }

    private static void text(Inspection in, PrintWriter out) {
        int entries = in.classPath().stream().mapToInt(e -> e.entries().size()).sum();
        out.printf(Locale.ROOT, "archive     %s (%d bytes)%n", in.archive(), in.size());
        out.printf(Locale.ROOT, "main class  %s%n", in.mainClass());
        out.printf(Locale.ROOT, "index       version %d, %d bytes, %d entries, %d modules, %d nested jars, sealed%n",
                in.indexVersion(), in.indexSize(), entries, in.modules().size(), in.classPath().size() - 1);
        out.println();
        out.println("class path");
        for (Inspection.ClassPathElement element : in.classPath()) {
            Container c = element.container();
            out.printf(Locale.ROOT, "  [%d] %s  %d entries%s%n", c.id(), c.entry(), element.entries().size(),
                    c.nested() ? String.format(Locale.ROOT, "  (nested, %d bytes at offset %d)", c.size(), c.offset()) : "");
        }
        out.println();
        out.printf(Locale.ROOT, "modules (%d)%n", in.modules().size());
        for (Inspection.ModuleView view : in.modules()) {
            Module m = view.module();
            out.printf(Locale.ROOT, "  %-9s %s  %s, class version %d%s%s%s%n", m.mode().label(), m.source(),
                    m.hasSource() ? "source shipped" : "no source", m.classVersion(),
                    m.release() > 0 ? ", release " + m.release() : "",
                    m.mode() == ValidationMode.TIMESTAMP && m.hasSource()
                            ? ", source time " + Instant.ofEpochMilli(m.sourceTime()) : "",
                    view.caches().isEmpty() && m.hasSource() ? ", no caches (compiled on first use)" : "");
            for (String cache : view.caches()) {
                out.printf(Locale.ROOT, "              %s%n", cache);
            }
        }
        out.println();
        out.println("entries");
        for (Inspection.ClassPathElement element : in.classPath()) {
            for (IndexedEntry e : element.entries()) {
                out.printf(Locale.ROOT, "  [%d] %-8s %9d %s%n", e.container(), e.stored() ? "stored" : "deflated", e.size(), e.name());
            }
        }
    }

    private static String json(Inspection in) throws IOException {
        return JsonOutput.render(g -> {
            g.writeStartObject();
            g.writeStringField("archive", in.archive().toString());
            g.writeNumberField("size", in.size());
            g.writeStringField("mainClass", in.mainClass());
            g.writeObjectFieldStart("index");
            g.writeNumberField("version", in.indexVersion());
            g.writeNumberField("size", in.indexSize());
            g.writeBooleanField("sealed", true);
            g.writeEndObject();
            g.writeArrayFieldStart("classPath");
            for (Inspection.ClassPathElement element : in.classPath()) {
                Container c = element.container();
                g.writeStartObject();
                g.writeNumberField("id", c.id());
                g.writeStringField("entry", c.entry());
                g.writeBooleanField("nested", c.nested());
                g.writeNumberField("offset", c.offset());
                g.writeNumberField("size", c.size());
                g.writeArrayFieldStart("entries");
                for (IndexedEntry e : element.entries()) {
                    g.writeStartObject();
                    g.writeStringField("name", e.name());
                    g.writeStringField("method", e.stored() ? "stored" : "deflated");
                    g.writeNumberField("size", e.size());
                    g.writeNumberField("compressedSize", e.compressedSize());
                    g.writeStringField("crc32", String.format(Locale.ROOT, "%08x", e.crc32()));
                    g.writeNumberField("dataOffset", e.dataOffset());
                    if (e.module() >= 0) {
                        g.writeNumberField("module", e.module());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("modules");
            for (Inspection.ModuleView view : in.modules()) {
                Module m = view.module();
                g.writeStartObject();
                g.writeNumberField("id", m.id());
                g.writeStringField("source", m.source());
                g.writeStringField("mode", m.mode().label());
                g.writeBooleanField("sourceShipped", m.hasSource());
                if (m.hasSource()) {
                    g.writeStringField("sha256", HexFormat.of().formatHex(m.sourceSha256()));
                    g.writeNumberField("sourceSize", m.sourceSize());
                    g.writeStringField("sourceTime", Instant.ofEpochMilli(m.sourceTime()).toString());
                }
                g.writeBooleanField("cached", !view.caches().isEmpty());
                g.writeNumberField("classVersion", m.classVersion());
                g.writeNumberField("release", m.release());
                g.writeStringField("compilerOptions", m.compilerOptions());
                g.writeArrayFieldStart("caches");
                for (String cache : view.caches()) {
                    g.writeString(cache);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
