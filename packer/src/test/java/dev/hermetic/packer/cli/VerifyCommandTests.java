package dev.hermetic.packer.cli;

import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static dev.hermetic.packer.cli.CliRun.NL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code packer verify}: one line per problem naming the module, a summary line, exit 0 when all is
 * well and 1 when something is stale or differs, {@code --json}, and the one-line errors.
 */
class VerifyCommandTests {
    static final String MAIN = "com.example.Main";
    static final int RUNNING = Runtime.version().feature();
    static final String OPTIONS = "--release 17 -encoding UTF-8 -g:source,lines -proc:none";

    @TempDir
    static Path inputs;

    /** Packed by the packer from its sources. */
    static Path clean;
    /** Classes compiled from Greeting "hello", shipped with a Greeting that says "bye", packed as trusted. */
    static Path lie;
    static Path plain;

    @BeforeAll
    static void makeInputs() throws IOException {
        Path src = inputs.resolve("src");
        writeSource(src, MAIN, """
                package com.example;

                public class Main {
                    public static void main(String[] args) {
                        System.out.println(Greeting.text());
                    }
                }
                """);
        writeSource(src, "com.example.Greeting", greeting("hello"));
        Path shipped = inputs.resolve("shipped");
        Files.createDirectories(shipped.resolve("com/example"));
        Files.copy(src.resolve("com/example/Main.java"), shipped.resolve("com/example/Main.java"));
        writeSource(shipped, "com.example.Greeting", greeting("bye"));
        Path classes = javac(src, inputs.resolve("classes"), List.of(OPTIONS.split(" ")));

        clean = inputs.resolve("clean.jar");
        assertThat(CliRun.of("pack", "--out", clean.toString(), "--sources", src.toString(), "--main-class", MAIN).exit())
                .isZero();
        lie = inputs.resolve("lie.jar");
        assertThat(CliRun.of("pack", "--out", lie.toString(), "--app", classes.toString(), "--sources", shipped.toString(),
                "--main-class", MAIN, "--validation", "trusted").exit()).isZero();
        plain = jar().stored("a.txt", "a").write(inputs.resolve("plain.jar"));
    }

    static String greeting(String text) {
        return """
                package com.example;

                public final class Greeting {
                    public static String text() {
                        return "%s";
                    }
                }
                """.formatted(text);
    }

    @Test
    void verifyWhenThePackerCompiledTheArchiveThenPrintsOneSummaryLineAndExitsZero() {
        CliRun result = CliRun.of("verify", clean.toString());

        assertThat(result.err()).isEmpty();
        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEqualTo("verify " + clean + ": 2 modules (2 trusted, 0 checked, 0 timestamp), "
                + "2 sources hashed, 2 trusted modules recompiled and compared (packed by javac " + RUNNING + ", javac "
                + RUNNING + "): ok" + NL);
    }

    @Test
    void verifyWhenATrustedCacheWasNotCompiledFromItsSourceThenPrintsTheModuleAndExitsOne() {
        CliRun result = CliRun.of("verify", lie.toString());

        assertThat(result.err()).isEmpty();
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).isEqualTo(
                "com/example/Greeting.java: differs: com/example/Greeting.class (compiler options not recorded; "
                        + "recompiled by javac " + RUNNING + " with " + OPTIONS + ")" + NL
                        + "verify " + lie + ": 2 modules (2 trusted, 0 checked, 0 timestamp), 2 sources hashed, "
                        + "2 trusted modules recompiled and compared (javac " + RUNNING + "): 1 problem" + NL);
    }

    @Test
    void verifyWhenJsonThenPrintsTheSameFactsAsJson() throws IOException {
        CliRun result = CliRun.of("verify", lie.toString(), "--json");

        assertThat(result.exit()).isEqualTo(1);
        Map<String, Object> json = object(parseJson(result.out()));
        assertThat(json).containsEntry("archive", lie.toString()).containsEntry("ok", false)
                .containsEntry("trustBound", true).containsEntry("sourcesHashed", 2L)
                .containsEntry("modulesCompared", 2L).containsEntry("packedWith", null)
                .containsEntry("runningRelease", (long) RUNNING)
                .containsEntry("modules", Map.of("total", 2L, "trusted", 2L, "checked", 0L, "timestamp", 0L));
        assertThat(json.get("problems")).isEqualTo(List.of(Map.of("module", "com/example/Greeting.java",
                "kind", "differs", "detail", "differs: com/example/Greeting.class (compiler options not recorded; "
                        + "recompiled by javac " + RUNNING + " with " + OPTIONS + ")")));

        Map<String, Object> ok = object(parseJson(CliRun.of("verify", clean.toString(), "--json").out()));
        assertThat(ok).containsEntry("ok", true).containsEntry("packedWith", (long) RUNNING)
                .containsEntry("problems", List.of());
    }

    @Test
    void verifyWhenFileIsAPlainJarThenExitsOneWithOneLineNamingIt() {
        CliRun result = CliRun.of("verify", plain.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("packer: " + plain + ": not a Hermetic archive").hasLineCount(1);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void verifyWhenFileIsMissingThenExitsOneWithOneLineNamingIt() {
        Path missing = inputs.resolve("missing.jar");

        CliRun result = CliRun.of("verify", missing.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("packer: " + missing).hasLineCount(1);
    }

    @Test
    void verifyWhenFileIsNotGivenThenExitsTwoWithOneLine() {
        CliRun result = CliRun.of("verify");

        assertThat(result.err()).isEqualTo("packer: Missing required parameter: 'FILE' (see 'packer verify --help')" + NL);
        assertThat(result.exit()).isEqualTo(2);
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
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    object.put(name, value(parser, parser.nextToken()));
                }
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
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new AssertionError("unexpected " + token);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
