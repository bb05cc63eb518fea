package dev.hermetic.packer.modes;

import static dev.hermetic.loader.archive.ValidationMode.CHECKED;
import static dev.hermetic.loader.archive.ValidationMode.TIMESTAMP;
import static dev.hermetic.loader.archive.ValidationMode.TRUSTED;
import static dev.hermetic.packer.modes.GreeterApp.EDITED_OUTPUT;
import static dev.hermetic.packer.modes.GreeterApp.EDITED_TIME;
import static dev.hermetic.packer.modes.GreeterApp.GREETER_CLASS;
import static dev.hermetic.packer.modes.GreeterApp.MAX_CLASS_VERSION;
import static dev.hermetic.packer.modes.GreeterApp.PACKED_OUTPUT;
import static dev.hermetic.packer.modes.GreeterApp.line;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.ValidationMode;
import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.modes.GreeterApp.Caches;
import dev.hermetic.packer.modes.GreeterApp.Layout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The matrix of issue #3's "Done when": {trusted, checked, timestamp} × {fresh, source edited, cache
 * missing, cache too new, no compiler, check=always, check=never} × {zip, exploded}, each launched in a
 * child JVM ({@code java -jar ARCHIVE}, or {@code java -cp DIR dev.hermetic.loader.Launcher} for an
 * archive exploded with {@code Exploder.explode}), with its output, exit code, every
 * {@code -Dhermetic.verbose=true} line and (when it fails) its error asserted exactly. Each run has a
 * compile cache directory of its own ({@code -Dhermetic.cache.dir}), never the user's, and the test
 * checks that every {@code compiled} module, and nothing else, was kept there.
 *
 * <p>"No compiler" is two rows, the runtime limited to {@code java.base} ({@code --limit-modules}, so
 * without {@code java.compiler}) on a source-edited and on a cache-missing archive; "check=always" and
 * "check=never" are two rows each, on a fresh and on a source-edited archive. The README's table
 * "Validation at load time" is this one.
 */
class ValidationMatrixTests {
    static final String MAIN_SOURCE = "app/Main.java";
    static final String GREETER_SOURCE = GreeterApp.GREETER_SOURCE;
    static final String UTIL_SOURCE = "app/Util.java";

    static final String SERVED_TRUSTED = "served trusted";
    static final String CHECKED_OK = "checked ok";
    static final String TIMESTAMP_OK = "timestamp ok";
    static final String COMPILED = "compiled in N ms";
    static final String SOURCE_CHANGED = "stale: source changed (SHA-256 differs from the packed one)";
    /** The packed source's size and time (the pack's entry time) against the edited one's. */
    static final String TIME_DIFFERS = "stale: source size or time differs (packed %d bytes at %d ms, found %d bytes at %d ms)"
            .formatted(GreeterApp.packedSize(), PackOptions.DEFAULT_TIMESTAMP.toEpochMilli(), GreeterApp.editedSize(),
                    EDITED_TIME.toEpochMilli());
    static final String NO_CACHE = "stale: no cache for " + GREETER_CLASS;
    static final String TOO_NEW = "stale: class file version 99 is newer than this JVM supports (" + MAX_CLASS_VERSION + ")";

    /** What a scenario does to the freshly packed archive before launching it. */
    enum Change {
        NONE, SOURCE_EDITED, CACHE_MISSING, CACHE_TOO_NEW
    }

    enum Scenario {
        /** Packed with {@code validation(MODE)} ({@code --validation MODE}) from --app classes and --sources; launched as is. */
        FRESH("fresh", Change.NONE),
        /**
         * zip: {@code -Dhermetic.source.path=OVERLAY}, OVERLAY holding an edited app/Greeter.java of another
         * size and time; exploded: HERMETIC-INF/sources/app/Greeter.java edited in the directory, and its
         * time set (the same bytes and time as the overlay's).
         */
        SOURCE_EDITED("source edited", Change.SOURCE_EDITED),
        /**
         * zip: packed from --app classes WITHOUT app/Greeter.class, plus --sources with its source (the
         * module is found through its declared source name); exploded: the fresh archive exploded, then
         * HERMETIC-INF/classes/app/Greeter.class deleted.
         */
        CACHE_MISSING("cache missing", Change.CACHE_MISSING),
        /**
         * Packed from --app classes whose app/Greeter.class has its major version bytes (offset 6-7)
         * patched to 99, which the packer records; exploded: that archive exploded.
         */
        CACHE_TOO_NEW("cache too new", Change.CACHE_TOO_NEW),
        /** "source edited", launched with {@code --limit-modules java.base}: no java.compiler. */
        NO_COMPILER_SOURCE_EDITED("no compiler, source edited", Change.SOURCE_EDITED, GreeterApp.NO_COMPILER),
        /** "cache missing", launched with {@code --limit-modules java.base}: no java.compiler. */
        NO_COMPILER_CACHE_MISSING("no compiler, cache missing", Change.CACHE_MISSING, GreeterApp.NO_COMPILER),
        /** "fresh", launched with {@code -Dhermetic.check=always}. */
        CHECK_ALWAYS("check=always", Change.NONE, List.of("-Dhermetic.check=always")),
        /** "source edited", launched with {@code -Dhermetic.check=always}. */
        CHECK_ALWAYS_SOURCE_EDITED("check=always, source edited", Change.SOURCE_EDITED, List.of("-Dhermetic.check=always")),
        /** "fresh", launched with {@code -Dhermetic.check=never}. */
        CHECK_NEVER("check=never", Change.NONE, List.of("-Dhermetic.check=never")),
        /**
         * "source edited", launched with {@code -Dhermetic.check=never}: the packed caches are served
         * although the source differs; that is what never means.
         */
        CHECK_NEVER_SOURCE_EDITED("check=never, source edited", Change.SOURCE_EDITED, List.of("-Dhermetic.check=never"));

        final String label;
        final Change change;
        final List<String> jvmOptions;

        Scenario(String label, Change change) {
            this(label, change, List.of());
        }

        Scenario(String label, Change change, List<String> jvmOptions) {
            this.label = label;
            this.change = change;
            this.jvmOptions = jvmOptions;
        }
    }

    /**
     * What a launch must do.
     *
     * @param exit    the exit code
     * @param stdout  the output (the Greeter version that ran), or null when it fails
     * @param verbose the verbose lines, in order
     * @param error   when it fails, the first stderr line that is not a verbose one, with {@code {archive}}
     *                for the archive's path
     */
    record Outcome(int exit, String stdout, List<String> verbose, String error) {
    }

    /** Runs and prints {@code stdout}: Main and Util decided {@code others}, Greeter {@code greeter}. */
    static Outcome runs(String stdout, String others, String... greeter) {
        List<String> verbose = new ArrayList<>();
        verbose.add(line(MAIN_SOURCE, others));
        for (String decision : greeter) {
            verbose.add(line(GREETER_SOURCE, decision));
        }
        verbose.add(line(UTIL_SOURCE, others));
        return new Outcome(0, stdout, verbose, null);
    }

    /**
     * Fails when Main first uses Greeter, which is {@code stale} and cannot be recompiled without a
     * compiler: exit 1, one error naming the class and the reason; Util is never loaded.
     */
    static Outcome failsWithoutCompiler(String others, String stale) {
        String reason = stale.substring("stale: ".length());
        return new Outcome(1, null, List.of(line(MAIN_SOURCE, others), line(GREETER_SOURCE, stale)),
                "Exception in thread \"main\" java.lang.NoClassDefFoundError: app.Greeter in {archive} is stale ("
                        + reason + ") and cannot be recompiled: this Java runtime has no compiler (module java.compiler"
                        + " is absent)");
    }

    /** The documented outcomes: the same for a zip and an exploded directory. */
    static final Map<String, Outcome> OUTCOMES = new TreeMap<>();

    static void expect(ValidationMode mode, Scenario scenario, Outcome outcome) {
        OUTCOMES.put(mode + " " + scenario, outcome);
    }

    static {
        expect(TRUSTED, Scenario.FRESH, runs(PACKED_OUTPUT, SERVED_TRUSTED, SERVED_TRUSTED));
        expect(CHECKED, Scenario.FRESH, runs(PACKED_OUTPUT, CHECKED_OK, CHECKED_OK));
        expect(TIMESTAMP, Scenario.FRESH, runs(PACKED_OUTPUT, TIMESTAMP_OK, TIMESTAMP_OK));

        // trusted never looks at the source: the edit is not seen
        expect(TRUSTED, Scenario.SOURCE_EDITED, runs(PACKED_OUTPUT, SERVED_TRUSTED, SERVED_TRUSTED));
        expect(CHECKED, Scenario.SOURCE_EDITED, runs(EDITED_OUTPUT, CHECKED_OK, SOURCE_CHANGED, COMPILED));
        expect(TIMESTAMP, Scenario.SOURCE_EDITED, runs(EDITED_OUTPUT, TIMESTAMP_OK, TIME_DIFFERS, COMPILED));

        expect(TRUSTED, Scenario.CACHE_MISSING, runs(PACKED_OUTPUT, SERVED_TRUSTED, NO_CACHE, COMPILED));
        expect(CHECKED, Scenario.CACHE_MISSING, runs(PACKED_OUTPUT, CHECKED_OK, NO_CACHE, COMPILED));
        expect(TIMESTAMP, Scenario.CACHE_MISSING, runs(PACKED_OUTPUT, TIMESTAMP_OK, NO_CACHE, COMPILED));

        // whatever the mode: a cache this JVM cannot define is recompiled for the running release
        expect(TRUSTED, Scenario.CACHE_TOO_NEW, runs(PACKED_OUTPUT, SERVED_TRUSTED, TOO_NEW, COMPILED));
        expect(CHECKED, Scenario.CACHE_TOO_NEW, runs(PACKED_OUTPUT, CHECKED_OK, TOO_NEW, COMPILED));
        expect(TIMESTAMP, Scenario.CACHE_TOO_NEW, runs(PACKED_OUTPUT, TIMESTAMP_OK, TOO_NEW, COMPILED));

        // trusted modules load without a compiler; stale ones are one clear error
        expect(TRUSTED, Scenario.NO_COMPILER_SOURCE_EDITED, runs(PACKED_OUTPUT, SERVED_TRUSTED, SERVED_TRUSTED));
        expect(CHECKED, Scenario.NO_COMPILER_SOURCE_EDITED, failsWithoutCompiler(CHECKED_OK, SOURCE_CHANGED));
        expect(TIMESTAMP, Scenario.NO_COMPILER_SOURCE_EDITED, failsWithoutCompiler(TIMESTAMP_OK, TIME_DIFFERS));

        expect(TRUSTED, Scenario.NO_COMPILER_CACHE_MISSING, failsWithoutCompiler(SERVED_TRUSTED, NO_CACHE));
        expect(CHECKED, Scenario.NO_COMPILER_CACHE_MISSING, failsWithoutCompiler(CHECKED_OK, NO_CACHE));
        expect(TIMESTAMP, Scenario.NO_COMPILER_CACHE_MISSING, failsWithoutCompiler(TIMESTAMP_OK, NO_CACHE));

        // always, the audit: every module is checked by content hash, timestamp ones too
        for (ValidationMode mode : ValidationMode.values()) {
            expect(mode, Scenario.CHECK_ALWAYS, runs(PACKED_OUTPUT, CHECKED_OK, CHECKED_OK));
            expect(mode, Scenario.CHECK_ALWAYS_SOURCE_EDITED, runs(EDITED_OUTPUT, CHECKED_OK, SOURCE_CHANGED, COMPILED));
        }

        // never: every module is served as trusted, edited source or not
        for (ValidationMode mode : ValidationMode.values()) {
            expect(mode, Scenario.CHECK_NEVER, runs(PACKED_OUTPUT, SERVED_TRUSTED, SERVED_TRUSTED));
            expect(mode, Scenario.CHECK_NEVER_SOURCE_EDITED, runs(PACKED_OUTPUT, SERVED_TRUSTED, SERVED_TRUSTED));
        }
    }

    /** One cell of the matrix; its name is the test's name. */
    record Cell(ValidationMode mode, Scenario scenario, Layout layout) {
        Outcome outcome() {
            return OUTCOMES.get(mode + " " + scenario);
        }

        @Override
        public String toString() {
            return mode.label() + " × " + scenario.label + " × " + layout.label;
        }
    }

    static Stream<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (Scenario scenario : Scenario.values()) {
            for (ValidationMode mode : ValidationMode.values()) {
                for (Layout layout : Layout.values()) {
                    cells.add(new Cell(mode, scenario, layout));
                }
            }
        }
        return cells.stream();
    }

    @TempDir
    static Path tmp;

    static GreeterApp app;

    @BeforeAll
    static void packOnce() throws IOException {
        app = GreeterApp.in(tmp);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void launchWhenModeScenarioAndLayoutThenServesTheDocumentedVersionAndLogsEachDecision(Cell cell) throws Exception {
        Outcome expected = cell.outcome();
        assertThat(expected).as("documented outcome of %s", cell).isNotNull();
        Path cache = app.newDirectory(cell + " cache");
        Path archive = prepare(cell);

        GreeterApp.Run run = GreeterApp.launch(archive).options(cell.scenario().jvmOptions).options(overlay(cell))
                .cache(cache).run();

        String what = cell + " (" + run + ")";
        assertThat(run.verbose()).as("verbose lines of %s", what).containsExactlyElementsOf(expected.verbose());
        assertThat(run.exit()).as("exit of %s", what).isEqualTo(expected.exit());
        if (expected.error() == null) {
            assertThat(run.stdout()).as("output of %s", what).containsExactly(expected.stdout());
            assertThat(run.errors()).as("stderr of %s", what).isEmpty();
        } else {
            assertThat(run.stdout()).as("output of %s", what).isEmpty();
            assertThat(run.errors()).as("stderr of %s", what).isNotEmpty();
            assertThat(run.errors().get(0)).as("error of %s", what)
                    .isEqualTo(expected.error().replace("{archive}", archive.toString()));
            assertThat(run.errors()).as("one error naming the reason: %s", what)
                    .filteredOn(l -> l.contains(" is stale (")).hasSize(1);
        }
        // every module compiled, and only those, was kept in the run's cache directory
        assertThat(GreeterApp.cacheFiles(cache)).as("compile cache of %s", what)
                .hasSize(Collections.frequency(expected.verbose(), line(GREETER_SOURCE, COMPILED)));
    }

    /** The archive of a cell, changed as its scenario says (see {@link Scenario}). */
    static Path prepare(Cell cell) throws IOException {
        ValidationMode mode = cell.mode();
        Change change = cell.scenario().change;
        if (cell.layout() == Layout.ZIP) {
            return switch (change) {
                case NONE, SOURCE_EDITED -> app.zip(mode, Caches.AS_COMPILED); // the edit is the overlay
                case CACHE_MISSING -> app.zip(mode, Caches.WITHOUT_GREETER);
                case CACHE_TOO_NEW -> app.zip(mode, Caches.GREETER_TOO_NEW);
            };
        }
        Path dir = app.explode(app.zip(mode, change == Change.CACHE_TOO_NEW ? Caches.GREETER_TOO_NEW : Caches.AS_COMPILED));
        if (change == Change.SOURCE_EDITED) {
            GreeterApp.writeEditedGreeter(dir.resolve(ArchiveLayout.SOURCES));
        } else if (change == Change.CACHE_MISSING) {
            Files.delete(dir.resolve(ArchiveLayout.CLASSES + GREETER_CLASS));
        }
        return dir;
    }

    /** A zip's source edit: {@code -Dhermetic.source.path=OVERLAY}. */
    static List<String> overlay(Cell cell) {
        return cell.layout() == Layout.ZIP && cell.scenario().change == Change.SOURCE_EDITED
                ? List.of("-Dhermetic.source.path=" + app.overlay()) : List.of();
    }
}
