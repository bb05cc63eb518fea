package dev.hermetic.loader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.TestArchives;
import dev.hermetic.loader.archive.ValidationMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SourceHashes}: what the thread hashing ahead finds for each kind of module, run on the test's
 * thread so that each finding is certain; and a loader that takes a finding of "changed" and recompiles.
 */
class SourceHashesTests {
    private static final Map<String, String> SOURCES = new LinkedHashMap<>();
    private static Map<String, byte[]> classes;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile() throws Exception {
        SOURCES.put("app/A.java", "package app; public class A implements java.util.function.Supplier<String> {"
                + " public String get() { return \"A as packed\"; } }");
        SOURCES.put("app/B.java", "package app; public class B implements java.util.function.Supplier<String> {"
                + " public String get() { return \"B as packed\"; } }");
        SOURCES.put("app/C.java", "package app; public class C {}");
        classes = TestArchives.compile(shared, SOURCES);
    }

    /** A and B checked, C trusted; each with its source. */
    private Path pack() throws Exception {
        TestArchives.Builder builder = TestArchives.archive("app.A");
        ValidationMode[] modes = {ValidationMode.CHECKED, ValidationMode.CHECKED, ValidationMode.TRUSTED};
        int i = 0;
        for (Map.Entry<String, String> source : SOURCES.entrySet()) {
            int module = builder.module(source.getKey(), source.getValue().getBytes(UTF_8), modes[i++]);
            String cache = source.getKey().replace(".java", ".class");
            builder.app(cache, classes.get(cache), module);
        }
        return builder.write(dir.resolve("app.jar")).path();
    }

    /** An overlay directory whose B.java differs from the packed one. */
    private Path overlayChangingB() throws Exception {
        Path overlay = dir.resolve("overlay");
        Files.createDirectories(overlay.resolve("app"));
        Files.writeString(overlay.resolve("app/B.java"), SOURCES.get("app/B.java").replace("B as packed", "B edited"));
        return overlay;
    }

    private static LoaderSettings settings(LoaderSettings.Check check, Path overlay) {
        LoaderSettings.Builder settings = LoaderSettings.builder().check(check).cache(false);
        return overlay == null ? settings.build() : settings.sourcePath(overlay).build();
    }

    @Test
    void runWhenModulesCheckedThenEachSourceAgainstItsPackedHashAndTrustedOnesLeft() throws Exception {
        try (Archive archive = Archive.open(pack())) {
            ModuleValidator validator = new ModuleValidator(archive, settings(LoaderSettings.Check.DEFAULT, overlayChangingB()));
            SourceHashes hashes = new SourceHashes(validator, archive);

            hashes.run();

            assertThat(hashes.state(0)).isEqualTo(SourceHashes.SAME);
            assertThat(hashes.state(1)).isEqualTo(SourceHashes.CHANGED);
            assertThat(hashes.state(2)).isEqualTo(SourceHashes.UNKNOWN);
        }
    }

    /** {@code always}: every module is checked, trusted ones too; {@code never}: none is. */
    @ParameterizedTest(name = "check={0}")
    @CsvSource({"ALWAYS, 1", "NEVER, 0"})
    void runWhenCheckAlwaysOrNeverThenEveryModuleOrNoneHashed(LoaderSettings.Check check, byte expected) throws Exception {
        try (Archive archive = Archive.open(pack())) {
            SourceHashes hashes = new SourceHashes(new ModuleValidator(archive, settings(check, null)), archive);

            hashes.run();

            assertThat(new byte[] {hashes.state(0), hashes.state(1), hashes.state(2)}).containsOnly(expected);
        }
    }

    @Test
    void runWhenModuleAlreadyDecidedThenSkipsIt() throws Exception {
        try (Archive archive = Archive.open(pack())) {
            ModuleValidator validator = new ModuleValidator(archive, settings(LoaderSettings.Check.DEFAULT, overlayChangingB()));
            validator.classBytes(0, "app/A.class", archive.find("app/A.class"));
            SourceHashes hashes = new SourceHashes(validator, archive);

            hashes.run();

            assertThat(hashes.state(0)).isEqualTo(SourceHashes.UNKNOWN);
            assertThat(hashes.state(1)).isEqualTo(SourceHashes.CHANGED);
        }
    }

    @Test
    void runWhenArchiveClosedThenEndsQuietlyHavingFoundNothing() throws Exception {
        Archive archive = Archive.open(pack());
        SourceHashes hashes = new SourceHashes(new ModuleValidator(archive, settings(LoaderSettings.Check.DEFAULT, null)), archive);
        archive.close();

        hashes.run();

        assertThat(hashes.state(0)).isEqualTo(SourceHashes.UNKNOWN);
    }

    @Test
    void loadClassWhenThreadFoundASourceChangedThenThatModuleIsRecompiled() throws Exception {
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(pack(), ClassLoader.getPlatformClassLoader(),
                settings(LoaderSettings.Check.DEFAULT, overlayChangingB()))) {
            // A's decision starts the thread, which hashes B (its only undecided checked module) before B is asked for
            assertThat(supplied(loader, "app.A")).isEqualTo("A as packed");
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().equals("hermetic-source-check")) {
                    thread.join(10_000);
                }
            }

            assertThat(supplied(loader, "app.B")).isEqualTo("B edited");
        }
    }

    @SuppressWarnings("unchecked")
    private static String supplied(ClassLoader loader, String name) throws Exception {
        return ((Supplier<String>) loader.loadClass(name).getDeclaredConstructor().newInstance()).get();
    }
}
