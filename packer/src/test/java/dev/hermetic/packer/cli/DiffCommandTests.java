package dev.hermetic.packer.cli;

import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.write;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static dev.hermetic.packer.cli.CliRun.NL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.hermetic.loader.archive.ValidationMode;
import dev.hermetic.packer.ArchiveDiff;
import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code packer diff} and {@link ArchiveDiff} on archives the packer made from real sources and jars:
 * each kind of difference named with its reason, the summary, JSON, and the exit codes.
 */
class DiffCommandTests {
    static final String MAIN = "com.example.Main";

    @TempDir
    static Path inputs;

    static Path srcOld;
    static Path srcNew;
    static Path libOld;
    static Path libNew;
    static Path extraLib;
    static String mainOld;
    static String mainNew;

    @TempDir
    Path work;

    @BeforeAll
    static void makeInputs() throws IOException {
        mainOld = "package com.example; public class Main { public static void main(String[] a) {"
                + " System.out.println(Util.x()); } }";
        mainNew = "package com.example; public class Main { public static void main(String[] a) {"
                + " System.out.println(Util.x() + 1); } }";
        srcOld = inputs.resolve("old");
        writeSource(srcOld, MAIN, mainOld);
        writeSource(srcOld, "com.example.Util", "package com.example; public class Util { static int x() { return 1; } }");
        writeSource(srcOld, "com.example.Gone", "package com.example; class Gone { }");
        srcNew = inputs.resolve("new");
        writeSource(srcNew, MAIN, mainNew);
        writeSource(srcNew, "com.example.Util", "package com.example; public class Util { static int x() { return 1; } }");
        writeSource(srcNew, "com.example.Added", "package com.example; class Added { }");
        libOld = jar().deflated("org/lib/a.txt", "a\n").stored("org/lib/same.txt", "same\n")
                .write(inputs.resolve("v1/lib.jar"));
        libNew = jar().deflated("org/lib/a.txt", "a, changed\n").stored("org/lib/same.txt", "same\n")
                .stored("org/lib/b.txt", "b\n").write(inputs.resolve("v2/lib.jar"));
        extraLib = jar().stored("org/extra/e.txt", "e\n").write(inputs.resolve("extra.jar"));
    }

    private Path pack(String name, Path src, Path lib, ValidationMode utilMode, Instant time) throws IOException {
        PackOptions.Builder options = PackOptions.builder().out(work.resolve(name)).addSources(src).mainClass(MAIN)
                .addLib(lib).timestamp(time);
        if (utilMode != null) {
            options.addValidationRule("com/example/Util.java", utilMode);
        }
        Packer.pack(options.build());
        return work.resolve(name);
    }

    private static String crc(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    @Test
    void diffWhenSameArchiveBytesThenIdenticalAndExitsZero() throws IOException {
        Path a = pack("a.jar", srcOld, libOld, null, PackOptions.DEFAULT_TIMESTAMP);
        Path b = pack("b.jar", srcOld, libOld, null, PackOptions.DEFAULT_TIMESTAMP);

        CliRun run = CliRun.of("diff", a.toString(), b.toString());

        assertThat(run.out()).isEqualTo("diff " + a + " " + b + ": identical" + NL);
        assertThat(run.err()).isEmpty();
        assertThat(run.exit()).isZero();
    }

    @Test
    void diffWhenEntriesModulesAndNestedJarDifferThenNamesEachWithItsReasonAndExitsOne() throws IOException {
        Path a = pack("a.jar", srcOld, libOld, null, PackOptions.DEFAULT_TIMESTAMP);
        Path b = pack("b.jar", srcNew, libNew, ValidationMode.CHECKED, PackOptions.DEFAULT_TIMESTAMP);

        CliRun run = CliRun.of("diff", a.toString(), b.toString());

        ArchiveDiff diff = ArchiveDiff.compare(a, b);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).contains(
                "+ entry HERMETIC-INF/classes/com/example/Added.class: " + sizeOf(diff, "HERMETIC-INF/classes/com/example/Added.class"),
                "- entry HERMETIC-INF/classes/com/example/Gone.class: " + sizeOf(diff, "HERMETIC-INF/classes/com/example/Gone.class"),
                "~ entry HERMETIC-INF/sources/com/example/Main.java: size " + mainOld.length() + " -> " + mainNew.length()
                        + ", crc32 " + crc(mainOld) + " -> " + crc(mainNew),
                "+ entry HERMETIC-INF/lib/lib.jar!/org/lib/b.txt: 2 bytes",
                "~ entry HERMETIC-INF/lib/lib.jar!/org/lib/a.txt: size 2 -> 11, crc32 " + crc("a\n") + " -> " + crc("a, changed\n"),
                "+ module com/example/Added.java: trusted, source shipped",
                "- module com/example/Gone.java: trusted, source shipped",
                "~ module com/example/Util.java: mode trusted -> checked");
        assertThat(lines).filteredOn(l -> l.startsWith("~ module com/example/Main.java: source sha256 ")).hasSize(1)
                .allSatisfy(l -> assertThat(l).matches("~ module com/example/Main.java: source sha256 [0-9a-f]{12} -> "
                        + "[0-9a-f]{12}, source size " + mainOld.length() + " -> " + mainNew.length()));
        assertThat(lines).noneMatch(l -> l.contains("org/lib/same.txt") || l.contains("HERMETIC-INF/index"));
        assertThat(lines).filteredOn(l -> l.startsWith("~ entry HERMETIC-INF/lib/lib.jar:")).hasSize(1);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("diff " + a + " " + b + ": "
                + diff.count(ArchiveDiff.Subject.ENTRY, ArchiveDiff.Kind.ADDED) + " entries added, "
                + diff.count(ArchiveDiff.Subject.ENTRY, ArchiveDiff.Kind.REMOVED) + " removed, "
                + diff.count(ArchiveDiff.Subject.ENTRY, ArchiveDiff.Kind.CHANGED) + " changed; 1 modules added, 1 removed, 2 changed");
        assertThat(run.err()).isEmpty();
        assertThat(run.exit()).isEqualTo(1);
    }

    private static String sizeOf(ArchiveDiff diff, String entry) {
        return diff.changes().stream().filter(c -> c.name().equals(entry)).findFirst().orElseThrow().reasons().get(0);
    }

    @Test
    void diffWhenOnlyTimeAndMainClassDifferThenSaysSo() throws IOException {
        Path a = pack("a.jar", srcOld, libOld, null, PackOptions.DEFAULT_TIMESTAMP);
        Path b = work.resolve("b.jar");
        Packer.pack(PackOptions.builder().out(b).addSources(srcOld).mainClass("com.example.Util").addLib(libOld)
                .timestamp(Instant.parse("2024-03-04T05:06:08Z")).build());

        CliRun run = CliRun.of("diff", a.toString(), b.toString());

        assertThat(run.out()).startsWith("~ main class: com.example.Main -> com.example.Util" + NL
                + "~ entry time: 1980-02-01T00:00 -> 2024-03-04T05:06:08" + NL);
        assertThat(run.out()).contains("~ entry META-INF/MANIFEST.MF: crc32 ")
                .endsWith("; main class changed; entry time changed" + NL);
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void diffWhenLibAddedThenNestedJarIsOneAddedEntry() throws IOException {
        Path a = pack("a.jar", srcOld, libOld, null, PackOptions.DEFAULT_TIMESTAMP);
        Path b = work.resolve("b.jar");
        Packer.pack(PackOptions.builder().out(b).addSources(srcOld).mainClass(MAIN).addLib(libOld).addLib(extraLib).build());

        ArchiveDiff diff = ArchiveDiff.compare(a, b);

        assertThat(diff.changes()).filteredOn(c -> c.kind() == ArchiveDiff.Kind.ADDED)
                .extracting(ArchiveDiff.Change::message)
                .containsExactly("+ entry HERMETIC-INF/lib/extra.jar: " + Files.size(extraLib) + " bytes");
    }

    @Test
    void diffWhenJsonThenSameChangesAsObjects() throws IOException {
        Path a = pack("a.jar", srcOld, libOld, null, PackOptions.DEFAULT_TIMESTAMP);
        Path b = pack("b.jar", srcOld, libOld, ValidationMode.TIMESTAMP, PackOptions.DEFAULT_TIMESTAMP);

        CliRun run = CliRun.of("diff", a.toString(), b.toString(), "--json");

        assertThat(run.exit()).isEqualTo(1);
        List<String> fields = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(run.out())) {
            for (JsonToken t; (t = p.nextToken()) != null; ) {
                if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    fields.add(p.currentName() + "=" + p.getText());
                }
            }
        }
        assertThat(fields).containsExactly("a=" + a, "b=" + b, "identical=false", "subject=module",
                "name=com/example/Util.java", "kind=changed", "null=mode trusted -> timestamp");
    }

    @Test
    void diffWhenFileMissingThenExitsOneNamingIt() {
        Path missing = work.resolve("missing.jar");

        CliRun run = CliRun.of("diff", missing.toString(), missing.toString());

        assertThat(run.err()).isEqualTo("packer: " + missing + ": archive: no such file or directory" + NL);
        assertThat(run.out()).isEmpty();
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void diffWhenNotAnArchiveThenExitsOne() throws IOException {
        Path text = write(work.resolve("notes.txt"), "not a zip at all, but long enough for an end record search\n");
        Path a = pack("a.jar", srcOld, libOld, null, PackOptions.DEFAULT_TIMESTAMP);

        CliRun run = CliRun.of("diff", a.toString(), text.toString());

        assertThat(run.err()).startsWith("packer: ").contains(text.toString()).hasLineCount(1);
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void diffWhenGivenADirectoryThenExitsOneNamingIt() throws IOException {
        Path a = pack("a.jar", srcOld, libOld, null, PackOptions.DEFAULT_TIMESTAMP);

        CliRun run = CliRun.of("diff", a.toString(), work.toString());

        assertThat(run.err()).isEqualTo("packer: " + work + ": is a directory: diff compares archive files" + NL);
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void diffWhenOneArgumentThenUsageErrorExitsTwo() {
        CliRun run = CliRun.of("diff", "a.jar");

        assertThat(run.err()).isEqualTo("packer: Missing required parameter: 'B' (see 'packer diff --help')" + NL);
        assertThat(run.exit()).isEqualTo(2);
    }
}
