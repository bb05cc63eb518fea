package dev.hermetic.packer.modes;

import static dev.hermetic.loader.archive.ValidationMode.CHECKED;
import static dev.hermetic.loader.archive.ValidationMode.TRUSTED;
import static dev.hermetic.packer.modes.GreeterApp.EDITED_OUTPUT;
import static dev.hermetic.packer.modes.GreeterApp.GREETER_CLASS;
import static dev.hermetic.packer.modes.GreeterApp.GREETER_SOURCE;
import static dev.hermetic.packer.modes.GreeterApp.MAX_CLASS_VERSION;
import static dev.hermetic.packer.modes.GreeterApp.PACKED_OUTPUT;
import static dev.hermetic.packer.modes.GreeterApp.launch;
import static dev.hermetic.packer.modes.GreeterApp.line;
import static dev.hermetic.packer.modes.ValidationMatrixTests.CHECKED_OK;
import static dev.hermetic.packer.modes.ValidationMatrixTests.COMPILED;
import static dev.hermetic.packer.modes.ValidationMatrixTests.MAIN_SOURCE;
import static dev.hermetic.packer.modes.ValidationMatrixTests.NO_CACHE;
import static dev.hermetic.packer.modes.ValidationMatrixTests.SERVED_TRUSTED;
import static dev.hermetic.packer.modes.ValidationMatrixTests.SOURCE_CHANGED;
import static dev.hermetic.packer.modes.ValidationMatrixTests.TOO_NEW;
import static dev.hermetic.packer.modes.ValidationMatrixTests.UTIL_SOURCE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;
import dev.hermetic.packer.TestFixtures;
import dev.hermetic.packer.modes.GreeterApp.Caches;
import dev.hermetic.packer.modes.GreeterApp.Layout;
import dev.hermetic.packer.modes.GreeterApp.Run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Recompiling at load time, beyond the matrix, each in child JVMs: the compile cache directory hit by
 * the next start (and {@code -Dhermetic.cache.dir=none}), two JVMs compiling the same module at once,
 * archives packed without caches, a runtime without a compiler, a cache too new with no source to
 * recompile from, and {@code HERMETIC_CHECK}.
 */
class RecompileTests {
    static final String HIT = "cache hit CACHE/KEY.classes";

    @TempDir
    static Path tmp;

    static GreeterApp app;

    @BeforeAll
    static void compileOnce() throws IOException {
        app = GreeterApp.in(tmp);
    }

    /** The cache-missing archive (checked): packed from --app classes without Greeter.class, and --sources. */
    static Path cacheMissing(Layout layout) throws IOException {
        return app.layOut(app.zip(CHECKED, Caches.WITHOUT_GREETER), layout);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Layout.class)
    void launchWhenRunAgainWithTheSameCacheDirectoryThenCacheHit(Layout layout) throws Exception {
        Path archive = cacheMissing(layout);
        Path cache = app.newDirectory("cache");

        Run first = launch(archive).cache(cache).run();
        Run second = launch(archive).cache(cache).run();

        assertThat(first.verbose()).as("%s", first).containsExactly(line(MAIN_SOURCE, CHECKED_OK),
                line(GREETER_SOURCE, NO_CACHE), line(GREETER_SOURCE, COMPILED), line(UTIL_SOURCE, CHECKED_OK));
        assertThat(first.stdout()).containsExactly(PACKED_OUTPUT);
        assertThat(second.verbose()).as("%s", second).containsExactly(line(MAIN_SOURCE, CHECKED_OK),
                line(GREETER_SOURCE, NO_CACHE), line(GREETER_SOURCE, HIT), line(UTIL_SOURCE, CHECKED_OK));
        assertThat(second.stdout()).containsExactly(PACKED_OUTPUT);
        assertThat(second.exit()).isZero();
        // the file the hit names is the one the first run wrote
        assertThat(GreeterApp.cacheFiles(cache)).singleElement()
                .satisfies(f -> assertThat(second.stderr()).contains("cache hit " + f));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Layout.class)
    void launchWhenCacheDirectoryIsNoneThenCompilesEveryTimeAndKeepsNothing(Layout layout) throws Exception {
        Path archive = cacheMissing(layout);

        for (int i = 0; i < 2; i++) {
            Run run = launch(archive).cache(null).run(); // -Dhermetic.cache.dir=none

            assertThat(run.verbose()).as("%s", run).containsExactly(line(MAIN_SOURCE, CHECKED_OK),
                    line(GREETER_SOURCE, NO_CACHE), line(GREETER_SOURCE, COMPILED), line(UTIL_SOURCE, CHECKED_OK));
            assertThat(run.stdout()).containsExactly(PACKED_OUTPUT);
        }
    }

    @Test
    void launchWhenTwoJvmsCompileTheSameModuleAtOnceThenBothSucceed() throws Exception {
        Path archive = cacheMissing(Layout.ZIP);
        Path cache = app.newDirectory("shared-cache");

        // both started before either waits: each finds no cache file, compiles and renames its own into place
        GreeterApp.Launch one = launch(archive).cache(cache);
        GreeterApp.Launch two = launch(archive).cache(cache);
        TestFixtures.Child first = one.start();
        TestFixtures.Child second = two.start();
        List<Run> runs = List.of(one.finish(first), two.finish(second));

        for (Run run : runs) {
            assertThat(run.exit()).as("%s", run).isZero();
            assertThat(run.stdout()).as("%s", run).containsExactly(PACKED_OUTPUT);
            assertThat(run.errors()).as("%s", run).isEmpty();
            // a JVM that starts compiling after the other one's rename hits the cache instead
            assertThat(run.verbose()).as("%s", run).hasSize(4).startsWith(line(MAIN_SOURCE, CHECKED_OK),
                    line(GREETER_SOURCE, NO_CACHE)).endsWith(line(UTIL_SOURCE, CHECKED_OK));
            assertThat(run.verbose().get(2)).as("%s", run).isIn(line(GREETER_SOURCE, COMPILED), line(GREETER_SOURCE, HIT));
        }
        // one whole entry, no temporary file left behind; and the next start hits it
        assertThat(GreeterApp.cacheFiles(cache)).singleElement()
                .satisfies(f -> assertThat(f.getFileName().toString()).matches("[0-9a-f]{64}\\.classes"));
        Run third = launch(archive).cache(cache).run();
        assertThat(third.verbose()).as("%s", third).contains(line(GREETER_SOURCE, HIT));
        assertThat(third.stdout()).containsExactly(PACKED_OUTPUT);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Layout.class)
    void launchWhenPackedWithoutCachesThenCompilesOnFirstUseThenServesFromTheCache(Layout layout) throws Exception {
        // caches(false): the packer compiles the sources (so the modules are trusted) and ships only them
        Path zip = Packer.pack(PackOptions.builder().out(app.newDirectory("no-caches").resolve("no-caches.jar"))
                .mainClass(GreeterApp.MAIN).addSources(app.sources()).caches(false).build()).archive();
        Path archive = app.layOut(zip, layout);
        Path cache = app.newDirectory("cache");

        Run first = launch(archive).cache(cache).run();
        Run second = launch(archive).cache(cache).run();

        assertThat(first.verbose()).as("%s", first).containsExactly(
                line(MAIN_SOURCE, "stale: no cache for app/Main.class"), line(MAIN_SOURCE, COMPILED),
                line(GREETER_SOURCE, NO_CACHE), line(GREETER_SOURCE, COMPILED),
                line(UTIL_SOURCE, "stale: no cache for app/Util.class"), line(UTIL_SOURCE, COMPILED));
        assertThat(first.stdout()).containsExactly(PACKED_OUTPUT);
        assertThat(second.verbose()).as("%s", second).containsExactly(
                line(MAIN_SOURCE, "stale: no cache for app/Main.class"), line(MAIN_SOURCE, HIT),
                line(GREETER_SOURCE, NO_CACHE), line(GREETER_SOURCE, HIT),
                line(UTIL_SOURCE, "stale: no cache for app/Util.class"), line(UTIL_SOURCE, HIT));
        assertThat(second.stdout()).containsExactly(PACKED_OUTPUT);
        assertThat(GreeterApp.cacheFiles(cache)).hasSize(3);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Layout.class)
    void launchWhenNoCompilerAndTrustedArchiveIsFreshThenItRuns(Layout layout) throws Exception {
        Path archive = app.layOut(app.zip(TRUSTED, Caches.AS_COMPILED), layout);
        Path cache = app.newDirectory("cache");

        Run run = launch(archive).options(GreeterApp.NO_COMPILER).cache(cache).run();

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.stdout()).containsExactly(PACKED_OUTPUT);
        assertThat(run.errors()).isEmpty();
        assertThat(run.verbose()).containsExactly(line(MAIN_SOURCE, SERVED_TRUSTED), line(GREETER_SOURCE, SERVED_TRUSTED),
                line(UTIL_SOURCE, SERVED_TRUSTED));
        assertThat(GreeterApp.cacheFiles(cache)).isEmpty();
    }

    @Test
    void launchWhenModulesAreLimitedToJavaBaseThenTheRuntimeHasNoCompiler() throws Exception {
        TestFixtures.Result modules = TestFixtures.run(tmp, List.of(TestFixtures.jdkTool("java"), "-Xshare:auto",
                "--limit-modules", "java.base", "--list-modules"));

        assertThat(modules.exit()).isZero();
        assertThat(modules.stdout().strip().lines().toList()).singleElement().asString().startsWith("java.base@");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Layout.class)
    void launchWhenCacheIsTooNewAndThereIsNoSourceThenUnsupportedClassVersionErrorNamingTheEntryAndBothVersions(
            Layout layout) throws Exception {
        // packed from --app classes whose Greeter.class is version 99, without --sources: trusted, nothing to recompile
        Path archive = app.layOut(app.zip(TRUSTED, Caches.GREETER_TOO_NEW_NO_SOURCES), layout);

        Run run = launch(archive).cache(app.newDirectory("cache")).run();

        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.verbose()).containsExactly(line(MAIN_SOURCE, SERVED_TRUSTED), line(GREETER_SOURCE, TOO_NEW));
        assertThat(run.errors()).first().isEqualTo("Exception in thread \"main\" java.lang.UnsupportedClassVersionError:"
                + " app.Greeter (HERMETIC-INF/classes/" + GREETER_CLASS + ") in " + archive + " is stale (class file"
                + " version 99 is newer than this JVM supports (" + MAX_CLASS_VERSION + ")) and the archive has no"
                + " source " + GREETER_SOURCE + " to recompile it from");
    }

    @Test
    void launchWhenHermeticCheckEnvironmentVariableIsAlwaysThenTrustedModulesAreChecked() throws Exception {
        Run run = launch(app.zip(TRUSTED, Caches.AS_COMPILED)).environment("HERMETIC_CHECK", "always")
                .cache(app.newDirectory("cache")).run();

        assertThat(run.verbose()).as("%s", run).containsExactly(line(MAIN_SOURCE, CHECKED_OK),
                line(GREETER_SOURCE, CHECKED_OK), line(UTIL_SOURCE, CHECKED_OK));
        assertThat(run.stdout()).containsExactly(PACKED_OUTPUT);
    }

    @Test
    void launchWhenHermeticCheckEnvironmentVariableIsNeverThenAnEditedSourceIsNotSeen() throws Exception {
        Run run = launch(app.zip(CHECKED, Caches.AS_COMPILED)).environment("HERMETIC_CHECK", "never")
                .option("-Dhermetic.source.path=" + app.overlay()).cache(app.newDirectory("cache")).run();

        assertThat(run.verbose()).as("%s", run).containsExactly(line(MAIN_SOURCE, SERVED_TRUSTED),
                line(GREETER_SOURCE, SERVED_TRUSTED), line(UTIL_SOURCE, SERVED_TRUSTED));
        assertThat(run.stdout()).containsExactly(PACKED_OUTPUT);
    }

    @Test
    void launchWhenPropertyAndEnvironmentVariableDisagreeThenThePropertyWins() throws Exception {
        Run run = launch(app.zip(TRUSTED, Caches.AS_COMPILED)).environment("HERMETIC_CHECK", "never")
                .option("-Dhermetic.check=always").option("-Dhermetic.source.path=" + app.overlay())
                .cache(app.newDirectory("cache")).run();

        assertThat(run.verbose()).as("%s", run).containsExactly(line(MAIN_SOURCE, CHECKED_OK),
                line(GREETER_SOURCE, SOURCE_CHANGED), line(GREETER_SOURCE, COMPILED), line(UTIL_SOURCE, CHECKED_OK));
        assertThat(run.stdout()).containsExactly(EDITED_OUTPUT);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Caches.class, names = {"WITHOUT_GREETER", "GREETER_TOO_NEW"})
    void launchWhenCheckIsNeverAndTheCacheIsMissingOrTooNewThenItIsStillCompiled(Caches caches) throws Exception {
        Run run = launch(app.zip(CHECKED, caches)).option("-Dhermetic.check=never").cache(app.newDirectory("cache")).run();

        // never waives the checks, not the need for a class this JVM can define
        assertThat(run.verbose()).as("%s", run).containsExactly(line(MAIN_SOURCE, SERVED_TRUSTED),
                line(GREETER_SOURCE, caches == Caches.WITHOUT_GREETER ? NO_CACHE : TOO_NEW), line(GREETER_SOURCE, COMPILED),
                line(UTIL_SOURCE, SERVED_TRUSTED));
        assertThat(run.stdout()).containsExactly(PACKED_OUTPUT);
    }

    @Test
    void launchWhenHermeticCheckIsNotAModeThenOneLineErrorAndExit1() throws Exception {
        Run byEnvironment = launch(app.zip(TRUSTED, Caches.AS_COMPILED)).environment("HERMETIC_CHECK", "sometimes")
                .cache(app.newDirectory("cache")).run();
        Run byProperty = launch(app.zip(TRUSTED, Caches.AS_COMPILED)).option("-Dhermetic.check=Sometimes")
                .cache(app.newDirectory("cache")).run();

        assertThat(byEnvironment.exit()).isEqualTo(1);
        assertThat(byEnvironment.stdout()).isEmpty();
        assertThat(byEnvironment.verbose()).isEmpty();
        assertThat(byEnvironment.errors()).containsExactly("Error: HERMETIC_CHECK=sometimes: expected default, always or never");
        assertThat(byProperty.exit()).isEqualTo(1);
        assertThat(byProperty.errors()).containsExactly("Error: -Dhermetic.check=Sometimes: expected default, always or never");
    }
}
