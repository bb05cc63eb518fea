package dev.hermetic.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code hermetic.*} system properties; each test restores the properties it set. */
class LoaderSettingsTests {
    private static final String[] PROPERTIES = {"hermetic.check", "hermetic.verbose", "hermetic.cache.dir",
            "hermetic.source.path", "hermetic.preload", "hermetic.preload.record", "hermetic.train"};

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        for (String property : PROPERTIES) {
            System.clearProperty(property);
        }
    }

    private static void set(Map<String, String> properties) {
        properties.forEach(System::setProperty);
    }

    @Test
    void fromSystemWhenNothingIsSetThenDefaults() {
        assumeTrue(System.getenv("HERMETIC_CHECK") == null, "HERMETIC_CHECK is set in this environment");

        LoaderSettings settings = LoaderSettings.fromSystem();

        assertThat(settings.check()).isEqualTo(LoaderSettings.Check.DEFAULT);
        assertThat(settings.verbose()).isFalse();
        assertThat(settings.cache()).isTrue();
        assertThat(settings.cacheDirectory()).isEmpty();
        assertThat(settings.sourcePath()).isEmpty();
        assertThat(settings.preload()).isTrue();
        assertThat(settings.preloadRecord()).isEmpty();
        assertThat(settings.train()).isFalse();
    }

    @Test
    void fromSystemWhenEverythingIsSetThenEachApplies() throws IOException {
        Path overlay = Files.createDirectories(dir.resolve("overlay"));
        set(Map.of("hermetic.check", " Always ", "hermetic.verbose", "true", "hermetic.cache.dir",
                dir.resolve("cache").toString(), "hermetic.source.path", overlay.toString()));

        LoaderSettings settings = LoaderSettings.fromSystem();

        assertThat(settings).isEqualTo(new LoaderSettings(LoaderSettings.Check.ALWAYS, true, true,
                Optional.of(dir.resolve("cache")), Optional.of(overlay)));
    }

    @Test
    void fromSystemWhenCacheDirIsNoneThenNoCache() {
        set(Map.of("hermetic.cache.dir", "none", "hermetic.check", "never"));

        LoaderSettings settings = LoaderSettings.fromSystem();

        assertThat(settings.cache()).isFalse();
        assertThat(settings.check()).isEqualTo(LoaderSettings.Check.NEVER);
    }

    @Test
    void fromSystemWhenCheckIsUnknownThenIllegalArgumentException() {
        set(Map.of("hermetic.check", "sometimes"));

        assertThatThrownBy(LoaderSettings::fromSystem)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dhermetic.check=sometimes: expected default, always or never");
    }

    @Test
    void fromSystemWhenSourcePathIsNotADirectoryThenIllegalArgumentException() {
        Path missing = dir.resolve("typo");
        set(Map.of("hermetic.source.path", missing.toString()));

        assertThatThrownBy(LoaderSettings::fromSystem)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dhermetic.source.path=" + missing + ": not a directory");
    }

    @Test
    void fromSystemWhenPreloadIsOffAndARecordFileIsGivenThenBothApply() {
        set(Map.of("hermetic.preload", "false", "hermetic.preload.record", dir.resolve("list").toString()));

        LoaderSettings settings = LoaderSettings.fromSystem();

        assertThat(settings.preload()).isFalse();
        assertThat(settings.preloadRecord()).contains(dir.resolve("list"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hermetic.preload", "hermetic.train"})
    void fromSystemWhenASwitchIsNeitherTrueNorFalseThenIllegalArgumentException(String property) {
        set(Map.of(property, "yes"));

        assertThatThrownBy(LoaderSettings::fromSystem)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-D" + property + "=yes: expected true or false");
    }

    @Test
    void fromSystemWhenTrainIsTrueThenTheLoaderLinksAtExit() {
        set(Map.of("hermetic.train", "true"));

        assertThat(LoaderSettings.fromSystem().train()).isTrue();
        assertThat(LoaderSettings.builder().train(true).build()).isEqualTo(LoaderSettings.fromSystem());
    }
}
