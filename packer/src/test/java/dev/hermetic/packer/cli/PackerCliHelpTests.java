package dev.hermetic.packer.cli;

import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static dev.hermetic.packer.cli.CliRun.NL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command's {@code --help} shows examples, and every example works: each is taken from the help
 * text as printed, its file names mapped into a directory laid out as the examples assume (a Maven
 * project with {@code src/main/java}, {@code target/classes}, {@code target/app.jar}, {@code deps/}), and
 * run; and every documented exit code (0, 1, 2) of every command has a case here or in the command's
 * own tests.
 */
class PackerCliHelpTests {
    static final String MAIN = "com.example.Main";
    /** The file names the examples use; each is resolved in {@link #project}. */
    static final Set<String> PATHS = Set.of("app.jar", "hello.jar", "old.jar", "new.jar", "target/app.jar",
            "target/classes", "deps/a.jar", "deps/b.jar", "src/main/java", "app");
    /** What each command's examples exit with: diff's old.jar and new.jar differ. */
    static final Map<String, Integer> EXIT = Map.of("diff", 1);

    @TempDir
    static Path project;

    @BeforeAll
    static void layOutProject() throws IOException {
        Path src = project.resolve("src/main/java");
        writeSource(src, MAIN, "package com.example; public class Main { public static void main(String[] a) {"
                + " System.out.println(com.example.legacy.Old.name()); } }");
        writeSource(src, "com.example.Hello", "package com.example; public class Hello { public static void main("
                + "String[] a) { System.out.println(\"hello\"); } }");
        writeSource(src, "com.example.legacy.Old", "package com.example.legacy; public class Old {"
                + " public static String name() { return \"old\"; } }");
        Path classes = javac(src, project.resolve("target/classes"), List.of());
        jar().mainClass(MAIN).tree(classes, false).write(project.resolve("target/app.jar"));
        jar().stored("org/a/a.txt", "a\n").write(project.resolve("deps/a.jar"));
        jar().deflated("org/b/b.txt", "b\n").write(project.resolve("deps/b.jar"));
        Packer.pack(PackOptions.builder().out(project.resolve("old.jar")).addSources(src).mainClass(MAIN).build());
        Packer.pack(PackOptions.builder().out(project.resolve("new.jar")).addSources(src).mainClass(MAIN)
                .addLib(project.resolve("deps/a.jar")).build());
    }

    /** The commands in the order their examples can run: packs first, explode (which needs app/ free) last. */
    static Stream<String> commands() {
        return Stream.of("pack", "inspect", "verify", "explain", "diff", "explode");
    }

    /** @return each example of a command's help, as a command line without the leading {@code packer} */
    static List<List<String>> examples(String command) {
        CommandLine cli = new CommandLine(PackerCli.class);
        CommandLine sub = command.isEmpty() ? cli : cli.getSubcommands().get(command);
        List<String> lines = sub.getUsageMessage(CommandLine.Help.Ansi.OFF).lines().toList();
        List<List<String>> examples = new ArrayList<>();
        StringBuilder current = null;
        for (String line : lines) {
            if (current != null) {
                current.append(' ').append(line.trim());
            } else if (line.startsWith("  packer ")) {
                current = new StringBuilder(line.trim());
            }
            if (current != null && current.toString().endsWith("\\")) {
                current.setLength(current.length() - 1);
            } else if (current != null) {
                examples.add(words(current.toString()));
                current = null;
            }
        }
        return examples;
    }

    /** Splits as a POSIX shell would these simple lines: on spaces, single quotes grouping. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    words.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        assertThat(words.get(0)).isEqualTo("packer");
        return words.subList(1, words.size());
    }

    @Test
    void helpWhenAnyCommandThenShowsExamples() {
        for (String command : Stream.concat(Stream.of(""), commands()).toList()) {
            assertThat(examples(command)).as("examples of '%s'", command).isNotEmpty();
        }
        assertThat(new CommandLine(PackerCli.class).getSubcommands().keySet())
                .containsExactlyInAnyOrder("pack", "inspect", "verify", "diff", "explain", "explode", "help");
    }

    @Test
    void helpWhenAskedThenPrintsUsageWithExamplesAndExitsZero() {
        CliRun run = CliRun.of("diff", "--help");

        assertThat(run.out()).startsWith("Usage: packer diff ").contains("Examples:" + NL + "  packer diff old.jar new.jar" + NL);
        assertThat(run.exit()).isZero();
    }

    @Test
    void examplesWhenRunInAProjectThenEachWorks() {
        Map<String, List<String>> ran = new LinkedHashMap<>();
        for (String command : Stream.concat(commands(), Stream.of("")).toList()) {
            for (List<String> example : examples(command)) {
                String[] args = example.stream().map(w -> PATHS.contains(w) ? project.resolve(w).toString() : w)
                        .toArray(String[]::new);
                if (command.isEmpty() && example.get(0).equals("pack")) {
                    continue; // the top-level help repeats a pack example that already ran
                }
                CliRun run = CliRun.of(args);
                assertThat(run.err()).as("%s", example).isEmpty();
                assertThat(run.exit()).as("%s: %s", example, run.out())
                        .isEqualTo(EXIT.getOrDefault(example.get(0), 0));
                ran.put(String.join(" ", example), example);
            }
        }
        assertThat(ran).hasSizeGreaterThanOrEqualTo(15);
        assertThat(Files.isDirectory(project.resolve("app/HERMETIC-INF"))).isTrue();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void exitCodeWhenUnknownOptionThenTwoWithOneLine(String command) {
        String[] args = switch (command) {
            case "pack" -> new String[] {"pack", "--out", "x.jar", "--no-such-option"};
            case "diff" -> new String[] {"diff", "a.jar", "b.jar", "--no-such-option"};
            case "explain" -> new String[] {"explain", "a.jar", MAIN, "--no-such-option"};
            case "explode" -> new String[] {"explode", "a.jar", "--out", "dir", "--no-such-option"};
            default -> new String[] {command, "a.jar", "--no-such-option"};
        };

        CliRun run = CliRun.of(args);

        assertThat(run.err()).startsWith("packer: Unknown option: '--no-such-option'")
                .endsWith("(see 'packer " + command + " --help')" + NL).hasLineCount(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.exit()).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void exitCodeWhenInputFileMissingThenOneWithOneLineNamingIt(String command) {
        String missing = project.resolve("missing-" + command + ".jar").toString();
        String[] args = switch (command) {
            case "pack" -> new String[] {"pack", "--out", project.resolve("x.jar").toString(), "--app", missing};
            case "diff" -> new String[] {"diff", missing, missing};
            case "explain" -> new String[] {"explain", missing, MAIN};
            case "explode" -> new String[] {"explode", missing, "--out", project.resolve("x-dir").toString()};
            default -> new String[] {command, missing};
        };

        CliRun run = CliRun.of(args);

        assertThat(run.err()).startsWith("packer: ").contains(missing).hasLineCount(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void exitCodeWhenNoCommandThenTwoWithUsage() {
        CliRun run = CliRun.of();

        assertThat(run.err()).isEqualTo("packer: Missing required subcommand (see 'packer --help')" + NL);
        assertThat(run.exit()).isEqualTo(2);
    }
}
