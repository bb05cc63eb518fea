package dev.hermetic.packer.cli;

import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.jdkTool;
import static dev.hermetic.packer.TestFixtures.sha256;
import static dev.hermetic.packer.TestFixtures.testClassPath;
import static dev.hermetic.packer.TestFixtures.write;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.Container;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.packer.TestFixtures;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code packer} command line, run in process through {@link PackerCli#run} with its own output
 * streams: exit codes, the one-line error contract, {@code --verbose}, {@code --timestamp}, and
 * {@code inspect} in text and JSON checked against the archive as the loader reads it.
 */
class PackerCliTests {
    static final String MAIN = "com.example.Main";
    static final String NL = System.lineSeparator();

    /** Inputs shared by all tests, never written to by them. */
    @TempDir
    static Path inputs;

    static Path src;
    static Path shipped;
    static Path brokenSrc;
    static Path classes;
    static Path appJar;
    static Path lib;
    static Path text;

    /** Each test's outputs. */
    @TempDir
    Path work;

    @BeforeAll
    static void makeInputs() throws IOException {
        src = inputs.resolve("src");
        writeSource(src, MAIN, """
                package com.example;

                public class Main {
                    public static void main(String[] args) {
                        System.out.println(Greeting.text() + new Inner().value());
                    }

                    static final class Inner {
                        int value() {
                            return 42;
                        }
                    }
                }
                """);
        writeSource(src, "com.example.Greeting", """
                package com.example;

                public final class Greeting {
                    public static String text() {
                        return "hello ";
                    }
                }
                """);
        write(src.resolve("com/example/app.properties"), "name=example\n");
        shipped = inputs.resolve("shipped");
        write(shipped.resolve("com/example/Main.java"), Files.readAllBytes(src.resolve("com/example/Main.java")));
        brokenSrc = inputs.resolve("broken-src");
        writeSource(brokenSrc, "com.example.Broken", """
                package com.example;

                public class Broken {
                    int value() {
                        return undefinedName;
                    }
                }
                """);
        classes = javac(src, inputs.resolve("classes"), List.of());
        appJar = jar().mainClass(MAIN).tree(classes, false).write(inputs.resolve("app.jar"));
        lib = jar().deflated("org/lib/lib.txt", "from the lib\n").stored("org/lib/stored.txt", "stored\n")
                .write(inputs.resolve("lib.jar"));
        text = write(inputs.resolve("notes.txt"), "just text, not a jar; long enough to hold an end record\n");
    }

    record Cli(int exit, String out, String err) {
    }

    static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = PackerCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(exit, out.toString(), err.toString());
    }

    /** Runs a command that must fail on bad input: exit 1, nothing on stdout, exactly this line on stderr. */
    static void assertBadInput(String message, String... args) {
        Cli result = cli(args);
        assertThat(result.err()).isEqualTo("packer: " + message + NL);
        assertThat(result.exit()).isEqualTo(PackerCli.FAILURE).isEqualTo(1);
        assertThat(result.out()).isEmpty();
    }

    /** Runs a command that is wrong usage: exit 2, nothing on stdout, exactly this line on stderr. */
    static void assertUsageError(String line, String... args) {
        Cli result = cli(args);
        assertThat(result.err()).isEqualTo(line + NL);
        assertThat(result.exit()).isEqualTo(PackerCli.USAGE).isEqualTo(2);
        assertThat(result.out()).isEmpty();
    }

    // ---------------------------------------------------------------- pack

    @Test
    void packWhenInputsAreGoodThenPrintsOneSummaryLineAndExitsZero() throws IOException {
        Path out = work.resolve("app.jar");

        Cli result = cli("pack", "--out", out.toString(), "--app", appJar.toString(), "--lib", lib.toString());

        assertThat(result.err()).isEmpty();
        assertThat(result.exit()).isZero();
        int entries;
        try (Archive archive = Archive.open(out)) {
            entries = archive.entries().size();
            assertThat(archive.mainClass()).isEqualTo(MAIN);
        }
        assertThat(result.out()).isEqualTo("packed " + out + ": " + Files.size(out) + " bytes, " + entries
                + " entries, 2 modules, 1 nested jars, main class " + MAIN + NL);
    }

    @Test
    void packWhenOnlySourcesThenCompilesThemAndPrintsOneSummaryLine() throws IOException {
        Path out = work.resolve("app.jar");

        Cli result = cli("pack", "--out", out.toString(), "--sources", src.toString(), "--main-class", MAIN);

        assertThat(result.err()).isEmpty();
        assertThat(result.exit()).isZero();
        assertThat(result.out()).startsWith("packed " + out + ": " + Files.size(out) + " bytes, ")
                .endsWith(" entries, 2 modules, 0 nested jars, main class " + MAIN + NL)
                .hasLineCount(1);
    }

    @Test
    void packWhenAppIsMissingThenExitsOneWithOneLineNamingIt() {
        Path missing = work.resolve("missing-classes");
        assertBadInput(missing + ": --app: no such file or directory",
                "pack", "--out", work.resolve("app.jar").toString(), "--app", missing.toString(), "--main-class", MAIN);
    }

    @Test
    void packWhenLibIsMissingThenExitsOneWithOneLineNamingIt() {
        Path missing = work.resolve("missing.jar");
        assertBadInput(missing + ": --lib: no such file or directory",
                "pack", "--out", work.resolve("app.jar").toString(), "--app", appJar.toString(), "--lib", missing.toString());
    }

    @Test
    void packWhenSourcesAreMissingThenExitsOneWithOneLineNamingThem() {
        Path missing = work.resolve("missing-src");
        assertBadInput(missing + ": --sources: no such file or directory",
                "pack", "--out", work.resolve("app.jar").toString(), "--sources", missing.toString(), "--main-class", MAIN);
    }

    @Test
    void packWhenLibIsNotAJarThenExitsOneWithOneLineNamingIt() {
        assertBadInput(text + ": --lib: not a zip archive: no end-of-central-directory record",
                "pack", "--out", work.resolve("app.jar").toString(), "--app", appJar.toString(), "--lib", text.toString());
    }

    @Test
    void packWhenAppIsNotAJarThenExitsOneWithOneLineNamingIt() {
        assertBadInput(text + ": --app: not a jar or directory (zip END header not found)",
                "pack", "--out", work.resolve("app.jar").toString(), "--app", text.toString(), "--main-class", MAIN);
    }

    @Test
    void packWhenMainClassIsUnknownThenExitsOneWithOneLineNamingIt() {
        assertBadInput("main class com.example.Nope is not in the application or its libraries",
                "pack", "--out", work.resolve("app.jar").toString(), "--app", appJar.toString(), "--main-class", "com.example.Nope");
    }

    @Test
    void packWhenSameClassIsInTwoAppInputsThenExitsOneWithOneLineNamingBoth() {
        assertBadInput(appJar + ": class com/example/Greeting.class is also in " + classes
                        + "; an application class may come from one --app input only",
                "pack", "--out", work.resolve("app.jar").toString(), "--app", classes.toString(), "--app", appJar.toString(),
                "--main-class", MAIN);
    }

    @Test
    void packWhenOutIsInAMissingDirectoryThenExitsOneWithOneLineNamingIt() {
        Path out = work.resolve("missing/app.jar");
        assertBadInput(out + ": --out: directory " + work.resolve("missing") + " does not exist",
                "pack", "--out", out.toString(), "--app", appJar.toString());
    }

    @Test
    void packWhenASourceDoesNotCompileThenExitsOneWithOneLineNamingFileAndLine() {
        assertBadInput(brokenSrc.resolve("com/example/Broken.java") + ": does not compile: line 5: cannot find symbol",
                "pack", "--out", work.resolve("app.jar").toString(), "--sources", brokenSrc.toString(), "--main-class", MAIN);
        assertThat(work.resolve("app.jar")).doesNotExist();
    }

    @Test
    void packWhenVerboseAfterTheSubcommandThenTheStackTraceFollowsTheLine() {
        assertVerboseTrace("pack", "--verbose", "--out", work.resolve("app.jar").toString(), "--app", appJar.toString(),
                "--main-class", "com.example.Nope");
    }

    @Test
    void packWhenVerboseBeforeTheSubcommandThenTheStackTraceFollowsTheLine() {
        assertVerboseTrace("--verbose", "pack", "--out", work.resolve("app.jar").toString(), "--app", appJar.toString(),
                "--main-class", "com.example.Nope");
    }

    static void assertVerboseTrace(String... args) {
        Cli result = cli(args);
        assertThat(result.exit()).isEqualTo(1);
        List<String> lines = result.err().lines().toList();
        assertThat(lines).hasSizeGreaterThan(3);
        assertThat(lines.get(0)).isEqualTo("packer: main class com.example.Nope is not in the application or its libraries");
        assertThat(lines.get(1))
                .isEqualTo("dev.hermetic.packer.PackException: main class com.example.Nope is not in the application or its libraries");
        assertThat(lines.subList(2, lines.size())).allMatch(line -> line.startsWith("\tat "))
                .anyMatch(line -> line.startsWith("\tat dev.hermetic.packer.Packer.pack("));
    }

    @Test
    void packWhenOutIsNotGivenThenExitsTwoWithOneLine() {
        assertUsageError("packer: Missing required option: '--out=FILE' (see 'packer pack --help')",
                "pack", "--app", appJar.toString());
    }

    @Test
    void packWhenOptionIsUnknownThenExitsTwoWithOneLine() {
        assertUsageError("packer: Unknown option: '--bogus' (see 'packer pack --help')",
                "pack", "--out", work.resolve("app.jar").toString(), "--app", appJar.toString(), "--bogus");
        assertThat(work.resolve("app.jar")).doesNotExist();
    }

    @Test
    void packWhenNeitherAppNorSourcesNorLibIsGivenThenExitsTwoWithOneLine() {
        assertUsageError("packer: give --app, --sources or --lib (see 'packer pack --help')",
                "pack", "--out", work.resolve("app.jar").toString(), "--main-class", MAIN);
    }

    @Test
    void runWhenNoSubcommandThenExitsTwoWithOneLine() {
        assertUsageError("packer: Missing required subcommand (see 'packer --help')");
    }

    @Test
    void packWhenTimestampIsGarbageThenExitsTwoWithOneLine() {
        for (String garbage : List.of("yesterday", "2024-13-01T00:00:00Z", "", "12ab")) {
            assertUsageError("packer: --timestamp '" + garbage + "' is neither ISO-8601 (2024-01-01T00:00:00Z) nor epoch"
                            + " seconds (see 'packer pack --help')",
                    "pack", "--out", work.resolve("app.jar").toString(), "--app", appJar.toString(), "--timestamp", garbage);
        }
        assertThat(work.resolve("app.jar")).doesNotExist();
    }

    @Test
    void packWhenTimestampIsIso8601OrEpochSecondsThenEveryEntryHasThatTime() throws IOException {
        Instant time = Instant.parse("2024-03-05T06:07:08Z");
        List<String> forms = List.of("2024-03-05T06:07:08Z", Long.toString(time.getEpochSecond()), "2024-03-05T07:07:08+01:00");
        List<byte[]> archives = new ArrayList<>();
        for (int i = 0; i < forms.size(); i++) {
            Path out = work.resolve("app-" + i + ".jar");
            Cli result = cli("pack", "--out", out.toString(), "--app", appJar.toString(), "--lib", lib.toString(),
                    "--timestamp", forms.get(i));
            assertThat(result.exit()).as(forms.get(i)).isZero();
            try (ZipFile zip = new ZipFile(out.toFile())) {
                for (ZipEntry entry : Collections.list(zip.entries())) {
                    assertThat(entry.getTimeLocal()).as(entry.getName()).isEqualTo(LocalDateTime.of(2024, 3, 5, 6, 7, 8));
                }
            }
            archives.add(Files.readAllBytes(out));
        }
        assertThat(archives.get(1)).isEqualTo(archives.get(0));
        assertThat(archives.get(2)).isEqualTo(archives.get(0));
    }

    @Test
    void packWhenTimestampIsBeforeTheZipEraThenExitsOneWithOneLine() {
        assertBadInput("entry time 1970-01-01T00:00:00Z (from --timestamp or SOURCE_DATE_EPOCH) is outside the zip format's range (1980 to 2107)",
                "pack", "--out", work.resolve("app.jar").toString(), "--app", appJar.toString(), "--timestamp", "0");
    }

    // ---------------------------------------------------------------- inspect

    /** An archive with both validation modes and a nested jar. */
    Path packedArchive() {
        Path out = work.resolve("inspected.jar");
        Cli result = cli("pack", "--out", out.toString(), "--app", classes.toString(), "--sources", shipped.toString(),
                "--lib", lib.toString(), "--main-class", MAIN);
        assertThat(result.exit()).as(result.err()).isZero();
        return out;
    }

    static final Pattern CLASS_PATH_LINE = Pattern.compile(
            "  \\[(\\d+)] (\\S+)  (\\d+) entries(?:  \\(nested, (\\d+) bytes at offset (\\d+)\\))?");
    static final Pattern MODULE_LINE = Pattern.compile(
            "  (trusted|checked|timestamp) +(\\S+)  (source shipped|no source), class version (\\d+)(?:, release (\\d+))?");
    static final Pattern CACHE_LINE = Pattern.compile(" {14}(\\S.*)");
    static final Pattern ENTRY_LINE = Pattern.compile("  \\[(\\d+)] (stored|deflated) +(\\d+) (.+)");

    @Test
    void inspectWhenArchiveThenPrintsMainClassClassPathModulesEntriesAndIndex() throws IOException {
        Path file = packedArchive();

        Cli result = cli("inspect", file.toString());

        assertThat(result.err()).isEmpty();
        assertThat(result.exit()).isZero();
        List<List<String>> sections = sections(result.out());
        assertThat(sections).hasSize(4);
        try (Archive archive = Archive.open(file)) {
            List<IndexedEntry> entries = archive.entries();
            assertThat(sections.get(0)).containsExactly(
                    "archive     " + file + " (" + Files.size(file) + " bytes)",
                    "main class  " + MAIN,
                    "index       version " + Archive.indexVersion() + ", " + archive.indexSize() + " bytes, "
                            + entries.size() + " entries, 2 modules, 1 nested jars, sealed");

            assertThat(sections.get(1).get(0)).isEqualTo("class path");
            List<String> classPath = new ArrayList<>();
            for (String line : sections.get(1).subList(1, sections.get(1).size())) {
                Matcher m = matches(CLASS_PATH_LINE, line);
                classPath.add(String.join(" ", m.group(1), m.group(2), m.group(3), String.valueOf(m.group(4)),
                        String.valueOf(m.group(5))));
            }
            List<String> expectedClassPath = new ArrayList<>();
            for (Container c : archive.containers()) {
                long count = entries.stream().filter(e -> e.container() == c.id()).count();
                expectedClassPath.add(c.id() + " " + c.entry() + " " + count + " "
                        + (c.nested() ? c.size() + " " + c.offset() : "null null"));
            }
            assertThat(classPath).containsExactlyElementsOf(expectedClassPath);
            assertThat(classPath.get(1)).startsWith("1 HERMETIC-INF/lib/lib.jar 2 " + Files.size(lib) + " ");

            assertThat(sections.get(2).get(0)).isEqualTo("modules (2)");
            List<String> modules = new ArrayList<>();
            for (String line : sections.get(2).subList(1, sections.get(2).size())) {
                Matcher module = MODULE_LINE.matcher(line);
                if (module.matches()) {
                    modules.add(module.group(1) + " " + module.group(2) + " " + module.group(3) + " " + module.group(4));
                } else {
                    modules.add("  " + matches(CACHE_LINE, line).group(1));
                }
            }
            assertThat(modules).containsExactly(
                    "trusted com/example/Greeting.java no source 61",
                    "  com/example/Greeting.class",
                    "checked com/example/Main.java source shipped 61",
                    "  com/example/Main$Inner.class",
                    "  com/example/Main.class");

            assertThat(sections.get(3).get(0)).isEqualTo("entries");
            List<String> listed = new ArrayList<>();
            for (String line : sections.get(3).subList(1, sections.get(3).size())) {
                Matcher m = matches(ENTRY_LINE, line);
                listed.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4));
            }
            List<String> expectedEntries = new ArrayList<>();
            for (Container c : archive.containers()) {
                for (IndexedEntry e : entries) {
                    if (e.container() == c.id()) {
                        expectedEntries.add(c.id() + " " + (e.stored() ? "stored" : "deflated") + " " + e.size() + " " + e.name());
                    }
                }
            }
            assertThat(listed).containsExactlyElementsOf(expectedEntries)
                    .contains("0 stored " + Files.size(classes.resolve("com/example/Main.class")) + " com/example/Main.class",
                            "1 deflated 13 org/lib/lib.txt", "1 stored 7 org/lib/stored.txt");
        }
    }

    @Test
    void inspectWhenJsonThenPrintsValidJsonWithTheSameFacts() throws IOException {
        Path file = packedArchive();

        Cli result = cli("inspect", file.toString(), "--json");

        assertThat(result.err()).isEmpty();
        assertThat(result.exit()).isZero();
        Map<String, Object> json = object(parseJson(result.out()));
        try (Archive archive = Archive.open(file)) {
            assertThat(json).containsEntry("archive", file.toString()).containsEntry("size", Files.size(file))
                    .containsEntry("mainClass", MAIN);
            assertThat(object(json.get("index"))).isEqualTo(Map.of(
                    "version", (long) Archive.indexVersion(), "size", (long) archive.indexSize(), "sealed", true));

            List<Object> classPath = array(json.get("classPath"));
            List<Container> containers = archive.containers();
            assertThat(classPath).hasSameSizeAs(containers);
            for (int i = 0; i < containers.size(); i++) {
                Container c = containers.get(i);
                Map<String, Object> element = object(classPath.get(i));
                assertThat(element).containsEntry("id", (long) c.id()).containsEntry("entry", c.entry())
                        .containsEntry("nested", c.nested()).containsEntry("offset", c.offset())
                        .containsEntry("size", c.size());
                List<Map<String, Object>> expected = new ArrayList<>();
                for (IndexedEntry e : archive.entries()) {
                    if (e.container() == c.id()) {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("name", e.name());
                        entry.put("method", e.stored() ? "stored" : "deflated");
                        entry.put("size", e.size());
                        entry.put("compressedSize", e.compressedSize());
                        entry.put("crc32", String.format("%08x", e.crc32()));
                        entry.put("dataOffset", e.dataOffset());
                        if (e.module() >= 0) {
                            entry.put("module", (long) e.module());
                        }
                        expected.add(entry);
                    }
                }
                assertThat(array(element.get("entries"))).as(c.entry()).isEqualTo(expected);
            }

            List<Object> modules = array(json.get("modules"));
            assertThat(modules).hasSize(2);
            Map<String, Object> greeting = object(modules.get(0));
            assertThat(greeting).containsEntry("id", 0L).containsEntry("source", "com/example/Greeting.java")
                    .containsEntry("mode", "trusted").containsEntry("sourceShipped", false)
                    .containsEntry("classVersion", 61L).containsEntry("release", 0L)
                    .containsEntry("caches", List.of("com/example/Greeting.class"))
                    .doesNotContainKey("sha256");
            Map<String, Object> main = object(modules.get(1));
            byte[] source = Files.readAllBytes(shipped.resolve("com/example/Main.java"));
            assertThat(main).containsEntry("id", 1L).containsEntry("source", "com/example/Main.java")
                    .containsEntry("mode", "checked").containsEntry("sourceShipped", true)
                    .containsEntry("sha256", HexFormat.of().formatHex(sha256(source)))
                    .containsEntry("sourceSize", (long) source.length)
                    .containsEntry("classVersion", 61L)
                    .containsEntry("caches", List.of("com/example/Main$Inner.class", "com/example/Main.class"));
            Module packed = archive.modules().get(1);
            assertThat(main).containsEntry("compilerOptions", packed.compilerOptions())
                    .containsEntry("release", (long) packed.release());
        }

        // The same facts as the text form: every entry line there is an entry here.
        List<String> fromText = new ArrayList<>();
        List<List<String>> sections = sections(cli("inspect", file.toString()).out());
        for (String line : sections.get(3).subList(1, sections.get(3).size())) {
            Matcher m = matches(ENTRY_LINE, line);
            fromText.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4));
        }
        List<String> fromJson = new ArrayList<>();
        for (Object element : array(json.get("classPath"))) {
            for (Object e : array(object(element).get("entries"))) {
                Map<String, Object> entry = object(e);
                fromJson.add(object(element).get("id") + " " + entry.get("method") + " " + entry.get("size") + " "
                        + entry.get("name"));
            }
        }
        assertThat(fromJson).containsExactlyElementsOf(fromText);
    }

    @Test
    void inspectWhenRunInALocaleWithOtherDigitsThenPrintsTheSameAsAnywhere() throws Exception {
        Path file = packedArchive();
        for (List<String> args : List.of(List.of("inspect", file.toString()), List.of("inspect", file.toString(), "--json"))) {
            List<String> command = new ArrayList<>(List.of(jdkTool("java"), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Duser.language=ar", "-Duser.country=SA", "-cp", testClassPath(), PackerCli.class.getName()));
            command.addAll(args);
            TestFixtures.Result arabic = TestFixtures.run(work, command);
            assertThat(arabic.stderr()).isEmpty();
            assertThat(arabic.exit()).isZero();
            assertThat(arabic.stdout()).as("%s", args).isEqualTo(cli(args.toArray(String[]::new)).out());
        }
    }

    @Test
    void inspectWhenFileIsNotAZipThenExitsOneWithOneLineNamingIt() {
        assertBadInput(text + ": not a zip archive: no end-of-central-directory record", "inspect", text.toString());
        assertBadInput(text + ": not a zip archive: no end-of-central-directory record", "inspect", text.toString(), "--json");
    }

    @Test
    void inspectWhenFileIsAPlainJarThenExitsOneWithOneLineNamingIt() {
        Cli result = cli("inspect", lib.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        // The loader says why it is not one (no seal, no index); the line names the file and says what it is not.
        assertThat(result.err()).startsWith("packer: " + lib + ": not a Hermetic archive: ").hasLineCount(1);
    }

    @Test
    void inspectWhenFileIsMissingThenExitsOneWithOneLineNamingIt() {
        Path missing = work.resolve("missing.jar");
        Cli result = cli("inspect", missing.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("packer: " + missing).hasLineCount(1);
    }

    @Test
    void inspectWhenFileIsNotGivenThenExitsTwoWithOneLine() {
        assertUsageError("packer: Missing required parameter: 'FILE' (see 'packer inspect --help')", "inspect");
    }

    // ---------------------------------------------------------------- helpers

    /** The text output's blank-line separated sections, as lists of lines. */
    static List<List<String>> sections(String text) {
        List<List<String>> sections = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.isEmpty()) {
                sections.add(current);
                current = new ArrayList<>();
            } else {
                current.add(line);
            }
        }
        sections.add(current);
        return sections;
    }

    static Matcher matches(Pattern pattern, String line) {
        Matcher m = pattern.matcher(line);
        assertThat(m.matches()).as("'%s' matches %s", line, pattern).isTrue();
        return m;
    }

    /** Parses a whole JSON document with Jackson's streaming parser, which rejects malformed JSON. */
    static Object parseJson(String text) throws IOException {
        try (JsonParser parser = new JsonFactory().createParser(text)) {
            Object value = value(parser, parser.nextToken());
            assertThat(parser.nextToken()).as("nothing after the document").isNull();
            return value;
        }
    }

    static Object value(JsonParser parser, JsonToken token) throws IOException {
        assertThat(token).isNotNull();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    assertThat(object).as("duplicate key").doesNotContainKey(name);
                    object.put(name, value(parser, parser.nextToken()));
                }
                assertThat(parser.currentToken()).isEqualTo(JsonToken.END_OBJECT);
                return object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(value(parser, next));
                }
                return array;
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_NUMBER_INT -> {
                return parser.getLongValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return parser.getBooleanValue();
            }
            default -> throw new AssertionError("unexpected JSON token " + token);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> array(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }
}
