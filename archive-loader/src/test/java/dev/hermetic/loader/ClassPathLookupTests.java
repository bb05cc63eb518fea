package dev.hermetic.loader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hermetic.loader.archive.TestArchives;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-release nested jars ({@link ClassPathLookup}), against the JDK's own class path as the reference.
 * {@code mr.jar} says {@code Multi-Release: true} and has {@code mr.V} and {@code mr/r.txt} in its base and
 * in {@code META-INF/versions/11} and {@code /21} (each {@code V.v()} returns its version), and
 * {@code mr/only11.txt} in {@code versions/11} alone; {@code plain.jar} has the same layout of
 * {@code mr/r.txt} without the manifest attribute, so it must serve its base entry. {@code app.Main}
 * prints what it sees; {@code java -cp APP:mr.jar:plain.jar} and {@code java -jar} of the archive must
 * print the same, on the running JDK and on JDK 25.
 */
class ClassPathLookupTests {
    private static final String MAIN = """
            package app;

            import java.net.URL;
            import java.util.Collections;

            public class Main {
                public static void main(String[] args) throws Exception {
                    System.out.println("V.v() = " + mr.V.v());
                    System.out.println("V.class " + inner(mr.V.class.getResource("V.class")));
                    ClassLoader loader = Main.class.getClassLoader();
                    for (URL url : Collections.list(loader.getResources("mr/r.txt"))) {
                        System.out.println("r.txt " + inner(url) + " = " + text(url));
                    }
                    URL only = loader.getResource("mr/only11.txt");
                    System.out.println("only11 " + (only == null ? "none" : inner(only) + " = " + text(only)));
                    try (var in = loader.getResourceAsStream("mr/r.txt")) {
                        System.out.println("stream " + new String(in.readAllBytes(), "UTF-8"));
                    }
                }

                /** The entry's name inside its jar: what java -cp and java -jar have in common. */
                static String inner(URL url) {
                    String s = url.toExternalForm();
                    return s.substring(s.lastIndexOf("!/") + 2);
                }

                static String text(URL url) throws Exception {
                    try (var in = url.openStream()) {
                        return new String(in.readAllBytes(), "UTF-8");
                    }
                }
            }
            """;

    @TempDir
    static Path shared;
    private static Path appDir;
    private static Path mrJar;
    private static Path plainJar;
    private static Path archive;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() throws IOException {
        Map<String, byte[]> main = TestArchives.compile(shared, Map.of("app/Main.java", MAIN,
                "mr/V.java", version("base")));
        Map<String, byte[]> mr = new LinkedHashMap<>();
        mr.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nMulti-Release: true\r\n\r\n".getBytes(UTF_8));
        mr.put("mr/V.class", main.get("mr/V.class"));
        mr.put("mr/r.txt", "base".getBytes(UTF_8));
        for (String version : List.of("11", "21")) {
            mr.put("META-INF/versions/" + version + "/mr/V.class",
                    TestArchives.compile(shared, Map.of("mr/V.java", version(version))).get("mr/V.class"));
            mr.put("META-INF/versions/" + version + "/mr/r.txt", version.getBytes(UTF_8));
        }
        mr.put("META-INF/versions/11/mr/only11.txt", "only in 11".getBytes(UTF_8));
        Map<String, byte[]> plain = new LinkedHashMap<>();
        plain.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n".getBytes(UTF_8));
        plain.put("mr/r.txt", "plain base".getBytes(UTF_8));
        plain.put("META-INF/versions/11/mr/r.txt", "plain 11".getBytes(UTF_8));

        appDir = Files.createDirectories(shared.resolve("app"));
        Files.createDirectories(appDir.resolve("app"));
        Files.write(appDir.resolve("app/Main.class"), main.get("app/Main.class"));
        mrJar = Files.write(shared.resolve("mr.jar"), TestArchives.jar(mr, "mr/r.txt"));
        plainJar = Files.write(shared.resolve("plain.jar"), TestArchives.jar(plain));
        archive = TestArchives.archive("app.Main").launcher(Jvms.loaderClasses())
                .app("app/Main.class", main.get("app/Main.class"))
                .lib("mr.jar", Files.readAllBytes(mrJar)).lib("plain.jar", Files.readAllBytes(plainJar))
                .write(shared.resolve("app.jar")).path();
    }

    private static String version(String version) {
        return "package mr; public class V { public static String v() { return \"" + version + "\"; } }";
    }

    private static String text(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    @Test
    void loadClassWhenJarIsMultiReleaseThenTheHighestVersionNotAboveTheJvmsRelease() throws Exception {
        int feature = Runtime.version().feature();
        String expected = feature >= 21 ? "21" : "11";
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(archive)) {
            Class<?> v = loader.loadClass("mr.V");

            assertThat(v.getMethod("v").invoke(null)).isEqualTo(expected);
            assertThat(v.getProtectionDomain().getCodeSource().getLocation().toExternalForm())
                    .endsWith("!/HERMETIC-INF/lib/mr.jar");
            assertThat(v.getResource("V.class").toExternalForm())
                    .endsWith("!/HERMETIC-INF/lib/mr.jar!/META-INF/versions/" + expected + "/mr/V.class");
        }
    }

    @Test
    void getResourcesWhenJarIsMultiReleaseThenVersionedEntryAndPlainJarsBaseEntryInClassPathOrder() throws Exception {
        String expected = Runtime.version().feature() >= 21 ? "21" : "11";
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(archive)) {
            List<URL> urls = Collections.list(loader.getResources("mr/r.txt"));

            assertThat(urls).extracting(URL::toExternalForm).containsExactly(
                    "hermetic:" + archive.toUri().getRawPath() + "!/HERMETIC-INF/lib/mr.jar!/META-INF/versions/"
                            + expected + "/mr/r.txt",
                    "hermetic:" + archive.toUri().getRawPath() + "!/HERMETIC-INF/lib/plain.jar!/mr/r.txt");
            List<String> texts = new ArrayList<>();
            for (URL url : urls) {
                texts.add(text(url));
            }
            assertThat(texts).containsExactly(expected, "plain base");
            assertThat(loader.getResource("mr/r.txt")).isEqualTo(urls.get(0));
            assertThat(text(loader.getResource("mr/only11.txt"))).isEqualTo("only in 11");
            try (InputStream in = loader.getResourceAsStream("mr/r.txt")) {
                assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo(expected);
            }
            // META-INF names are never versioned, and versioned names stay reachable as they are
            assertThat(text(loader.getResource("META-INF/versions/11/mr/r.txt"))).isEqualTo("11");
        }
    }

    @Test
    void javaJarWhenJarIsMultiReleaseThenTheSameAsJavaCp() throws Exception {
        assertSameAsClassPath(Jvms.current());
    }

    @Test
    void javaJarWhenJarIsMultiReleaseOnJdk25ThenTheSameAsJavaCpServingVersion21() throws Exception {
        assumeTrue(Jvms.jdk25().isPresent(), "JDK 25 is not installed at " + Jvms.JDK_25);
        Jvms.Run run = assertSameAsClassPath(Jvms.jdk25().get());

        assertThat(run.out()).startsWith("V.v() = 21\nV.class META-INF/versions/21/mr/V.class\n");
    }

    @Test
    void javaJarWhenMultiReleaseIsDisabledThenBaseEntriesAsJavaCp() throws Exception {
        Jvms.Run run = assertSameAsClassPath(Jvms.current(), "-Djdk.util.jar.enableMultiRelease=false");

        assertThat(run.out()).startsWith("V.v() = base\nV.class mr/V.class\nr.txt mr/r.txt = base\n");
    }

    private Jvms.Run assertSameAsClassPath(Path jdk, String... options) throws Exception {
        List<String> cp = new ArrayList<>(List.of(options));
        cp.addAll(List.of("-cp", appDir + File.pathSeparator + mrJar + File.pathSeparator + plainJar, "app.Main"));
        List<String> jar = new ArrayList<>(List.of(options));
        jar.addAll(List.of("-jar", archive.toString()));

        Jvms.Run expected = Jvms.java(jdk, dir, cp.toArray(new String[0]));
        Jvms.Run actual = Jvms.java(jdk, dir, jar.toArray(new String[0]));

        assertThat(expected.exit()).as(expected.err()).isZero();
        assertThat(actual).isEqualTo(expected);
        return actual;
    }
}
