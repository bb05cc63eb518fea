package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.classPathNames;
import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.sha256;
import static dev.hermetic.packer.TestFixtures.write;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.hermetic.loader.ArchiveClassLoader;
import dev.hermetic.loader.Launcher;
import dev.hermetic.loader.LauncherClassTable;
import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.Container;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.loader.archive.ValidationMode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Packer#pack} through its library API, read back through the loader's own reader
 * ({@link Archive}) and the JDK's zip reader. Every input is a real file: sources written here,
 * classes made by the JDK's compiler, jars made by {@link java.util.jar.JarOutputStream}.
 */
class PackerTests {
    static final String MAIN = "com.example.Main";

    @TempDir
    Path tmp;

    /** Sources of a small application: two source files, one of them with three top-level and nested classes. */
    Path src;

    @BeforeEach
    void writeSources() throws IOException {
        src = tmp.resolve("src");
        writeSource(src, MAIN, """
                package com.example;

                public class Main {
                    public static void main(String[] args) {
                        Runnable greet = () -> System.out.println(Greeting.text());
                        greet.run();
                        System.out.println(new Inner().value() + new Helper().value());
                    }

                    static final class Inner {
                        int value() {
                            return 42;
                        }
                    }
                }

                class Helper {
                    int value() {
                        return 1;
                    }
                }
                """);
        writeSource(src, "com.example.Greeting", """
                package com.example;

                /** Grüße, ✓ (non-ASCII source text). */
                public final class Greeting {
                    public static String text() {
                        return "grüße ✓";
                    }
                }
                """);
        write(src.resolve("com/example/app.properties"), "name=example\n");
    }

    /** The sources compiled by javac, plus the resource, as a class directory. */
    Path compiledApp(String... options) throws IOException {
        Path classes = javac(src, tmp.resolve("classes"), List.of(options));
        Files.copy(src.resolve("com/example/app.properties"), classes.resolve("com/example/app.properties"));
        return classes;
    }

    // ---------------------------------------------------------------- what goes in

    @Test
    void packWhenAppIsClassDirectoryThenArchiveServesItsFilesUnderTheirClassPathNames() throws IOException {
        Path classes = compiledApp();
        Path out = tmp.resolve("app.jar");

        PackResult result = Packer.pack(PackOptions.builder().out(out).mainClass(MAIN).addApp(classes).build());

        List<String> names = classPathNames(classes);
        assertThat(names).contains("com/", "com/example/", "com/example/Main.class", "com/example/Main$Inner.class",
                "com/example/Helper.class", "com/example/Greeting.class", "com/example/app.properties");
        assertThat(result).isEqualTo(new PackResult(out, Files.size(out), names.size(), 2, 0, MAIN));
        try (Archive archive = Archive.open(out)) {
            assertThat(archive.mainClass()).isEqualTo(MAIN);
            assertThat(archive.containers()).containsExactly(new Container(0, ArchiveLayout.CLASSES, 0, 0));
            assertThat(archive.entries()).extracting(IndexedEntry::name).containsExactlyElementsOf(names);
            for (IndexedEntry entry : archive.entries()) {
                assertThat(entry.container()).isZero();
                assertThat(entry.stored()).as(entry.name()).isTrue();
                byte[] expected = entry.directory() ? new byte[0] : Files.readAllBytes(classes.resolve(entry.name()));
                assertThat(archive.read(entry)).as(entry.name()).isEqualTo(expected);
            }
            // Without shipped sources the caches are trusted; nothing is known of how they were compiled.
            assertThat(archive.modules()).extracting(Module::source, Module::mode, Module::hasSource,
                            Module::classVersion, Module::release, Module::compilerOptions)
                    .containsExactly(tuple("com/example/Greeting.java", ValidationMode.TRUSTED, false, 61, 0, ""),
                            tuple("com/example/Main.java", ValidationMode.TRUSTED, false, 61, 0, ""));
            assertThat(cachesByModule(archive)).isEqualTo(Map.of(
                    "com/example/Greeting.java", List.of("com/example/Greeting.class"),
                    "com/example/Main.java", List.of("com/example/Helper.class", "com/example/Main$Inner.class",
                            "com/example/Main.class")));
        }
    }

    @ParameterizedTest(name = "launcherAtRoot={0}")
    @ValueSource(booleans = {false, true})
    void packWhenWrittenThenTheThirdEntryIsTheTableOfEveryLoaderClassAndTheRootHoldsTheFrontOrAll(boolean atRoot)
            throws IOException, URISyntaxException {
        Path out = tmp.resolve("app.jar");

        Packer.pack(PackOptions.builder().out(out).mainClass(MAIN).addApp(compiledApp()).launcherAtRoot(atRoot).build());

        Map<String, byte[]> loader = new TreeMap<>();
        for (String name : TestFixtures.loaderClassNames()) {
            try (InputStream in = Launcher.class.getClassLoader().getResourceAsStream(name)) {
                loader.put(name, in.readAllBytes());
            }
        }
        try (ZipFile zip = new ZipFile(out.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            ZipEntry table = entries.get(ArchiveLayout.LAUNCHER_CLASSES_POSITION);
            assertThat(table.getName()).isEqualTo(ArchiveLayout.LAUNCHER_CLASSES);
            assertThat(table.getMethod()).isEqualTo(ZipEntry.STORED);
            try (InputStream in = zip.getInputStream(table)) {
                assertThat(in.readAllBytes()).isEqualTo(LauncherClassTable.write(loader));
            }
            List<String> root = entries.stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith("dev/hermetic/loader/") && n.endsWith(".class")).toList();
            assertThat(root).isEqualTo(atRoot ? List.copyOf(loader.keySet())
                    : ArchiveLayout.LAUNCHER_FRONT.stream().sorted().toList());
            for (String name : root) {
                try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
                    assertThat(in.readAllBytes()).as(name).isEqualTo(loader.get(name));
                }
            }
        }
        assertThat(loader).containsKeys(ArchiveLayout.LAUNCHER_FRONT.toArray(new String[0]))
                .containsKey(ArchiveClassLoader.class.getName().replace('.', '/') + ".class");
    }

    /** Packs an application that prints the name of its loader's loader's class: the launcher's, or the JDK's. */
    private Path packWho(Path out) throws IOException {
        writeSource(tmp.resolve("who"), "who.Who", "package who;\npublic class Who { public static void main(String[] a) {"
                + " System.out.println(Who.class.getClassLoader().getClass().getClassLoader().getClass().getName()); } }\n");
        Packer.pack(PackOptions.builder().out(out).mainClass("who.Who")
                .addApp(javac(tmp.resolve("who"), tmp.resolve("who-classes"), List.of())).build());
        return out;
    }

    @Test
    void packWhenLaunchedThenTheLauncherClassesComeFromTheTableInTheirOwnLoader() throws Exception {
        Path out = packWho(tmp.resolve("who.jar"));

        TestFixtures.Result run = TestFixtures.run(tmp, List.of(TestFixtures.jdkTool("java"), "-jar", out.toString()));

        // the local headers as Commons Compress wrote them lead a launch to the table, so the archive's loader
        // is defined by the launcher's own loader, not by the application class loader
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout().strip()).isEqualTo("dev.hermetic.loader.LauncherClassLoader");
    }

    /** Signs the archive for real, with a new key, by the running JDK's keytool and jarsigner (SHA-256). */
    private void sign(Path archive) throws Exception {
        Path keystore = tmp.resolve("keys.p12");
        for (List<String> command : List.of(
                List.of(TestFixtures.jdkTool("keytool"), "-genkeypair", "-keystore", keystore.toString(), "-storepass",
                        "changeit", "-keypass", "changeit", "-alias", "signer", "-keyalg", "RSA", "-keysize", "2048",
                        "-dname", "CN=Hermetic Test", "-validity", "3650"),
                List.of(TestFixtures.jdkTool("jarsigner"), "-keystore", keystore.toString(), "-storepass", "changeit",
                        "-digestalg", "SHA-256", archive.toString(), "signer"))) {
            TestFixtures.Result signing = TestFixtures.run(tmp, command);
            assertThat(signing.exit()).as(signing.stdout() + signing.stderr()).isZero();
        }
    }

    @Test
    void packWhenTheArchiveIsThenSignedWithJarsignerThenItLaunchesFromTheTableOutOfItsPlace() throws Exception {
        Path out = packWho(tmp.resolve("signed.jar"));
        sign(out);

        TestFixtures.Result run = TestFixtures.run(tmp, List.of(TestFixtures.jdkTool("java"), "-jar", out.toString()));

        // jarsigner writes its signature files after the manifest, so the table is no longer third: the
        // launch reads it whole through the JDK's JarFile, and the launcher's classes still come from it
        try (ZipFile zip = new ZipFile(out.toFile())) {
            assertThat(Collections.list(zip.entries()).get(ArchiveLayout.LAUNCHER_CLASSES_POSITION).getName())
                    .isNotEqualTo(ArchiveLayout.LAUNCHER_CLASSES);
        }
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout().strip()).isEqualTo("dev.hermetic.loader.LauncherClassLoader");
    }

    @Test
    void packWhenTheSignedArchivesTableIsThenAlteredThenTheLaunchFailsNamingTheDigestError() throws Exception {
        Path signed = packWho(tmp.resolve("signed.jar"));
        sign(signed);
        Path altered = tmp.resolve("altered.jar");
        // every entry copied as it is, the table's last byte (of its last class file) changed
        try (ZipFile in = new ZipFile(signed.toFile());
             java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(altered))) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                byte[] bytes;
                try (InputStream data = in.getInputStream(entry)) {
                    bytes = data.readAllBytes();
                }
                if (entry.getName().equals(ArchiveLayout.LAUNCHER_CLASSES)) {
                    bytes[bytes.length - 1] ^= 1;
                }
                zip.putNextEntry(new ZipEntry(entry.getName()));
                zip.write(bytes);
            }
        }

        TestFixtures.Result run = TestFixtures.run(tmp, List.of(TestFixtures.jdkTool("java"), "-jar", altered.toString()));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().strip()).isEqualTo("Error: " + altered + ": " + ArchiveLayout.LAUNCHER_CLASSES
                + ": SHA-256 digest error for " + ArchiveLayout.LAUNCHER_CLASSES);
    }

    @Test
    void packWhenAppIsJarWithoutMainClassOptionThenMainClassIsTheJarsMainClass() throws IOException {
        Path appJar = jar().mainClass(MAIN).attribute("Add-Opens", "java.base/java.lang")
                .tree(compiledApp(), false).write(tmp.resolve("app-1.0.jar"));
        Path out = tmp.resolve("packed.jar");

        PackResult result = Packer.pack(PackOptions.builder().out(out).addApp(appJar).build());

        assertThat(result.mainClass()).isEqualTo(MAIN);
        try (Archive archive = Archive.open(out); ZipFile original = new ZipFile(appJar.toFile())) {
            assertThat(archive.mainClass()).isEqualTo(MAIN);
            List<String> originalNames = new ArrayList<>();
            for (ZipEntry e : Collections.list(original.entries())) {
                originalNames.add(e.getName());
                IndexedEntry packed = archive.find(e.getName());
                assertThat(packed).as(e.getName()).isNotNull();
                assertThat(packed.container()).isZero();
                try (InputStream in = original.getInputStream(e)) {
                    assertThat(archive.read(packed)).as(e.getName()).isEqualTo(in.readAllBytes());
                }
            }
            assertThat(archive.entries()).extracting(IndexedEntry::name)
                    .containsExactlyElementsOf(originalNames.stream().sorted().toList());
        }
        try (JarFile packed = new JarFile(out.toFile())) {
            Attributes main = packed.getManifest().getMainAttributes();
            assertThat(main.getValue("Main-Class")).isEqualTo("dev.hermetic.loader.Launcher");
            assertThat(main.getValue("Start-Class")).isEqualTo(MAIN);
            assertThat(main.getValue("Add-Opens")).as("carried from the --app jar").isEqualTo("java.base/java.lang");
        }
    }

    @Test
    void packWhenOnlySourcesThenPackerCompilesThemForRelease17AndShipsThemAsTrustedModules() throws IOException {
        Path out = tmp.resolve("compiled.jar");

        PackResult result = Packer.pack(PackOptions.builder().out(out).mainClass(MAIN).addSources(src).build());

        // What javac makes of the same sources with the options the index records, compiled independently.
        Path expected = javac(src, tmp.resolve("expected"), SourceCompiler.options(17));
        List<String> expectedNames = Stream.concat(classPathNames(expected).stream(),
                classPathNames(src).stream().filter(n -> !n.endsWith(".java"))).distinct().sorted().toList();
        assertThat(expectedNames).contains("com/example/app.properties", "com/example/Main$Inner.class");
        assertThat(result).isEqualTo(new PackResult(out, Files.size(out), expectedNames.size(), 2, 0, MAIN));
        String options = String.join(" ", SourceCompiler.options(17));
        assertThat(options).contains("--release 17");
        try (Archive archive = Archive.open(out); ZipFile zip = new ZipFile(out.toFile())) {
            assertThat(archive.entries()).extracting(IndexedEntry::name).containsExactlyElementsOf(expectedNames);
            for (IndexedEntry entry : archive.entries()) {
                Path from = entry.name().endsWith(".class") ? expected.resolve(entry.name()) : src.resolve(entry.name());
                byte[] bytes = archive.read(entry);
                assertThat(bytes).as(entry.name()).isEqualTo(entry.directory() ? new byte[0] : Files.readAllBytes(from));
                if (entry.name().endsWith(".class")) {
                    assertThat(ClassFileInfo.parse(bytes).major()).as(entry.name()).isEqualTo(61);
                }
            }
            assertThat(archive.modules()).extracting(Module::source, Module::mode, Module::hasSource,
                            Module::classVersion, Module::release, Module::compilerOptions)
                    .containsExactly(tuple("com/example/Greeting.java", ValidationMode.TRUSTED, true, 61, 17, options),
                            tuple("com/example/Main.java", ValidationMode.TRUSTED, true, 61, 17, options));
            for (Module module : archive.modules()) {
                byte[] source = Files.readAllBytes(src.resolve(module.source()));
                assertThat(module.sourceSha256()).as(module.source()).isEqualTo(sha256(source));
                assertThat(module.sourceSize()).isEqualTo(source.length);
                assertThat(archive.readSource(module)).isEqualTo(source);
                ZipEntry shipped = zip.getEntry("HERMETIC-INF/sources/" + module.source());
                assertThat(shipped).as(module.source()).isNotNull();
                assertThat(shipped.getMethod()).isEqualTo(ZipEntry.STORED);
                try (InputStream in = zip.getInputStream(shipped)) {
                    assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(source));
                }
            }
            assertThat(cachesByModule(archive)).isEqualTo(Map.of(
                    "com/example/Greeting.java", List.of("com/example/Greeting.class"),
                    "com/example/Main.java", List.of("com/example/Helper.class", "com/example/Main$Inner.class",
                            "com/example/Main.class")));
        }
    }

    @Test
    void packWhenAppAndSourcesThenModulesWhoseSourceIsShippedAreChecked() throws IOException {
        Path classes = compiledApp();
        Path shipped = tmp.resolve("shipped");
        Files.createDirectories(shipped.resolve("com/example"));
        Files.copy(src.resolve("com/example/Main.java"), shipped.resolve("com/example/Main.java"));
        Path out = tmp.resolve("app.jar");

        Packer.pack(PackOptions.builder().out(out).mainClass(MAIN).addApp(classes).addSources(shipped).build());

        byte[] source = Files.readAllBytes(shipped.resolve("com/example/Main.java"));
        try (Archive archive = Archive.open(out); ZipFile zip = new ZipFile(out.toFile())) {
            assertThat(archive.modules()).extracting(Module::source, Module::mode, Module::hasSource,
                            Module::classVersion, Module::release, Module::compilerOptions)
                    .containsExactly(tuple("com/example/Greeting.java", ValidationMode.TRUSTED, false, 61, 0, ""),
                            tuple("com/example/Main.java", ValidationMode.CHECKED, true, 61, 0, ""));
            Module main = archive.modules().get(1);
            assertThat(main.sourceSha256()).isEqualTo(sha256(source));
            assertThat(main.sourceSize()).isEqualTo(source.length);
            assertThat(archive.readSource(main)).isEqualTo(source);
            assertThat(zip.getEntry("HERMETIC-INF/sources/com/example/Main.java")).isNotNull();
            assertThat(zip.getEntry("HERMETIC-INF/sources/com/example/Greeting.java")).isNull();
            // The caches are the given ones, not recompiled.
            for (IndexedEntry entry : archive.entries()) {
                if (!entry.directory()) {
                    assertThat(archive.read(entry)).as(entry.name()).isEqualTo(Files.readAllBytes(classes.resolve(entry.name())));
                }
            }
        }
    }

    @Test
    void packWhenAppClassesHaveNoSourceFileAttributeThenEachIsTracedToItsTopLevelClassName() throws IOException {
        Path classes = compiledApp("-g:none");
        Path out = tmp.resolve("app.jar");

        Packer.pack(PackOptions.builder().out(out).mainClass(MAIN).addApp(classes).addSources(src).build());

        try (Archive archive = Archive.open(out)) {
            // Helper is declared in Main.java, which its class file no longer says: it is a module of its own.
            assertThat(archive.modules()).extracting(Module::source, Module::mode, Module::hasSource)
                    .containsExactly(tuple("com/example/Greeting.java", ValidationMode.CHECKED, true),
                            tuple("com/example/Helper.java", ValidationMode.TRUSTED, false),
                            tuple("com/example/Main.java", ValidationMode.CHECKED, true));
            assertThat(cachesByModule(archive)).isEqualTo(Map.of(
                    "com/example/Greeting.java", List.of("com/example/Greeting.class"),
                    "com/example/Helper.java", List.of("com/example/Helper.class"),
                    "com/example/Main.java", List.of("com/example/Main$Inner.class", "com/example/Main.class")));
        }
    }

    @Test
    void packWhenLibsThenTheyAreNestedWholeAndTheirStoredAndDeflatedEntriesReadBackIdentically() throws IOException {
        writeSource(tmp.resolve("libsrc"), "org.lib.Lib",
                "package org.lib;\npublic class Lib { public static String name() { return \"lib\"; } }\n");
        Path libClasses = javac(tmp.resolve("libsrc"), tmp.resolve("libclasses"), List.of());
        byte[] binary = new byte[70_000];
        new Random(7).nextBytes(binary);
        Path alpha = jar().mainClass("org.lib.Lib").tree(libClasses, false)
                .deflated("org/lib/deflated.txt", "deflated text ".repeat(100))
                .stored("org/lib/stored.bin", binary)
                .stored("org/lib/empty.txt", new byte[0])
                .deflated("org/lib/random.bin", Arrays.copyOf(binary, 5000))
                .write(tmp.resolve("alpha.jar"));
        Path beta = jar().stored("beta/b.txt", "b").deflated("beta/c.txt", "c").write(tmp.resolve("beta.jar"));
        Path classes = compiledApp();
        Path out = tmp.resolve("app.jar");

        PackResult result = Packer.pack(PackOptions.builder().out(out).mainClass(MAIN).addApp(classes)
                .addLib(alpha).addLib(beta).build());

        byte[] archiveBytes = Files.readAllBytes(out);
        try (Archive archive = Archive.open(out)) {
            List<Container> containers = archive.containers();
            assertThat(containers).extracting(Container::id, Container::entry, Container::size)
                    .containsExactly(tuple(0, ArchiveLayout.CLASSES, 0L),
                            tuple(1, "HERMETIC-INF/lib/alpha.jar", Files.size(alpha)),
                            tuple(2, "HERMETIC-INF/lib/beta.jar", Files.size(beta)));
            int libEntries = 0;
            for (Container container : containers.subList(1, 3)) {
                Path lib = container.id() == 1 ? alpha : beta;
                byte[] slice = Arrays.copyOfRange(archiveBytes, (int) container.offset(),
                        (int) (container.offset() + container.size()));
                assertThat(slice).as("%s nested whole", lib).isEqualTo(Files.readAllBytes(lib));
                List<String> originalNames = new ArrayList<>();
                try (ZipFile original = new ZipFile(lib.toFile())) {
                    for (ZipEntry e : Collections.list(original.entries())) {
                        originalNames.add(e.getName());
                        List<IndexedEntry> packed = archive.findAll(e.getName()).stream()
                                .filter(p -> p.container() == container.id()).toList();
                        assertThat(packed).as(e.getName()).hasSize(1);
                        IndexedEntry p = packed.get(0);
                        assertThat(p.method()).as(e.getName()).isEqualTo(e.getMethod());
                        assertThat(p.size()).isEqualTo(e.getSize());
                        assertThat(p.compressedSize()).isEqualTo(e.getCompressedSize());
                        assertThat(Integer.toUnsignedLong(p.crc32())).isEqualTo(e.getCrc());
                        try (InputStream in = original.getInputStream(e)) {
                            assertThat(archive.read(p)).as(e.getName()).isEqualTo(in.readAllBytes());
                        }
                    }
                }
                assertThat(archive.entries().stream().filter(e -> e.container() == container.id()).map(IndexedEntry::name))
                        .containsExactlyInAnyOrderElementsOf(originalNames);
                libEntries += originalNames.size();
            }
            assertThat(archive.find("org/lib/stored.bin").stored()).isTrue();
            assertThat(archive.find("org/lib/deflated.txt").stored()).isFalse();
            assertThat(result.nestedJars()).isEqualTo(2);
            assertThat(result.entries()).isEqualTo(classPathNames(classes).size() + libEntries);
        }
    }

    @Test
    void packWhenSameResourceIsInAppAndLibsThenGetResourcesListsAppFirstThenLibsInOptionOrder() throws IOException {
        Path classes = compiledApp();
        write(classes.resolve("shared/config.txt"), "app");
        // Given z before a: class-path order is option order, not name order.
        Path z = jar().deflated("shared/config.txt", "z").write(tmp.resolve("z.jar"));
        Path a = jar().stored("shared/config.txt", "a").write(tmp.resolve("a.jar"));
        Path out = tmp.resolve("app.jar");

        Packer.pack(PackOptions.builder().out(out).mainClass(MAIN).addApp(classes).addLib(z).addLib(a).build());

        try (Archive archive = Archive.open(out)) {
            List<IndexedEntry> all = archive.findAll("shared/config.txt");
            assertThat(all).extracting(archive::describe).containsExactly(
                    "HERMETIC-INF/classes/shared/config.txt",
                    "HERMETIC-INF/lib/z.jar!/shared/config.txt",
                    "HERMETIC-INF/lib/a.jar!/shared/config.txt");
            List<String> contents = new ArrayList<>();
            for (IndexedEntry e : all) {
                contents.add(new String(archive.read(e), StandardCharsets.UTF_8));
            }
            assertThat(contents).containsExactly("app", "z", "a");
        }
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(out)) {
            List<String> contents = new ArrayList<>();
            for (Enumeration<URL> urls = loader.getResources("shared/config.txt"); urls.hasMoreElements(); ) {
                contents.add(read(urls.nextElement()));
            }
            assertThat(contents).containsExactly("app", "z", "a");
            assertThat(read(loader.getResource("shared/config.txt"))).isEqualTo("app");
        }
    }

    @Test
    void packWhenResourceIsInTwoAppInputsThenTheFirstWins() throws IOException {
        Path classes = compiledApp();
        Path second = jar().deflated("com/example/app.properties", "name=second\n").write(tmp.resolve("second.jar"));
        Path out = tmp.resolve("app.jar");

        Packer.pack(PackOptions.builder().out(out).mainClass(MAIN).addApp(classes).addApp(second).build());

        try (Archive archive = Archive.open(out)) {
            assertThat(archive.findAll("com/example/app.properties")).hasSize(1);
            assertThat(archive.read(archive.find("com/example/app.properties")))
                    .isEqualTo("name=example\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void packWhenAppAndSourcesAreSymbolicLinksThenTheFilesTheyPointToArePacked() throws IOException {
        // Build sandboxes (Bazel) hand over trees of links; `ln -s target/classes app` is common too.
        Path classes = compiledApp();
        Path linkedClasses = Files.createSymbolicLink(tmp.resolve("linked-classes"), classes);
        Path linkedSrc = Files.createSymbolicLink(tmp.resolve("linked-src"), src);
        Path direct = tmp.resolve("direct.jar");
        Path linked = tmp.resolve("linked.jar");
        Path compiledDirect = tmp.resolve("compiled-direct.jar");
        Path compiledLinked = tmp.resolve("compiled-linked.jar");

        Packer.pack(PackOptions.builder().out(direct).mainClass(MAIN).addApp(classes).addSources(src).build());
        Packer.pack(PackOptions.builder().out(linked).mainClass(MAIN).addApp(linkedClasses).addSources(linkedSrc).build());
        Packer.pack(PackOptions.builder().out(compiledDirect).mainClass(MAIN).addSources(src).build());
        Packer.pack(PackOptions.builder().out(compiledLinked).mainClass(MAIN).addSources(linkedSrc).build());

        assertThat(Files.readAllBytes(linked)).isEqualTo(Files.readAllBytes(direct));
        assertThat(Files.readAllBytes(compiledLinked)).isEqualTo(Files.readAllBytes(compiledDirect));
        try (Archive archive = Archive.open(linked)) {
            assertThat(archive.find("com/example/Main.class")).isNotNull();
            assertThat(archive.modules()).extracting(Module::mode).containsOnly(ValidationMode.CHECKED);
        }
    }

    @Test
    void packWhenAnAppDirectoryHoldsASymbolicLinkLoopThenFailsNamingTheLink() throws IOException {
        Path classes = compiledApp();
        Path loop = Files.createSymbolicLink(classes.resolve("com/example/loop"), classes.resolve("com"));
        assertThatThrownBy(() -> Packer.pack(options().addApp(classes).build()))
                .isInstanceOf(PackException.class)
                .hasMessage(loop + ": symbolic link loop: it leads back to a directory containing it");
    }

    @Test
    void packWhenOutExistsThenItIsReplacedAndNoTemporaryFileIsLeft() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("dist"));
        Path out = write(dir.resolve("app.jar"), "an older file");

        Packer.pack(PackOptions.builder().out(out).mainClass(MAIN).addApp(compiledApp()).build());

        try (Archive archive = Archive.open(out)) {
            assertThat(archive.mainClass()).isEqualTo(MAIN);
        }
        assertThat(list(dir)).containsExactly("app.jar");
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void packWhenAppIsMissingThenFailsNamingIt() {
        Path missing = tmp.resolve("no-such-classes");
        assertThatThrownBy(() -> Packer.pack(options().addApp(missing).build()))
                .isInstanceOf(PackException.class)
                .hasMessage(missing + ": --app: no such file or directory");
    }

    @Test
    void packWhenLibIsMissingThenFailsNamingIt() throws IOException {
        Path missing = tmp.resolve("no-such-lib.jar");
        PackOptions options = options().addApp(compiledApp()).addLib(missing).build();
        assertThatThrownBy(() -> Packer.pack(options))
                .isInstanceOf(PackException.class)
                .hasMessage(missing + ": --lib: no such file or directory");
    }

    @Test
    void packWhenSourcesAreMissingThenFailsNamingThem() {
        Path missing = tmp.resolve("no-such-src");
        assertThatThrownBy(() -> Packer.pack(options().addSources(missing).build()))
                .isInstanceOf(PackException.class)
                .hasMessage(missing + ": --sources: no such file or directory");
    }

    @Test
    void packWhenLibIsATextFileThenFailsSayingItIsNotAJar() throws IOException {
        Path text = write(tmp.resolve("notes.jar"), "just text, not a jar\n");
        PackOptions options = options().addApp(compiledApp()).addLib(text).build();
        assertThatThrownBy(() -> Packer.pack(options))
                .isInstanceOf(PackException.class)
                .hasMessage(text + ": --lib: not a zip archive: 21 bytes is shorter than an end-of-central-directory record");
    }

    @Test
    void packWhenLibIsADirectoryThenFailsSayingItIsNotAJar() throws IOException {
        Path classes = compiledApp();
        PackOptions options = options().addApp(classes).addLib(classes).build();
        assertThatThrownBy(() -> Packer.pack(options))
                .isInstanceOf(PackException.class)
                .hasMessage(classes + ": --lib: is a directory, not a jar");
    }

    @Test
    void packWhenAppIsATextFileThenFailsSayingItIsNotAJar() throws IOException {
        Path text = write(tmp.resolve("app.txt"), "just text, not a jar\n");
        assertThatThrownBy(() -> Packer.pack(options().addApp(text).build()))
                .isInstanceOf(PackException.class)
                .hasMessage(text + ": --app: not a jar or directory (zip END header not found)");
    }

    @Test
    void packWhenSourcesIsAFileThenFailsAskingForTheRoot() throws IOException {
        Path file = src.resolve("com/example/Main.java");
        assertThatThrownBy(() -> Packer.pack(options().addSources(file).build()))
                .isInstanceOf(PackException.class)
                .hasMessage(file + ": --sources: not a directory (give the root of the package tree)");
    }

    @Test
    void packWhenMainClassIsGivenWithSlashesThenTheArchiveRecordsItsBinaryName() throws IOException {
        // `java -cp classes com/example/Main` runs; the launcher loads binary names only.
        Path out = tmp.resolve("app.jar");

        PackResult result = Packer.pack(PackOptions.builder().out(out).mainClass("com/example/Main").addApp(compiledApp()).build());

        assertThat(result.mainClass()).isEqualTo(MAIN);
        try (Archive archive = Archive.open(out); JarFile jar = new JarFile(out.toFile())) {
            assertThat(archive.mainClass()).isEqualTo(MAIN);
            assertThat(jar.getManifest().getMainAttributes().getValue("Start-Class")).isEqualTo(MAIN);
        }
    }

    @Test
    void packWhenLibHasAScriptBeforeItsZipDataThenItsEntriesAreServedFromTheirTrueOffsets() throws IOException {
        // A "fully executable" jar (Spring Boot's launch script): a shell script, then the zip.
        Path plain = jar().deflated("org/lib/deflated.txt", "deflated ".repeat(50)).stored("org/lib/stored.txt", "stored")
                .write(tmp.resolve("plain.jar"));
        Path executable = tmp.resolve("executable.jar");
        Files.write(executable, ("#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n").getBytes(StandardCharsets.UTF_8));
        Files.write(executable, Files.readAllBytes(plain), java.nio.file.StandardOpenOption.APPEND);
        Path out = tmp.resolve("app.jar");

        Packer.pack(PackOptions.builder().out(out).mainClass(MAIN).addApp(compiledApp()).addLib(executable).build());

        try (Archive archive = Archive.open(out)) {
            assertThat(archive.read(archive.find("org/lib/deflated.txt")))
                    .isEqualTo("deflated ".repeat(50).getBytes(StandardCharsets.UTF_8));
            assertThat(archive.read(archive.find("org/lib/stored.txt"))).isEqualTo("stored".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void packWhenTwoLibsHaveTheSameFileNameThenFailsNamingTheSecond() throws IOException {
        Path first = jar().stored("a.txt", "a").write(tmp.resolve("one/dep.jar"));
        Path second = jar().stored("b.txt", "b").write(tmp.resolve("two/dep.jar"));
        PackOptions options = options().addApp(compiledApp()).addLib(first).addLib(second).build();
        assertThatThrownBy(() -> Packer.pack(options))
                .isInstanceOf(PackException.class)
                .hasMessage(second + ": --lib: another --lib jar has the same file name");
    }

    @Test
    void packWhenTwoSourceRootsHoldTheSameSourceThenFailsNamingBoth() throws IOException {
        Path other = tmp.resolve("other-src");
        Path copy = write(other.resolve("com/example/Main.java"), Files.readAllBytes(src.resolve("com/example/Main.java")));
        assertThatThrownBy(() -> Packer.pack(options().addSources(src).addSources(other).build()))
                .isInstanceOf(PackException.class)
                .hasMessage(copy + ": --sources: com/example/Main.java is also in " + src.resolve("com/example/Main.java")
                        + "; each source may come from one root only");
    }

    @Test
    void packWhenAnAppClassFileIsNotAClassFileThenFailsNamingIt() throws IOException {
        Path classes = compiledApp();
        write(classes.resolve("com/example/Bad.class"), "not a class file");
        assertThatThrownBy(() -> Packer.pack(options().addApp(classes).build()))
                .isInstanceOf(PackException.class)
                .hasMessage(classes + ": com/example/Bad.class is not a valid class file: not a class file (bad magic)");
    }

    @Test
    void packWhenTwoAppClassFilesAreNotClassFilesThenEveryThreadCountNamesTheFirstByNameAndLeavesNoThread()
            throws IOException {
        Path classes = compiledApp();
        write(classes.resolve("com/example/Bad.class"), "not a class file");
        write(classes.resolve("com/example/Worse.class"), new byte[] {(byte) 0xCA, (byte) 0xFE});
        Path out = tmp.resolve("app.jar");
        for (int threads : List.of(1, 2, 4, 64)) {
            assertThatThrownBy(() -> Packer.pack(options().addApp(classes).threads(threads).build()))
                    .as("%d threads", threads)
                    .isInstanceOf(PackException.class)
                    .hasMessage(classes + ": com/example/Bad.class is not a valid class file: not a class file (bad magic)");
            assertThat(Thread.getAllStackTraces().keySet()).as("%d threads", threads)
                    .noneMatch(t -> t.getName().startsWith("hermetic-pack-"));
            assertThat(out).doesNotExist();
            assertThat(tmp).isDirectoryNotContaining("glob:**.hermetic-tmp");
        }
    }

    @Test
    void packWhenOutIsADirectoryThenFailsSayingSo() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out.jar"));
        PackOptions options = PackOptions.builder().out(out).mainClass(MAIN).addApp(compiledApp()).build();
        assertThatThrownBy(() -> Packer.pack(options))
                .isInstanceOf(PackException.class)
                .hasMessage(out + ": --out: is a directory");
    }

    @Test
    void packWhenMainClassIsUnknownThenFailsNamingIt() throws IOException {
        PackOptions options = PackOptions.builder().out(tmp.resolve("app.jar")).mainClass("com.example.Nope")
                .addApp(compiledApp()).build();
        assertThatThrownBy(() -> Packer.pack(options))
                .isInstanceOf(PackException.class)
                .hasMessage("main class com.example.Nope is not in the application or its libraries");
    }

    @Test
    void packWhenNoMainClassIsGivenOrInAJarManifestThenFailsSayingHowToGiveOne() throws IOException {
        PackOptions options = PackOptions.builder().out(tmp.resolve("app.jar")).addApp(compiledApp()).build();
        assertThatThrownBy(() -> Packer.pack(options))
                .isInstanceOf(PackException.class)
                .hasMessage("no main class: give --main-class, or an --app jar whose manifest has Main-Class");
    }

    @Test
    void packWhenSameClassIsInTwoAppInputsThenFailsNamingBoth() throws IOException {
        Path classes = compiledApp();
        Path other = jar().deflated("com/example/Main.class", Files.readAllBytes(classes.resolve("com/example/Main.class")))
                .write(tmp.resolve("other.jar"));
        assertThatThrownBy(() -> Packer.pack(options().addApp(classes).addApp(other).build()))
                .isInstanceOf(PackException.class)
                .hasMessage(other + ": class com/example/Main.class is also in " + classes
                        + "; an application class may come from one --app input only");
    }

    @Test
    void packWhenOutIsInAMissingDirectoryThenFailsNamingTheDirectory() throws IOException {
        Path out = tmp.resolve("missing/app.jar");
        PackOptions options = PackOptions.builder().out(out).mainClass(MAIN).addApp(compiledApp()).build();
        assertThatThrownBy(() -> Packer.pack(options))
                .isInstanceOf(PackException.class)
                .hasMessage(out + ": --out: directory " + tmp.resolve("missing") + " does not exist");
        assertThat(tmp.resolve("missing")).doesNotExist();
    }

    @Test
    void packWhenASourceDoesNotCompileThenFailsNamingTheFileAndLine() throws IOException {
        Path broken = writeBrokenSource();
        assertThatThrownBy(() -> Packer.pack(options().addSources(src).build()))
                .isInstanceOf(PackException.class)
                .hasMessage(broken + ": does not compile: line 5: cannot find symbol");
    }

    // ---------------------------------------------------------------- atomic output

    @Test
    void packWhenMainClassIsUnknownThenExistingOutIsUnchangedAndNoTemporaryFileIsLeft() throws IOException {
        Path classes = compiledApp();
        assertFailedPackLeavesOutAlone(out -> PackOptions.builder().out(out).mainClass("com.example.Nope").addApp(classes),
                "main class com.example.Nope is not in the application or its libraries");
    }

    @Test
    void packWhenASourceDoesNotCompileThenExistingOutIsUnchangedAndNoTemporaryFileIsLeft() throws IOException {
        Path broken = writeBrokenSource();
        assertFailedPackLeavesOutAlone(out -> PackOptions.builder().out(out).mainClass(MAIN).addSources(src),
                broken + ": does not compile: line 5: cannot find symbol");
    }

    @Test
    void packWhenWritingFailsAfterTheTemporaryFileExistsThenExistingOutIsUnchangedAndTheTemporaryFileIsGone()
            throws IOException {
        Path classes = compiledApp();
        assertFailedPackLeavesOutAlone(out -> PackOptions.builder().out(out).mainClass(MAIN).addApp(classes)
                        .timestamp(Instant.parse("1970-01-01T00:00:00Z")),
                "entry time 1970-01-01T00:00:00Z (from --timestamp or SOURCE_DATE_EPOCH) is outside the zip format's range (1980 to 2107)");
    }

    @Test
    void packWhenANestedJarFailsHalfwayThroughWritingThenExistingOutIsUnchangedAndTheTemporaryFileIsGone()
            throws IOException {
        Path classes = compiledApp();
        // A zip with one name twice: the JDK's writer refuses to make one, Commons Compress does not.
        Path twice = tmp.resolve("twice.jar");
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(twice)) {
            for (String text : List.of("first", "second")) {
                zip.putArchiveEntry(new ZipArchiveEntry("dup.txt"));
                zip.write(text.getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
        }
        assertFailedPackLeavesOutAlone(out -> PackOptions.builder().out(out).mainClass(MAIN).addApp(classes).addLib(twice),
                twice + ": --lib: duplicate entry dup.txt");
    }

    interface OptionsFor {
        PackOptions.Builder options(Path out);
    }

    /** Packs an archive to {@code out}, then packs again with failing options: {@code out} stays as it was. */
    void assertFailedPackLeavesOutAlone(OptionsFor failing, String message) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("dist"));
        Path out = dir.resolve("app.jar");
        Path good = tmp.resolve("good-classes");
        javac(tmp.resolve("good-src"), good, List.of());
        Packer.pack(PackOptions.builder().out(out).mainClass("good.Good").addApp(good).build());
        byte[] before = Files.readAllBytes(out);

        assertThatThrownBy(() -> Packer.pack(failing.options(out).build()))
                .isInstanceOf(PackException.class)
                .hasMessage(message);

        assertThat(Files.readAllBytes(out)).isEqualTo(before);
        assertThat(list(dir)).containsExactly("app.jar");
    }

    @BeforeEach
    void writeGoodSource() throws IOException {
        writeSource(tmp.resolve("good-src"), "good.Good", "package good; public class Good { public static void main(String[] a) {} }\n");
    }

    Path writeBrokenSource() throws IOException {
        return writeSource(src, "com.example.Broken", """
                package com.example;

                public class Broken {
                    int value() {
                        return undefinedName;
                    }
                }
                """);
    }

    // ---------------------------------------------------------------- helpers

    /** Options with everything but the inputs. */
    PackOptions.Builder options() {
        return PackOptions.builder().out(tmp.resolve("app.jar")).mainClass(MAIN);
    }

    static Map<String, List<String>> cachesByModule(Archive archive) throws IOException {
        Map<String, List<String>> caches = new TreeMap<>();
        List<Module> modules = archive.modules();
        for (IndexedEntry entry : archive.entries()) {
            if (entry.module() >= 0) {
                caches.computeIfAbsent(modules.get(entry.module()).source(), s -> new ArrayList<>()).add(entry.name());
            }
        }
        return caches;
    }

    static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static String read(URL url) throws IOException {
        URLConnection connection = url.openConnection();
        connection.setUseCaches(false);
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
