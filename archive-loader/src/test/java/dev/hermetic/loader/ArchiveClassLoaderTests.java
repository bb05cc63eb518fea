package dev.hermetic.loader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hermetic.loader.archive.ArchiveFormatException;
import dev.hermetic.loader.archive.TestArchives;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArchiveClassLoader} over a real archive (made by {@link TestArchives}) of classes compiled by
 * {@code javac}: the application's classes under {@code HERMETIC-INF/classes/}, a nested
 * {@code dep.jar} with a DEFLATED and a STORED class, and a nested {@code other lib.jar} whose name has
 * a space. Three containers share {@code shared.txt}.
 */
class ArchiveClassLoaderTests {
    private static final String NON_ASCII = "dir with space/r\u00e9sum\u00e9 \u65e5\u672c.txt";
    private static final int PARALLEL_CLASSES = 60;

    @TempDir
    static Path shared;
    private static Map<String, byte[]> classes;
    private static byte[] depJar;
    private static byte[] otherJar;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile() throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("app/Main.java", "package app;\n"
                + "public class Main {\n"
                + "    public static String hello() {\n"
                + "        return \"app+\" + dep.Dep.hello() + \"+\" + new dep.Stored();\n"
                + "    }\n"
                + "}\n");
        sources.put("dep/Dep.java", "package dep;\n"
                + "public class Dep {\n"
                + "    public static String hello() {\n"
                + "        return \"dep\";\n"
                + "    }\n"
                + "}\n");
        sources.put("dep/Stored.java", "package dep;\n"
                + "public class Stored {\n"
                + "    @Override public String toString() {\n"
                + "        return \"stored\";\n"
                + "    }\n"
                + "}\n");
        for (int i = 0; i < PARALLEL_CLASSES; i++) {
            // each class links to the next, so defining one makes the loader define others meanwhile
            String next = i + 1 < PARALLEL_CLASSES ? "P" + (i + 1) + ".id()" : "0";
            sources.put("par/P" + i + ".java", "package par;\n"
                    + "public class P" + i + " {\n"
                    + "    public static int id() { return " + i + "; }\n"
                    + "    public static int next() { return " + next + "; }\n"
                    + "}\n");
            sources.put("lpar/Q" + i + ".java", "package lpar;\n"
                    + "public class Q" + i + " {\n"
                    + "    public static String name() { return \"Q" + i + "\" + par.P" + i + ".next(); }\n"
                    + "}\n");
        }
        classes = TestArchives.compile(shared, sources);

        Map<String, byte[]> dep = new LinkedHashMap<>();
        dep.put("dep/", new byte[0]);
        dep.put("dep/Dep.class", classes.get("dep/Dep.class"));
        dep.put("dep/Stored.class", classes.get("dep/Stored.class"));
        dep.put("dep/res.txt", "dep resource".repeat(20).getBytes(UTF_8));
        dep.put("shared.txt", "shared from dep".getBytes(UTF_8));
        dep.put(NON_ASCII, "nested non-ascii".getBytes(UTF_8));
        for (int i = 0; i < PARALLEL_CLASSES; i++) {
            dep.put("lpar/Q" + i + ".class", classes.get("lpar/Q" + i + ".class"));
        }
        depJar = TestArchives.jar(dep, "dep/Stored.class");
        Map<String, byte[]> other = new LinkedHashMap<>();
        other.put("shared.txt", "shared from other".getBytes(UTF_8));
        otherJar = TestArchives.jar(other);
    }

    private Path pack() throws IOException {
        TestArchives.Builder builder = TestArchives.archive("app.Main")
                .app("app/Main.class", classes.get("app/Main.class"))
                .app("app/hello.txt", "hello from app".getBytes(UTF_8))
                .app("shared.txt", "shared from app".getBytes(UTF_8))
                .app(NON_ASCII, "app non-ascii".getBytes(UTF_8))
                // a bogus String.class and a class in a package of another platform module: the parent must win
                .app("java/lang/String.class", "not the JDK's String".getBytes(UTF_8))
                .app("javax/xml/parsers/DocumentBuilder.class", "not the JDK's either".getBytes(UTF_8));
        for (int i = 0; i < PARALLEL_CLASSES; i++) {
            builder.app("par/P" + i + ".class", classes.get("par/P" + i + ".class"));
        }
        return builder.lib("dep.jar", depJar).lib("other lib.jar", otherJar)
                .write(dir.resolve("app.jar")).path();
    }

    private static String fileUrl(Path path) throws IOException {
        return path.toUri().toURL().toExternalForm();
    }

    private static byte[] read(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        }
    }

    private static String text(URL url) throws IOException {
        return new String(read(url), UTF_8);
    }

    @Test
    void loadClassWhenInAppThenDefinedByTheLoaderWithTheArchiveFileAsCodeSource() throws Exception {
        Path path = pack();
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(path)) {
            Class<?> main = loader.loadClass("app.Main");

            assertThat(main.getClassLoader()).isSameAs(loader);
            assertThat(main.getPackage().getName()).isEqualTo("app");
            assertThat(loader.getDefinedPackage("app")).isSameAs(main.getPackage());
            CodeSource source = main.getProtectionDomain().getCodeSource();
            assertThat(source.getLocation().toExternalForm()).isEqualTo(fileUrl(path));
            assertThat(source.getLocation()).isEqualTo(path.toUri().toURL());
            assertThat(source.getCertificates()).isNull();
            assertThat(main.getProtectionDomain().getClassLoader()).isSameAs(loader);
            assertThat(loader.loadClass("app.Main")).isSameAs(main);
            assertThat(loader.mainClass()).isEqualTo("app.Main");
            assertThat(loader.path()).isEqualTo(path);
        }
    }

    @Test
    void defineMainCallWhenDefinedThenRunCallsMainElseWhenTheNameIsTakenThenNull() throws Exception {
        // an application that holds archive-loader, whose jar has a class of MainCall's name
        byte[] stub = Files.readAllBytes(Jvms.loaderClasses().resolve(MainCallClass.NAME.replace('.', '/') + ".class"));
        Path taken = TestArchives.archive("app.Main").app("app/Main.class", classes.get("app/Main.class"))
                .app(MainCallClass.NAME.replace('.', '/') + ".class", stub).write(dir.resolve("taken.jar")).path();
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(pack());
             ArchiveClassLoader holder = ArchiveClassLoader.open(taken)) {
            Class<?> main = loader.loadClass("app.Main");
            Class<?> call = loader.defineMainCall(main);

            assertThat(call.getName()).isEqualTo(MainCallClass.NAME);
            assertThat(call.getClassLoader()).isSameAs(loader);
            assertThat(call.getProtectionDomain()).isSameAs(main.getProtectionDomain());
            assertThat(loader.defineMainCall(main)).isNull();
            holder.loadClass(MainCallClass.NAME);
            assertThat(holder.defineMainCall(holder.loadClass("app.Main"))).isNull();
        }
    }

    @Test
    void loadClassWhenInNestedJarThenCodeSourceIsTheHermeticUrlOfTheJar() throws Exception {
        Path path = pack();
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(path)) {
            Class<?> deflated = loader.loadClass("dep.Dep");
            Class<?> stored = loader.loadClass("dep.Stored");

            String jarUrl = "hermetic:" + path.toUri().getRawPath() + "!/HERMETIC-INF/lib/dep.jar";
            assertThat(deflated.getClassLoader()).isSameAs(loader);
            assertThat(deflated.getProtectionDomain().getCodeSource().getLocation().toExternalForm()).isEqualTo(jarUrl);
            assertThat(stored.getProtectionDomain().getCodeSource().getLocation().toExternalForm()).isEqualTo(jarUrl);
            assertThat(loader.loadClass("app.Main").getProtectionDomain().getCodeSource().getLocation())
                    .isNotEqualTo(deflated.getProtectionDomain().getCodeSource().getLocation());
        }
    }

    @Test
    void loadClassWhenAppClassUsesNestedClassesThenTheyLinkAndRun() throws Exception {
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(pack())) {
            Object hello = loader.loadClass("app.Main").getMethod("hello").invoke(null);

            assertThat(hello).isEqualTo("app+dep+stored");
        }
    }

    @Test
    void loadClassWhenMissingThenClassNotFoundException() throws Exception {
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(pack())) {
            assertThatThrownBy(() -> loader.loadClass("app.Missing"))
                    .isInstanceOf(ClassNotFoundException.class)
                    .hasMessage("app.Missing");
            assertThatThrownBy(() -> Class.forName("dep.Missing", false, loader))
                    .isInstanceOf(ClassNotFoundException.class)
                    .hasMessage("dep.Missing");
            // in a package of the boot loader's: a miss there, then the parent's and the archive's
            assertThatThrownBy(() -> loader.loadClass("java.lang.Missing"))
                    .isInstanceOf(ClassNotFoundException.class)
                    .hasMessage("java.lang.Missing");
            // a resource is not a class
            assertThatThrownBy(() -> loader.loadClass("app.hello"))
                    .isInstanceOf(ClassNotFoundException.class)
                    .hasMessage("app.hello");
        }
    }

    @Test
    void loadClassWhenTheParentHasTheClassThenTheParentServesIt() throws Exception {
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(pack())) {
            // java.base and java.logging are the boot loader's, java.sql the platform loader's
            assertThat(loader.loadClass("java.lang.String")).isSameAs(String.class);
            assertThat(loader.loadClass("java.util.logging.Logger")).isSameAs(java.util.logging.Logger.class);
            assertThat(loader.loadClass("java.sql.Date").getClassLoader()).isSameAs(ClassLoader.getPlatformClassLoader());
            assertThat(loader.loadClass("javax.xml.parsers.DocumentBuilder"))
                    .isSameAs(javax.xml.parsers.DocumentBuilder.class);
            assertThat(loader.getResource("java/lang/String.class").getProtocol()).isEqualTo("jrt");
            try (InputStream in = loader.getResourceAsStream("java/lang/String.class")) {
                assertThat(in.readAllBytes()).startsWith(0xCA, 0xFE, 0xBA, 0xBE);
            }
            assertThat(loader.getParent()).isSameAs(ClassLoader.getPlatformClassLoader());
        }
    }

    /**
     * Code running with no permissions may still load JDK classes through the loader, as through any
     * {@code ClassLoader}: a security manager that denies it the boot loader sends the loader the parent's
     * way, which runs privileged. JDK 17 only: later JDKs refuse a security manager.
     */
    @Test
    void loadClassWhenASecurityManagerDeniesTheCallerTheBootLoaderThenTheParentServesJdkClasses() throws Exception {
        assumeTrue(Runtime.version().feature() < 18, "this JDK refuses a security manager by default");
        Path path = pack();
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(path)) {
            List<Class<?>> loaded = Sandbox.run(
                    () -> List.of(loader.loadClass("java.util.logging.Logger"), loader.loadClass("java.sql.Date")));
            assertThat(loaded).containsExactly(java.util.logging.Logger.class, java.sql.Date.class);
        }
    }

    @Test
    void loadClassWhenTheParentIsGivenThenItIsAskedFirst() throws Exception {
        ClassLoader parent = getClass().getClassLoader();
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(pack(), parent)) {
            assertThat(loader.getParent()).isSameAs(parent);
            assertThat(loader.loadClass(ArchiveClassLoaderTests.class.getName())).isSameAs(ArchiveClassLoaderTests.class);
            assertThat(loader.loadClass("app.Main").getClassLoader()).isSameAs(loader);
        }
    }

    @Test
    void getResourceWhenInAppThenJarFileUrlThatOpens() throws Exception {
        Path path = pack();
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(path)) {
            URL url = loader.getResource("app/hello.txt");

            assertThat(url.toExternalForm()).isEqualTo("jar:" + fileUrl(path) + "!/HERMETIC-INF/classes/app/hello.txt");
            assertThat(text(url)).isEqualTo("hello from app");
            assertThat(text(new URL(url.toExternalForm()))).isEqualTo("hello from app");
            assertThat(text(url.toURI().toURL())).isEqualTo("hello from app");
            assertThat(loader.getResource("app/Main.class").toExternalForm()).endsWith("!/HERMETIC-INF/classes/app/Main.class");
            assertThat(read(loader.getResource("app/Main.class"))).isEqualTo(classes.get("app/Main.class"));
        }
    }

    @Test
    void getResourceWhenInNestedJarThenHermeticUrlThatOpensAlsoAfterReparsing() throws Exception {
        Path path = pack();
        byte[] expected = "dep resource".repeat(20).getBytes(UTF_8);
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(path)) {
            URL url = loader.getResource("dep/res.txt");

            assertThat(url.toExternalForm()).isEqualTo("hermetic:" + path.toUri().getRawPath() + "!/HERMETIC-INF/lib/dep.jar!/dep/res.txt");
            assertThat(read(url)).isEqualTo(expected);
            // through the handler the JDK finds as a service, as in code that never saw the loader
            URL reparsed = new URL(url.toExternalForm());
            assertThat(reparsed).isEqualTo(url);
            assertThat(reparsed.hashCode()).isEqualTo(url.hashCode());
            assertThat(read(reparsed)).isEqualTo(expected);
            assertThat(read(url.toURI().toURL())).isEqualTo(expected);
            assertThat(url.openConnection().getContentLengthLong()).isEqualTo(expected.length);
            assertThat(read(loader.getResource("dep/Dep.class"))).isEqualTo(classes.get("dep/Dep.class"));
        }
    }

    @Test
    void getResourceWhenNamesHaveSpacesAndNonAsciiThenEncodedUrlsThatOpen() throws Exception {
        Path path = pack();
        String encoded = "dir%20with%20space/r%C3%A9sum%C3%A9%20%E6%97%A5%E6%9C%AC.txt";
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(path)) {
            List<URL> urls = Collections.list(loader.getResources(NON_ASCII));

            assertThat(urls).extracting(URL::toExternalForm).containsExactly(
                    "jar:" + fileUrl(path) + "!/HERMETIC-INF/classes/" + encoded,
                    "hermetic:" + path.toUri().getRawPath() + "!/HERMETIC-INF/lib/dep.jar!/" + encoded);
            assertThat(text(urls.get(0))).isEqualTo("app non-ascii");
            assertThat(text(urls.get(1))).isEqualTo("nested non-ascii");
            assertThat(text(new URL(urls.get(0).toExternalForm()))).isEqualTo("app non-ascii");
            assertThat(text(new URL(urls.get(1).toExternalForm()))).isEqualTo("nested non-ascii");
            assertThat(text(urls.get(1).toURI().toURL())).isEqualTo("nested non-ascii");
        }
    }

    @Test
    void getResourceWhenNestedJarNameHasASpaceThenUrlIsAValidUriThatOpens() throws Exception {
        Path path = pack();
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(path)) {
            URL url = Collections.list(loader.getResources("shared.txt")).get(2);

            assertThat(url.toExternalForm()).isEqualTo("hermetic:" + path.toUri().getRawPath() + "!/HERMETIC-INF/lib/other%20lib.jar!/shared.txt");
            assertThat(text(url)).isEqualTo("shared from other");
            assertThat(url.toURI().getSchemeSpecificPart()).endsWith("!/HERMETIC-INF/lib/other lib.jar!/shared.txt");
            assertThat(text(url.toURI().toURL())).isEqualTo("shared from other");
            assertThat(text(new URL(url.toExternalForm()))).isEqualTo("shared from other");
        }
    }

    @Test
    void getResourceWhenMissingThenNull() throws Exception {
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(pack())) {
            assertThat(loader.getResource("app/missing.txt")).isNull();
            assertThat(loader.getResource("HERMETIC-INF/classes/app/hello.txt")).isNull();
            assertThat(loader.getResourceAsStream("app/missing.txt")).isNull();
            assertThat(Collections.list(loader.getResources("app/missing.txt"))).isEmpty();
        }
    }

    @Test
    void getResourcesWhenInSeveralContainersThenEveryMatchInClassPathOrder() throws Exception {
        Path path = pack();
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(path)) {
            List<URL> urls = Collections.list(loader.getResources("shared.txt"));

            assertThat(urls).hasSize(3);
            assertThat(urls.get(0).getProtocol()).isEqualTo("jar");
            assertThat(urls.get(1).toExternalForm()).contains("!/HERMETIC-INF/lib/dep.jar!/");
            List<String> texts = new ArrayList<>();
            for (URL url : urls) {
                texts.add(text(url));
            }
            assertThat(texts).containsExactly("shared from app", "shared from dep", "shared from other");
            assertThat(loader.getResource("shared.txt")).isEqualTo(urls.get(0));
        }
    }

    @Test
    void getResourceAsStreamWhenInAppOrNestedJarThenTheBytes() throws Exception {
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(pack())) {
            try (InputStream app = loader.getResourceAsStream("shared.txt");
                 InputStream nested = loader.getResourceAsStream("dep/res.txt");
                 InputStream stored = loader.getResourceAsStream("dep/Stored.class")) {
                assertThat(new String(app.readAllBytes(), UTF_8)).isEqualTo("shared from app");
                assertThat(new String(nested.readAllBytes(), UTF_8)).isEqualTo("dep resource".repeat(20));
                assertThat(stored.readAllBytes()).isEqualTo(classes.get("dep/Stored.class"));
            }
        }
    }

    @Test
    void openStreamWhenUrlIsTheNestedJarItselfThenExactlyTheNestedJarsBytes() throws Exception {
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(pack())) {
            URL jar = loader.loadClass("dep.Dep").getProtectionDomain().getCodeSource().getLocation();

            assertThat(jar.toExternalForm()).endsWith("!/HERMETIC-INF/lib/dep.jar");
            assertThat(read(jar)).isEqualTo(depJar);
            assertThat(read(new URL(jar.toExternalForm()))).isEqualTo(depJar);
            assertThat(jar.openConnection().getContentLengthLong()).isEqualTo(depJar.length);
        }
    }

    @Test
    void loadClassWhenClosedThenIllegalStateExceptionNamingTheArchive() throws Exception {
        Path path = pack();
        ArchiveClassLoader loader = ArchiveClassLoader.open(path);
        Class<?> main = loader.loadClass("app.Main");
        loader.close();

        // findClass throws it, and loadClass lets it through unwrapped
        assertThatThrownBy(() -> loader.findClass("dep.Dep"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("class loader of " + path + " is closed");
        assertThatThrownBy(() -> loader.loadClass("dep.Dep"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("class loader of " + path + " is closed");
        assertThatThrownBy(() -> loader.getResource("app/hello.txt"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("class loader of " + path + " is closed");
        assertThatThrownBy(() -> loader.getResources("shared.txt"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("class loader of " + path + " is closed");
        // what was defined stays
        assertThat(loader.loadClass("app.Main")).isSameAs(main);
        assertThat(loader.loadClass("java.lang.String")).isSameAs(String.class);
        loader.close();
    }

    @Test
    void closeWhenCalledThenTheArchiveFileIsReleasedAndCanBeDeleted() throws Exception {
        Path path = pack();
        Path real = path.toRealPath();
        ArchiveClassLoader loader = ArchiveClassLoader.open(path);
        loader.loadClass("dep.Dep");
        assertThat(readText(loader.getResourceAsStream("dep/res.txt"))).startsWith("dep resource");
        assertThat(openHandles(real)).as("open handles while open").isNotEqualTo(0);

        loader.close();

        assertThat(openHandles(real)).as("open handles after close").isIn(0L, -1L);
        Files.delete(path);
        assertThat(path).doesNotExist();
    }

    private static String readText(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    /** @return how many of this process's file descriptors are open on the file, or -1 without /proc */
    private static long openHandles(Path file) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        long count = 0;
        try (Stream<Path> list = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file)) {
                        count++;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor of the listing itself, or one closed since
                }
            }
        }
        return count;
    }

    @Test
    void openWhenFileIsNotAHermeticArchiveThenArchiveFormatException() throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        entries.put("app/Main.class", classes.get("app/Main.class"));
        Path plain = Files.write(dir.resolve("plain.jar"), TestArchives.jar(entries));

        assertThatThrownBy(() -> ArchiveClassLoader.open(plain))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessage(plain + ": not a Hermetic archive: no seal in its comment and no HERMETIC-INF/index entry");
    }

    @Test
    void loadClassWhenManyThreadsLoadDistinctClassesConcurrentlyThenEachIsDefinedOnce() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < PARALLEL_CLASSES; i++) {
            names.add("par.P" + i);
            names.add("lpar.Q" + i);
        }
        int threads = 16;
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(pack())) {
            assertThat(loader.isRegisteredAsParallelCapable()).isTrue();
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Map<String, Class<?>>>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    List<String> order = new ArrayList<>(names);
                    Collections.shuffle(order, new Random(t));
                    results.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        Map<String, Class<?>> loaded = new TreeMap<>();
                        for (String name : order) {
                            Class<?> type = Class.forName(name, true, loader);
                            loaded.put(name, type);
                        }
                        // run code that links across containers: Qi calls Pi, which calls P(i+1)
                        for (int i = 0; i < PARALLEL_CLASSES; i++) {
                            assertThat(loaded.get("lpar.Q" + i).getMethod("name").invoke(null))
                                    .isEqualTo("Q" + i + (i + 1) % PARALLEL_CLASSES);
                        }
                        return loaded;
                    }));
                }
                Map<String, Class<?>> first = results.get(0).get(60, TimeUnit.SECONDS);
                assertThat(first).hasSize(names.size());
                for (Future<Map<String, Class<?>>> result : results) {
                    Map<String, Class<?>> loaded = result.get(60, TimeUnit.SECONDS);
                    for (String name : names) {
                        assertThat(loaded.get(name)).as(name).isSameAs(first.get(name));
                    }
                }
                for (String name : names) {
                    assertThat(first.get(name).getClassLoader()).isSameAs(loader);
                    assertThat(first.get(name).getName()).isEqualTo(name);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
