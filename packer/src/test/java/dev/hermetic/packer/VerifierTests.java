package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.sha256;
import static dev.hermetic.packer.TestFixtures.write;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.hermetic.loader.archive.ValidationMode;
import dev.hermetic.packer.Verification.Kind;
import dev.hermetic.packer.Verification.Problem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Verifier#verify}: archives packed by the packer from real sources and real javac output, exploded
 * and edited ones, and a few made by hand ({@link HandMadeArchive}) to record what no honest pack
 * records: a source hash that is not the shipped source's, another compiler release, options verify must
 * not replay.
 */
class VerifierTests {
    static final String MAIN = "com.example.Main";
    static final int RUNNING = Runtime.version().feature();
    static final String PACKER_OPTIONS = String.join(" ", SourceCompiler.options(17));
    static final String NOT_RECORDED = " (compiler options not recorded; recompiled by javac " + RUNNING + " with "
            + PACKER_OPTIONS + ")";

    @TempDir
    Path tmp;

    /** Main (a nested class, a lambda) using Greeting, and a resource. */
    Path src;

    @BeforeEach
    void writeSources() throws IOException {
        src = tmp.resolve("src");
        writeSource(src, MAIN, """
                package com.example;

                public class Main {
                    public static void main(String[] args) {
                        Runnable run = () -> System.out.println(Greeting.text() + new Inner().value());
                        run.run();
                    }

                    static final class Inner {
                        int value() {
                            return 42;
                        }
                    }
                }
                """);
        writeSource(src, "com.example.Greeting", greeting("hello "));
        write(src.resolve("com/example/app.properties"), "name=example\n");
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

    /** The sources compiled by javac as the packer compiles them. */
    Path compiled(String name) throws IOException {
        return javac(src, tmp.resolve(name), SourceCompiler.options(17));
    }

    /** The sources compiled by javac as a build might: all debug information and parameter names. */
    Path compiledOtherwise(String name) throws IOException {
        return javac(src, tmp.resolve(name), List.of("--release", "17", "-encoding", "UTF-8", "-g", "-parameters"));
    }

    PackOptions.Builder options(String name) {
        return PackOptions.builder().out(tmp.resolve(name)).mainClass(MAIN);
    }

    // ---------------------------------------------------------------- clean archives

    @Test
    void verifyWhenThePackerCompiledTheSourcesThenEveryModuleIsRecompiledIdenticallyAndAllIsWell() throws IOException {
        Path out = tmp.resolve("clean.jar");
        Packer.pack(options("clean.jar").addSources(src).build());

        Verification result = Verifier.verify(out);

        assertThat(result.problems()).isEmpty();
        assertThat(result.ok()).isTrue();
        assertThat(result).isEqualTo(new Verification(out, true, 2, 2, 0, 0, 2, 2, Optional.of(RUNNING), RUNNING, List.of()));
    }

    @Test
    void verifyWhenPackedWithoutCachesThenDeclaredClassesAreNotMissingAndAllIsWell() throws IOException {
        Path out = tmp.resolve("no-caches.jar");
        Packer.pack(options("no-caches.jar").addSources(src).caches(false).build());

        Verification result = Verifier.verify(out);

        assertThat(result.problems()).isEmpty();
        assertThat(result.modulesCompared()).isEqualTo(2);
    }

    @Test
    void verifyWhenAppCachesAreTrustedAndCompiledAsThePackerCompilesThenAllIsWell() throws IOException {
        Path classes = compiled("classes");
        Path out = tmp.resolve("app.jar");
        Packer.pack(options("app.jar").addApp(classes).addSources(src).validation(ValidationMode.TRUSTED).build());

        Verification result = Verifier.verify(out);

        assertThat(result.problems()).isEmpty();
        assertThat(result.packedWith()).isEmpty();
        assertThat(result.modulesCompared()).isEqualTo(2);
    }

    @Test
    void verifyWhenModulesAreCheckedOrTimestampThenTheyAreHashCheckedOnlyAndDifferentBytesPass() throws IOException {
        // caches compiled with other options than the packer's: only a recompile would notice
        Path classes = compiledOtherwise("classes");
        Path out = tmp.resolve("checked.jar");
        Packer.pack(options("checked.jar").addApp(classes).addSources(src)
                .addValidationRule("**/Greeting.java", ValidationMode.TIMESTAMP).build());

        Verification result = Verifier.verify(out);

        assertThat(result.problems()).isEmpty();
        assertThat(result).extracting(Verification::checked, Verification::timestamp, Verification::sourcesHashed,
                Verification::modulesCompared).containsExactly(1, 1, 2, 0);
    }

    // ---------------------------------------------------------------- what verify finds

    @Test
    void verifyWhenATrustedCacheWasCompiledFromAnotherSourceThenReportsTheModuleAndTheClass() throws IOException {
        // the lie: classes compiled from Greeting "hello ", shipped with a Greeting that says "bye ", packed as trusted
        Path classes = compiled("classes");
        Path shipped = tmp.resolve("shipped");
        write(shipped.resolve("com/example/Main.java"), Files.readAllBytes(src.resolve("com/example/Main.java")));
        writeSource(shipped, "com.example.Greeting", greeting("bye "));
        Path out = tmp.resolve("lie.jar");
        Packer.pack(options("lie.jar").addApp(classes).addSources(shipped).validation(ValidationMode.TRUSTED).build());

        Verification result = Verifier.verify(out);

        assertThat(result.problems()).containsExactly(new Problem("com/example/Greeting.java", Kind.DIFFERS,
                "differs: com/example/Greeting.class" + NOT_RECORDED));
        assertThat(result.problems().get(0).message())
                .isEqualTo("com/example/Greeting.java: differs: com/example/Greeting.class" + NOT_RECORDED);
        assertThat(result.ok()).isFalse();
        assertThat(result.sourcesHashed()).as("the hashes are those of the shipped sources: only recompiling tells")
                .isEqualTo(2);
    }

    @Test
    void verifyWhenTrustedCachesWereCompiledWithOtherOptionsThenEveryClassDiffers() throws IOException {
        Path classes = compiledOtherwise("classes");
        Path out = tmp.resolve("options.jar");
        Packer.pack(options("options.jar").addApp(classes).addSources(src).validation(ValidationMode.TRUSTED).build());

        Verification result = Verifier.verify(out);

        assertThat(result.problems()).extracting(Problem::message).containsExactly(
                "com/example/Greeting.java: differs: com/example/Greeting.class" + NOT_RECORDED,
                "com/example/Main.java: differs: com/example/Main$Inner.class" + NOT_RECORDED,
                "com/example/Main.java: differs: com/example/Main.class" + NOT_RECORDED);
        assertThat(result.problems()).extracting(Problem::kind).containsOnly(Kind.DIFFERS);
    }

    @Test
    void verifyWhenATrustedModulesCacheIsMissingThenReportsCacheMissing() throws IOException {
        Path classes = compiled("classes");
        Files.delete(classes.resolve("com/example/Main$Inner.class"));
        Path out = tmp.resolve("missing.jar");
        Packer.pack(options("missing.jar").addApp(classes).addSources(src).validation(ValidationMode.TRUSTED).build());

        Verification result = Verifier.verify(out);

        assertThat(result.problems()).containsExactly(new Problem("com/example/Main.java", Kind.CACHE_MISSING,
                "cache missing: com/example/Main$Inner.class" + NOT_RECORDED));
    }

    @Test
    void verifyWhenATrustedModuleHasACacheItsSourceNoLongerMakesThenReportsExtraCache() throws IOException {
        // Main.class and Main$Old.class from an older Main.java; the shipped Main.java has no Old
        Path old = tmp.resolve("old-src");
        writeSource(old, MAIN, """
                package com.example;

                public class Main {
                    public static void main(String[] args) {
                        System.out.println(new Old());
                    }

                    static final class Old {
                    }
                }
                """);
        Path classes = javac(old, tmp.resolve("old-classes"), SourceCompiler.options(17));
        Path shipped = tmp.resolve("shipped");
        write(shipped.resolve("com/example/Main.java"), Files.readAllBytes(src.resolve("com/example/Main.java")));
        write(shipped.resolve("com/example/Greeting.java"), Files.readAllBytes(src.resolve("com/example/Greeting.java")));
        Path out = tmp.resolve("extra.jar");
        Packer.pack(options("extra.jar").addApp(classes).addSources(shipped).validation(ValidationMode.TRUSTED).build());

        Verification result = Verifier.verify(out);

        assertThat(result.problems()).extracting(Problem::message).containsExactly(
                "com/example/Greeting.java: cache missing: com/example/Greeting.class" + NOT_RECORDED,
                "com/example/Main.java: cache missing: com/example/Main$Inner.class" + NOT_RECORDED,
                "com/example/Main.java: differs: com/example/Main.class" + NOT_RECORDED,
                "com/example/Main.java: extra cache: com/example/Main$Old.class" + NOT_RECORDED);
    }

    @Test
    void verifyWhenATrustedSourceDoesNotCompileThenReportsItsModuleLineAndOptions() throws IOException {
        Path classes = compiled("classes");
        Path shipped = tmp.resolve("shipped");
        write(shipped.resolve("com/example/Main.java"), Files.readAllBytes(src.resolve("com/example/Main.java")));
        writeSource(shipped, "com.example.Greeting", greeting("x\" + undefinedName + \""));
        Path out = tmp.resolve("broken.jar");
        Packer.pack(options("broken.jar").addApp(classes).addSources(shipped).validation(ValidationMode.TRUSTED).build());

        Verification result = Verifier.verify(out);

        assertThat(result.problems()).containsExactly(new Problem("com/example/Greeting.java", Kind.DOES_NOT_COMPILE,
                "does not compile with " + PACKER_OPTIONS + ": line 5: cannot find symbol"));
    }

    @Test
    void verifyWhenTheShippedSourceIsNotTheOneTheIndexRecordsThenReportsStale() throws IOException {
        byte[] recorded = greeting("hello ").getBytes(StandardCharsets.UTF_8);
        byte[] shipped = greeting("hello, world ").getBytes(StandardCharsets.UTF_8);
        Path classes = compiled("classes");
        Path out = handMade("stale.jar", Optional.empty(), ValidationMode.CHECKED, shipped, recorded,
                Files.readAllBytes(classes.resolve("com/example/Greeting.class")), 0, "");

        Verification result = Verifier.verify(out);

        assertThat(result.problems()).containsExactly(new Problem("com/example/Greeting.java", Kind.STALE,
                "stale: source hash differs (SHA-256 " + HexFormat.of().formatHex(sha256(shipped), 0, 6) + "..., index "
                        + HexFormat.of().formatHex(sha256(recorded), 0, 6) + "..., and its size: " + shipped.length
                        + " bytes, not " + recorded.length + ")"));
        assertThat(result.problems().get(0).message()).startsWith("com/example/Greeting.java: stale: source hash differs");
    }

    @Test
    void verifyWhenPackedByAnotherJavacReleaseAndBytesDifferThenReportsCannotCompareNamingBothReleases()
            throws IOException {
        int other = RUNNING - 1;
        byte[] source = greeting("hello ").getBytes(StandardCharsets.UTF_8);
        // stands in for another javac's output: the same source compiled with other options
        byte[] cache = Files.readAllBytes(compiledOtherwise("classes").resolve("com/example/Greeting.class"));
        Path out = handMade("other-javac.jar", Optional.of(other), ValidationMode.TRUSTED, source, source, cache, 17,
                PACKER_OPTIONS);

        Verification result = Verifier.verify(out);

        assertThat(result.problems()).containsExactly(new Problem("com/example/Greeting.java", Kind.CANNOT_COMPARE,
                "cannot compare: packed by javac " + other + ", this is javac " + RUNNING
                        + ", and 1 class file differs (differs: com/example/Greeting.class); run verify on JDK " + other));
        assertThat(result.packedWith()).contains(other);
    }

    @Test
    void verifyWhenPackedByAnotherJavacReleaseAndBytesAreTheSameThenAllIsWell() throws IOException {
        byte[] source = greeting("hello ").getBytes(StandardCharsets.UTF_8);
        byte[] cache = Files.readAllBytes(compiled("classes").resolve("com/example/Greeting.class"));
        Path out = handMade("same-bytes.jar", Optional.of(RUNNING - 1), ValidationMode.TRUSTED, source, source, cache, 17,
                PACKER_OPTIONS);

        assertThat(Verifier.verify(out).problems()).isEmpty();
    }

    @Test
    void verifyWhenRecordedOptionsCouldRunCodeThenDoesNotReplayThemAndReportsCannotCompare() throws IOException {
        byte[] source = greeting("hello ").getBytes(StandardCharsets.UTF_8);
        byte[] cache = Files.readAllBytes(compiled("classes").resolve("com/example/Greeting.class"));
        Path out = handMade("processor.jar", Optional.of(RUNNING), ValidationMode.TRUSTED, source, source, cache, 17,
                "--release 17 -processorpath " + tmp + " -processor evil.Processor");

        Verification result = Verifier.verify(out);

        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.CANNOT_COMPARE);
            assertThat(p.message()).startsWith("com/example/Greeting.java: cannot compare: compiler option -processorpath"
                    + " is not one verify replays (");
        });
        assertThat(result.modulesCompared()).isZero();
    }

    @Test
    void verifyWhenFileIsAPlainJarThenFailsSayingItIsNotAHermeticArchive() throws IOException {
        Path plain = jar().stored("a.txt", "a").write(tmp.resolve("plain.jar"));

        assertThatThrownBy(() -> Verifier.verify(plain))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(plain + ": not a Hermetic archive");
    }

    // ---------------------------------------------------------------- exploded and edited archives

    @Test
    void verifyWhenExplodedThenVerifiesTheDirectoryAndFindsASourceEditedThere() throws IOException {
        Path out = tmp.resolve("app.jar");
        Packer.pack(options("app.jar").addSources(src).build());
        Path exploded = Exploder.explode(out, tmp.resolve("exploded")).directory();

        assertThat(Verifier.verify(exploded).problems()).isEmpty();

        Files.writeString(exploded.resolve("HERMETIC-INF/sources/com/example/Main.java"), "// edited\n",
                StandardOpenOption.APPEND);
        Verification result = Verifier.verify(exploded);

        // a comment after the code changes the hash, not the class files
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.STALE);
            assertThat(p.message()).startsWith("com/example/Main.java: stale: source hash differs (SHA-256 ");
        });
        assertThat(result.trustBound()).isTrue();
        assertThat(result.archive()).isEqualTo(exploded);
    }

    @Test
    void verifyWhenAZipToolReplacedATrustedSourceThenReportsStaleAndDiffersAndThatTrustIsNotBound() throws IOException {
        Path out = tmp.resolve("app.jar");
        Packer.pack(options("app.jar").addSources(src).build());
        Path edited = replaceEntry(out, tmp.resolve("edited.jar"), "HERMETIC-INF/sources/com/example/Greeting.java",
                greeting("edited ").getBytes(StandardCharsets.UTF_8));

        Verification result = Verifier.verify(edited);

        assertThat(result.trustBound()).isFalse();
        assertThat(result.problems()).extracting(Problem::module, Problem::kind).containsExactly(
                tuple("com/example/Greeting.java", Kind.STALE), tuple("com/example/Greeting.java", Kind.DIFFERS));
        assertThat(result.problems().get(1).detail()).isEqualTo("differs: com/example/Greeting.class");
        assertThat(Verifier.verify(out).trustBound()).isTrue();
    }

    /**
     * Copies an archive as a zip tool would edit it: every entry raw (Commons Compress), one replaced by
     * new bytes (DEFLATED, as zip tools write), and no archive comment, so no seal.
     */
    static Path replaceEntry(Path archive, Path out, String name, byte[] bytes) throws IOException {
        try (ZipFile in = ZipFile.builder().setPath(archive).get();
             ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            for (ZipArchiveEntry entry : Collections.list(in.getEntriesInPhysicalOrder())) {
                if (entry.getName().equals(name)) {
                    ZipArchiveEntry replaced = new ZipArchiveEntry(name);
                    replaced.setMethod(ZipArchiveEntry.DEFLATED);
                    zip.putArchiveEntry(replaced);
                    zip.write(bytes);
                    zip.closeArchiveEntry();
                } else {
                    zip.addRawArchiveEntry(entry, in.getRawInputStream(entry));
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- hand-made archives

    /**
     * An archive of one module, {@code com/example/Greeting.java} (see {@link HandMadeArchive}): a manifest
     * (with {@code Build-Jdk-Spec} when given), the shipped source, the cache {@code com/example/Greeting.class},
     * and an index recording {@code recorded}'s SHA-256 and size with the given mode, release and options.
     */
    Path handMade(String name, Optional<Integer> buildJdkSpec, ValidationMode mode, byte[] shipped, byte[] recorded,
                  byte[] cache, int release, String options) throws IOException {
        HandMadeArchive archive = new HandMadeArchive();
        buildJdkSpec.ifPresent(r -> archive.attribute("Build-Jdk-Spec", r.toString()));
        return archive.module("com/example/Greeting.java", shipped, recorded, mode, 0, release, options,
                "com/example/Greeting.class", cache).write(tmp.resolve(name));
    }
}
