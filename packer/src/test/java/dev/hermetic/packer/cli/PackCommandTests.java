package dev.hermetic.packer.cli;

import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static dev.hermetic.packer.cli.CliRun.NL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.loader.archive.ValidationMode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code packer pack} with {@code --validation}, {@code --validation-rule} and {@code --no-caches}: what
 * lands in the index, and the one-line usage errors (exit 2) for bad modes, globs and combinations.
 */
class PackCommandTests {
    static final String MAIN = "com.example.Main";

    @TempDir
    static Path inputs;

    static Path src;
    static Path classes;

    @TempDir
    Path work;

    @BeforeAll
    static void makeInputs() throws IOException {
        src = inputs.resolve("src");
        writeSource(src, MAIN, """
                package com.example;

                public class Main {
                    public static void main(String[] args) {
                        System.out.println(com.example.legacy.Old.text());
                    }
                }
                """);
        writeSource(src, "com.example.legacy.Old", """
                package com.example.legacy;

                public class Old {
                    public static String text() {
                        return "old";
                    }
                }
                """);
        classes = javac(src, inputs.resolve("classes"), List.of());
    }

    /** Runs a command that is wrong usage: exit 2, nothing on stdout, exactly this line on stderr. */
    static void assertUsageError(String line, String... args) {
        CliRun result = CliRun.of(args);
        assertThat(result.err()).isEqualTo(line + NL);
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void packWhenValidationAndRulesThenTheFirstMatchingRuleWinsOverValidation() throws IOException {
        Path out = work.resolve("app.jar");

        CliRun result = CliRun.of("pack", "--out", out.toString(), "--sources", src.toString(), "--main-class", MAIN,
                "--validation", "checked", "--validation-rule", "com/example/legacy/**=timestamp",
                "--validation-rule", "com/example/**=trusted");

        assertThat(result.err()).isEmpty();
        assertThat(result.exit()).isZero();
        try (Archive archive = Archive.open(out)) {
            assertThat(archive.modules()).extracting(Module::source, Module::mode).containsExactly(
                    tuple("com/example/Main.java", ValidationMode.TRUSTED),
                    tuple("com/example/legacy/Old.java", ValidationMode.TIMESTAMP));
        }
    }

    @Test
    void packWhenAppWithSourcesAndValidationTrustedThenTheAppModulesAreTrusted() throws IOException {
        Path out = work.resolve("app.jar");

        CliRun result = CliRun.of("pack", "--out", out.toString(), "--app", classes.toString(), "--sources",
                src.toString(), "--main-class", MAIN, "--validation", "TRUSTED");

        assertThat(result.exit()).as(result.err()).isZero();
        try (Archive archive = Archive.open(out)) {
            assertThat(archive.modules()).extracting(Module::mode).containsOnly(ValidationMode.TRUSTED);
        }
    }

    @Test
    void packWhenNoCachesThenTheArchiveShipsSourcesAndDeclaresClassesWithoutClassEntries() throws IOException {
        Path out = work.resolve("app.jar");

        CliRun result = CliRun.of("pack", "--out", out.toString(), "--sources", src.toString(), "--main-class", MAIN,
                "--no-caches");

        assertThat(result.err()).isEmpty();
        assertThat(result.exit()).isZero();
        try (Archive archive = Archive.open(out)) {
            assertThat(archive.entries()).extracting(IndexedEntry::name).noneMatch(n -> n.endsWith(".class"));
            assertThat(archive.moduleOf("com/example/Main.class")).isEqualTo(archive.moduleOf("com/example/Main.java"))
                    .isZero();
            assertThat(archive.modules()).allMatch(Module::hasSource);
            assertThat(result.out()).isEqualTo("packed " + out + ": " + java.nio.file.Files.size(out) + " bytes, "
                    + archive.entries().size() + " entries, 2 modules, 0 nested jars, main class " + MAIN + NL);
        }
    }

    @Test
    void packWhenValidationIsUnknownThenExitsTwoWithOneLineListingTheModes() {
        assertUsageError("packer: --validation: unknown validation mode 'sometimes': expected trusted, checked or "
                        + "timestamp (see 'packer pack --help')",
                "pack", "--out", work.resolve("x.jar").toString(), "--sources", src.toString(), "--validation", "sometimes");
        assertThat(work.resolve("x.jar")).doesNotExist();
    }

    @Test
    void packWhenValidationRuleHasNoModeThenExitsTwoWithOneLineShowingTheForm() {
        assertUsageError("packer: --validation-rule: validation rule 'com/example/**' is not GLOB=MODE (for example "
                        + "com/example/legacy/**=checked) (see 'packer pack --help')",
                "pack", "--out", work.resolve("x.jar").toString(), "--sources", src.toString(),
                "--validation-rule", "com/example/**");
    }

    @Test
    void packWhenValidationRuleGlobIsMalformedOrModeUnknownThenExitsTwoWithOneLineNamingIt() {
        assertUsageError("packer: --validation-rule: invalid validation rule glob 'com/[ab]/**': character classes "
                        + "([...]) are not supported (see 'packer pack --help')",
                "pack", "--out", work.resolve("x.jar").toString(), "--sources", src.toString(),
                "--validation-rule", "com/[ab]/**=checked");
        assertUsageError("packer: --validation-rule: unknown validation mode 'never': expected trusted, checked or "
                        + "timestamp (see 'packer pack --help')",
                "pack", "--out", work.resolve("x.jar").toString(), "--sources", src.toString(),
                "--validation-rule", "com/**=never");
    }

    @Test
    void packWhenNoCachesWithAppThenExitsTwoWithOneLine() {
        assertUsageError("packer: --no-caches ships sources only, which the packer compiles itself: give no --app "
                        + "(see 'packer pack --help')",
                "pack", "--out", work.resolve("x.jar").toString(), "--sources", src.toString(), "--app",
                classes.toString(), "--no-caches");
    }

    @Test
    void packWhenNoCachesWithoutSourcesThenExitsTwoWithOneLine() {
        assertUsageError("packer: --no-caches ships sources only: give --sources (see 'packer pack --help')",
                "pack", "--out", work.resolve("x.jar").toString(), "--app", classes.toString(), "--no-caches");
    }

    @Test
    void packHelpWhenAskedThenDocumentsTheValidationOptionsAndTheirPrecedence() {
        CliRun result = CliRun.of("pack", "--help");

        assertThat(result.exit()).isZero();
        // picocli wraps lines at 80 columns
        assertThat(result.out().replaceAll("\\s+", " ")).contains("--validation=MODE", "--validation-rule=GLOB=MODE",
                "--no-caches", "the first matching rule wins, over --validation",
                "gets the mode of the first --validation-rule whose GLOB matches its source path, else --validation, "
                        + "else the default: trusted for classes the packer compiled, checked for --app classes.");
    }

    @Test
    void packWhenLauncherAtRootThenTheRootHoldsEveryLoaderClassElseOnlyTheFront() throws IOException {
        Path front = work.resolve("front.jar");
        Path all = work.resolve("all.jar");

        CliRun packed = CliRun.of("pack", "--out", front.toString(), "--app", classes.toString(), "--main-class", MAIN);
        CliRun packedAtRoot = CliRun.of("pack", "--out", all.toString(), "--app", classes.toString(), "--main-class", MAIN,
                "--launcher-at-root");

        assertThat(packed.exit()).as(packed.err()).isZero();
        assertThat(packedAtRoot.exit()).as(packedAtRoot.err()).isZero();
        try (ZipFile frontZip = new ZipFile(front.toFile());
             ZipFile allZip = new ZipFile(all.toFile())) {
            assertThat(frontZip.stream().map(ZipEntry::getName).filter(n -> n.startsWith("dev/")))
                    .containsExactlyInAnyOrderElementsOf(ArchiveLayout.LAUNCHER_FRONT);
            assertThat(allZip.getEntry("dev/hermetic/loader/ArchiveClassLoader.class")).isNotNull();
        }
    }

    @Test
    void packWhenCompressResourcesWithReuseThenExitsZeroAndSaysWhatWasDeflatedAndCopied() throws IOException {
        Path resources = work.resolve("resources");
        java.nio.file.Files.createDirectories(resources.resolve("com/example"));
        java.nio.file.Files.writeString(resources.resolve("com/example/data.txt"), "data line\n".repeat(200));
        Path old = work.resolve("old.jar");
        Path out = work.resolve("new.jar");
        CliRun first = CliRun.of("pack", "--out", old.toString(), "--app", classes.toString(), "--app",
                resources.toString(), "--main-class", MAIN, "--compress-resources", "--threads", "2");

        CliRun second = CliRun.of("pack", "--out", out.toString(), "--app", classes.toString(), "--app",
                resources.toString(), "--main-class", MAIN, "--compress-resources", "--reuse", old.toString());

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).endsWith("resources: 1 deflated" + NL);
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).endsWith("resources: 1 deflated, 1 copied unchanged from " + old + NL);
        assertThat(java.nio.file.Files.readAllBytes(out)).isEqualTo(java.nio.file.Files.readAllBytes(old));
        CliRun explain = CliRun.of("explain", out.toString(), "com/example/data.txt");
        assertThat(explain.exit()).isZero();
        assertThat(explain.out()).contains("(deflated, 2000 bytes, crc32 ");
        CliRun inspect = CliRun.of("inspect", out.toString());
        assertThat(inspect.out()).containsPattern("deflated +2000 com/example/data.txt");
        assertThat(CliRun.of("verify", out.toString()).exit()).isZero();
        CliRun diff = CliRun.of("diff", out.toString(), old.toString());
        assertThat(diff.exit()).isZero();
    }

    @Test
    void packWhenThreadsIsZeroThenExitsTwoWithOneLine() {
        assertUsageError("packer: --threads: must be at least 1, not 0 (see 'packer pack --help')",
                "pack", "--out", work.resolve("x.jar").toString(), "--app", classes.toString(), "--main-class", MAIN,
                "--compress-resources", "--threads", "0");
    }

    @Test
    void packWhenThreadsIsNotANumberThenExitsTwoWithOneLine() {
        assertUsageError("packer: Invalid value for option '--threads': 'many' is not an int (see 'packer pack --help')",
                "pack", "--out", work.resolve("x.jar").toString(), "--app", classes.toString(), "--main-class", MAIN,
                "--compress-resources", "--threads", "many");
    }

    @Test
    void packWhenReuseWithoutCompressResourcesThenExitsTwoWithOneLine() {
        assertUsageError("packer: --reuse copies compressed resources: give --compress-resources too"
                        + " (see 'packer pack --help')",
                "pack", "--out", work.resolve("x.jar").toString(), "--app", classes.toString(), "--main-class", MAIN,
                "--reuse", work.resolve("old.jar").toString());
    }

    @Test
    void packWhenReuseFileIsMissingThenExitsOneNamingIt() {
        Path missing = work.resolve("missing.jar");

        CliRun result = CliRun.of("pack", "--out", work.resolve("x.jar").toString(), "--app", classes.toString(),
                "--main-class", MAIN, "--compress-resources", "--reuse", missing.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("packer: " + missing + ": --reuse: no such file or directory" + NL);
    }
}
