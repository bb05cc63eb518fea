package dev.hermetic.packer.cli;

import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code packer inspect} shows of validation: each module's mode, the recorded source time of
 * {@code timestamp} modules, and modules packed without caches.
 */
class InspectCommandTests {
    @TempDir
    static Path inputs;

    static Path src;

    @TempDir
    Path work;

    @BeforeAll
    static void makeInputs() throws IOException {
        src = inputs.resolve("src");
        writeSource(src, "com.example.Main", """
                package com.example;

                public class Main {
                    public static void main(String[] args) {
                        System.out.println(com.example.legacy.Old.text());
                    }
                }
                """);
        writeSource(src, "com.example.legacy.Old",
                "package com.example.legacy; public class Old { public static String text() { return \"old\"; } }\n");
    }

    Path pack(String... options) {
        Path out = work.resolve("app.jar");
        List<String> args = new java.util.ArrayList<>(List.of("pack", "--out", out.toString(), "--sources", src.toString(),
                "--main-class", "com.example.Main", "--timestamp", "2024-03-05T06:07:08Z"));
        args.addAll(List.of(options));
        CliRun result = CliRun.of(args.toArray(String[]::new));
        assertThat(result.exit()).as(result.err()).isZero();
        return out;
    }

    static List<String> moduleLines(String text) {
        return text.lines().dropWhile(l -> !l.startsWith("modules (")).takeWhile(l -> !l.isEmpty()).toList();
    }

    @Test
    void inspectWhenModesDifferThenEachModuleLineShowsItsModeAndTimestampModulesTheirSourceTime() {
        Path out = pack("--validation-rule", "com/example/legacy/**=timestamp", "--validation", "checked");

        CliRun result = CliRun.of("inspect", out.toString());

        assertThat(result.exit()).isZero();
        assertThat(moduleLines(result.out())).containsExactly(
                "modules (2)",
                "  checked   com/example/Main.java  source shipped, class version 61, release 17",
                "              com/example/Main.class",
                "  timestamp com/example/legacy/Old.java  source shipped, class version 61, release 17, source time "
                        + "2024-03-05T06:07:08Z",
                "              com/example/legacy/Old.class");
    }

    @Test
    void inspectWhenPackedWithoutCachesThenModulesSayTheyAreCompiledOnFirstUse() throws IOException {
        Path out = pack("--no-caches");

        CliRun result = CliRun.of("inspect", out.toString());

        assertThat(moduleLines(result.out())).containsExactly(
                "modules (2)",
                "  trusted   com/example/Main.java  source shipped, class version 0, release 17, no caches (compiled on first use)",
                "  trusted   com/example/legacy/Old.java  source shipped, class version 0, release 17, no caches (compiled on first use)");
        Object modules = VerifyCommandTests.object(
                VerifyCommandTests.parseJson(CliRun.of("inspect", out.toString(), "--json").out())).get("modules");
        assertThat(modules).isInstanceOf(List.class);
        for (Object module : (List<?>) modules) {
            Map<String, Object> m = VerifyCommandTests.object(module);
            assertThat(m).containsEntry("mode", "trusted").containsEntry("cached", false)
                    .containsEntry("sourceTime", "2024-03-05T06:07:08Z").containsEntry("caches", List.of());
        }
    }
}
