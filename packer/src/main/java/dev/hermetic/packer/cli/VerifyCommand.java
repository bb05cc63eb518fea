package dev.hermetic.packer.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.hermetic.packer.Verification;
import dev.hermetic.packer.Verifier;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code packer verify}: see {@link Verifier}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks an archive's caches against its sources offline: re-hashes every shipped source "
                + "against the index, and recompiles the sources of trusted modules with the recorded options "
                + "and compares the class files byte for byte. Checked and timestamp modules are hash-checked "
                + "only (the loader checks them at every start).",
                "Prints one line per problem (MODULE: stale|differs|cache missing|extra cache|does not compile|"
                        + "cannot compare: ...) and a summary line."},
        footer = {"", "Bytes compare only on the JDK feature release that packed (the manifest's Build-Jdk-Spec);",
                "on another release, differing modules are reported as 'cannot compare'.",
                "", "Exit codes: 0 all verified, 1 something is stale, differs or could not be compared "
                + "(or bad input), 2 wrong usage.",
                "", "Examples:", "  packer verify app.jar", "  packer verify app.jar --json"})
final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The archive.")
    Path file;

    @CommandLine.Mixin
    JsonOutput json;

    @Override
    public Integer call() throws IOException {
        Verification verification = Verifier.verify(file);
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled) {
            out.println(json(verification));
        } else {
            for (Verification.Problem problem : verification.problems()) {
                out.println(problem.message());
            }
            out.println(summary(verification));
        }
        out.flush();
        return verification.ok() ? 0 : PackerCli.FAILURE;
    }

    static String summary(Verification v) {
        String compiler = v.packedWith().map(r -> "packed by javac " + r + ", ").orElse("") + "javac " + v.runningRelease();
        int problems = v.problems().size();
        return "verify " + v.archive() + ": " + count(v.modules(), "module") + " (" + v.trusted() + " trusted, "
                + v.checked() + " checked, " + v.timestamp() + " timestamp), " + count(v.sourcesHashed(), "source")
                + " hashed, " + count(v.modulesCompared(), "trusted module") + " recompiled and compared (" + compiler
                + ")" + (v.trustBound() ? "" : ", edited after packing (seal broken: the loader checks every module)")
                + ": " + (problems == 0 ? "ok" : count(problems, "problem"));
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String json(Verification v) throws IOException {
        return JsonOutput.render(g -> {
            g.writeStartObject();
            g.writeStringField("archive", v.archive().toString());
            g.writeBooleanField("ok", v.ok());
            g.writeBooleanField("trustBound", v.trustBound());
            g.writeObjectFieldStart("modules");
            g.writeNumberField("total", v.modules());
            g.writeNumberField("trusted", v.trusted());
            g.writeNumberField("checked", v.checked());
            g.writeNumberField("timestamp", v.timestamp());
            g.writeEndObject();
            g.writeNumberField("sourcesHashed", v.sourcesHashed());
            g.writeNumberField("modulesCompared", v.modulesCompared());
            if (v.packedWith().isPresent()) {
                g.writeNumberField("packedWith", v.packedWith().get());
            } else {
                g.writeNullField("packedWith");
            }
            g.writeNumberField("runningRelease", v.runningRelease());
            g.writeArrayFieldStart("problems");
            for (Verification.Problem p : v.problems()) {
                g.writeStartObject();
                g.writeStringField("module", p.module());
                g.writeStringField("kind", p.kind().label());
                g.writeStringField("detail", p.detail());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
