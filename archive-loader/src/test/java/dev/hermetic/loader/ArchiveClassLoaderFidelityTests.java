package dev.hermetic.loader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hermetic.loader.archive.TestArchives;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ArchiveClassLoader} gives beyond finding bytes, each against the JDK's {@link URLClassLoader}
 * over the same jars on disk: sealed packages, code sources a library reads its own jar through, and
 * several archives side by side in one host.
 *
 * <p>Fixtures: {@code sealed.jar} (manifest {@code Sealed: true}, class {@code sealed.A}) and
 * {@code loose.jar} (no manifest, class {@code sealed.B} of the same package), built by
 * {@link TestArchives#jar} from classes {@code javac} compiled.
 */
class ArchiveClassLoaderFidelityTests {
    @TempDir
    static Path shared;
    private static Map<String, byte[]> classes;
    private static byte[] sealedJar;
    private static byte[] looseJar;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile() throws IOException {
        classes = TestArchives.compile(shared, Map.of(
                "sealed/A.java", "package sealed; public class A { }",
                "sealed/B.java", "package sealed; public class B { }",
                "lib/Self.java", """
                        package lib;
                        public class Self {
                            public static String version() throws Exception {
                                java.net.URL jar = Self.class.getProtectionDomain().getCodeSource().getLocation();
                                try (var in = new java.util.jar.JarInputStream(jar.openStream())) {
                                    return in.getManifest().getMainAttributes().getValue("Implementation-Version");
                                }
                            }
                        }
                        """));
        Map<String, byte[]> sealed = new LinkedHashMap<>();
        sealed.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nSealed: true\r\n\r\n".getBytes(UTF_8));
        sealed.put("sealed/A.class", classes.get("sealed/A.class"));
        sealedJar = TestArchives.jar(sealed);
        looseJar = TestArchives.jar(Map.of("sealed/B.class", classes.get("sealed/B.class")));
    }

    private Path archive(String name, String firstJar, byte[] first, String secondJar, byte[] second) throws IOException {
        return TestArchives.archive("app.Main").lib(firstJar, first).lib(secondJar, second)
                .write(dir.resolve(name)).path();
    }

    private URLClassLoader jdkLoader(String firstJar, byte[] first, String secondJar, byte[] second) throws IOException {
        Path a = Files.write(dir.resolve(firstJar), first);
        Path b = Files.write(dir.resolve(secondJar), second);
        return new URLClassLoader(new URL[] {a.toUri().toURL(), b.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void loadClassWhenPackageIsSealedByAnotherJarThenSecurityExceptionAsTheJdks() throws Exception {
        Throwable jdk;
        try (URLClassLoader reference = jdkLoader("sealed.jar", sealedJar, "loose.jar", looseJar)) {
            reference.loadClass("sealed.A");
            jdk = catchThrowable(() -> reference.loadClass("sealed.B"));
        }
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(archive("app.jar", "sealed.jar", sealedJar, "loose.jar", looseJar))) {
            Class<?> a = loader.loadClass("sealed.A");

            assertThat(a.getPackage().isSealed()).isTrue();
            assertThat(a.getPackage().isSealed(a.getProtectionDomain().getCodeSource().getLocation())).isTrue();
            assertThatThrownBy(() -> loader.loadClass("sealed.B"))
                    .isInstanceOf(SecurityException.class)
                    .hasMessage("sealing violation: package sealed is sealed")
                    .hasMessage(jdk.getMessage());
        }
    }

    @Test
    void loadClassWhenPackageWasDefinedUnsealedThenASealedJarCannotSealItAsTheJdkSays() throws Exception {
        Throwable jdk;
        try (URLClassLoader reference = jdkLoader("loose.jar", looseJar, "sealed.jar", sealedJar)) {
            reference.loadClass("sealed.B");
            jdk = catchThrowable(() -> reference.loadClass("sealed.A"));
        }
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(archive("app.jar", "loose.jar", looseJar, "sealed.jar", sealedJar))) {
            assertThat(loader.loadClass("sealed.B").getPackage().isSealed()).isFalse();

            assertThatThrownBy(() -> loader.loadClass("sealed.A"))
                    .isInstanceOf(SecurityException.class)
                    .hasMessage("sealing violation: can't seal package sealed: already loaded")
                    .hasMessage(jdk.getMessage());
        }
    }

    @Test
    void codeSourceWhenALibraryReadsItsOwnJarThroughItThenItGetsItsManifest() throws Exception {
        Map<String, byte[]> lib = new LinkedHashMap<>();
        lib.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nImplementation-Version: 7.1\r\n\r\n".getBytes(UTF_8));
        lib.put("lib/Self.class", classes.get("lib/Self.class"));
        Path path = TestArchives.archive("app.Main").lib("self.jar", TestArchives.jar(lib)).write(dir.resolve("app.jar")).path();
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(path)) {
            Class<?> self = loader.loadClass("lib.Self");
            URL location = self.getProtectionDomain().getCodeSource().getLocation();

            assertThat(self.getMethod("version").invoke(null)).isEqualTo("7.1");
            assertThat(location.toExternalForm()).isEqualTo("hermetic:" + path.toUri().getRawPath() + "!/HERMETIC-INF/lib/self.jar");
            assertThat(self.getPackage().getImplementationVersion()).isEqualTo("7.1");
            try (JarInputStream in = new JarInputStream(new URL(location.toExternalForm()).openStream())) {
                assertThat(in.getNextJarEntry().getName()).isEqualTo("lib/Self.class");
            }
        }
    }

    @Test
    void openWhenAHostLoadsSeveralArchivesSideBySideThenEachIsIsolatedAndClosesAlone() throws Exception {
        Map<String, byte[]> one = TestArchives.compile(shared, Map.of("plugin/Plugin.java",
                "package plugin; public class Plugin { public static String name() { return \"one\"; } }"));
        Map<String, byte[]> two = TestArchives.compile(shared, Map.of("plugin/Plugin.java",
                "package plugin; public class Plugin { public static String name() { return \"two\"; } }"));
        Path first = TestArchives.archive("plugin.Plugin").app("plugin/Plugin.class", one.get("plugin/Plugin.class"))
                .app("plugin.txt", "one".getBytes(UTF_8)).lib("common.jar", looseJar).write(dir.resolve("one.jar")).path();
        Path second = TestArchives.archive("plugin.Plugin").app("plugin/Plugin.class", two.get("plugin/Plugin.class"))
                .app("plugin.txt", "two".getBytes(UTF_8)).lib("common.jar", looseJar).write(dir.resolve("two.jar")).path();
        ClassLoader host = getClass().getClassLoader();

        ArchiveClassLoader a = ArchiveClassLoader.open(first, host);
        try (ArchiveClassLoader b = ArchiveClassLoader.open(second, host)) {
            Class<?> pluginA = a.loadClass("plugin.Plugin");
            Class<?> pluginB = b.loadClass("plugin.Plugin");
            Class<?> commonA = a.loadClass("sealed.B");
            Class<?> commonB = b.loadClass("sealed.B");

            assertThat(pluginA).isNotSameAs(pluginB);
            assertThat(pluginA.getMethod("name").invoke(null)).isEqualTo("one");
            assertThat(pluginB.getMethod("name").invoke(null)).isEqualTo("two");
            assertThat(commonA).isNotSameAs(commonB);
            assertThat(commonA.getProtectionDomain().getCodeSource().getLocation())
                    .isNotEqualTo(commonB.getProtectionDomain().getCodeSource().getLocation());
            assertThat(read(a.getResource("plugin.txt"))).isEqualTo("one");
            assertThat(read(b.getResource("plugin.txt"))).isEqualTo("two");
            assertThat(a.loadClass(getClass().getName())).isSameAs(getClass());

            a.close();

            assertThatThrownBy(() -> a.loadClass("sealed.A"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("class loader of " + first + " is closed");
            assertThat(pluginA.getMethod("name").invoke(null)).isEqualTo("one");
            assertThat(b.loadClass("plugin.Plugin")).isSameAs(pluginB);
            assertThat(read(b.getResource("plugin.txt"))).isEqualTo("two");
            assertThat(read(b.getResource("sealed/B.class"), true)).isEqualTo(classes.get("sealed/B.class"));
        } finally {
            a.close();
        }
    }

    private static String read(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    private static byte[] read(URL url, boolean bytes) throws IOException {
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        }
    }
}
