package dev.hermetic.loader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.loader.archive.TestArchives;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Preloader} over archives whose application has a preload list: the listed classes are defined
 * by the {@code hermetic-preload} thread, never initialised by it; without a list, or with preloading
 * off, nothing is defined ahead.
 */
class PreloaderTests {
    private static final String PROPERTY = "hermetic.preloader.test.initialised";
    private static Map<String, byte[]> classes;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile() throws Exception {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("pre/A.java", "package pre; public class A { static { System.setProperty(\"" + PROPERTY
                + "\", \"yes\"); } }");
        sources.put("pre/B.java", "package pre; public class B extends A {}");
        sources.put("other/C.java", "package other; public class C {}");
        classes = TestArchives.compile(shared, sources);
    }

    private Path pack(String list) throws Exception {
        TestArchives.Builder builder = TestArchives.archive("pre.A");
        classes.forEach(builder::app);
        if (list != null) {
            builder.app(Preloader.LIST, list.getBytes(UTF_8));
        }
        return builder.write(dir.resolve("app.jar")).path();
    }

    /** Waits for every preload thread to end. */
    private static void awaitPreloading() throws InterruptedException {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("hermetic-preload")) {
                thread.join(10_000);
                assertThat(thread.isAlive()).as("preload thread still running").isFalse();
            }
        }
    }

    private static LoaderSettings settings(boolean preload) {
        return LoaderSettings.builder().preload(preload).cache(false).build();
    }

    @Test
    void openWhenTheApplicationHasAListThenItsClassesAreDefinedAheadButNotInitialised() throws Exception {
        System.clearProperty(PROPERTY);
        Path archive = pack("# recorded\npre.B\r\n\nmissing.Gone\n");

        try (ArchiveClassLoader loader = ArchiveClassLoader.open(archive, ClassLoader.getPlatformClassLoader(),
                settings(true))) {
            awaitPreloading();
            // pre.B was defined, and its superclass pre.A with it; other.C was not listed
            assertThat(loader.getDefinedPackage("pre")).isNotNull();
            assertThat(loader.getDefinedPackage("other")).isNull();
            assertThat(System.getProperty(PROPERTY)).isNull();
            // initialising stays the application's: on its thread, when it asks
            assertThat(Class.forName("pre.B", true, loader).getSuperclass().getName()).isEqualTo("pre.A");
            assertThat(System.getProperty(PROPERTY)).isEqualTo("yes");
        } finally {
            System.clearProperty(PROPERTY);
        }
    }

    @Test
    void openWhenPreloadingIsOffOrThereIsNoListThenNothingIsDefinedAhead() throws Exception {
        Path listed = pack("pre.B\n");
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(listed, ClassLoader.getPlatformClassLoader(),
                settings(false))) {
            awaitPreloading();
            Thread.sleep(100);
            assertThat(loader.getDefinedPackage("pre")).isNull();
        }
        Path unlisted = pack(null);
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(unlisted, ClassLoader.getPlatformClassLoader(),
                settings(true))) {
            awaitPreloading();
            Thread.sleep(100);
            assertThat(loader.getDefinedPackage("pre")).isNull();
            assertThat(loader.loadClass("other.C").getClassLoader()).isSameAs(loader);
        }
        assertThat(System.getProperty(PROPERTY)).isNull();
    }
}
