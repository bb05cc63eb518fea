package dev.hermetic.loader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hermetic.loader.archive.TestArchives;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherClassLoaderTests {
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    /**
     * Two classes whose names have the same {@link String#hashCode}, and one that uses both and the JDK,
     * by name in a jar ({@code p/Aa.class}).
     */
    private static Map<String, byte[]> classes;

    @BeforeAll
    static void compile() throws IOException {
        assertThat("p.Aa".hashCode()).isEqualTo("p.BB".hashCode());
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("p/Aa.java", "package p; public class Aa { public static String name() { return \"Aa\"; } }");
        sources.put("p/BB.java", "package p; public class BB { public static String name() { return \"BB\"; } }");
        sources.put("p/Uses.java", "package p; public class Uses { public static String names() {"
                + " return Aa.name() + BB.name() + java.sql.Types.class.getSimpleName()"
                + " + new java.util.ArrayList<String>().size(); } }");
        classes = TestArchives.compile(shared, sources);
    }

    private static ProtectionDomain domain(Path archive) throws IOException {
        return new ProtectionDomain(new CodeSource(archive.toUri().toURL(), (Certificate[]) null), null);
    }

    /**
     * An archive as the packer starts one: {@code META-INF/}, a manifest, then the given third entry, and
     * one more, all STORED with their sizes up front; a new file at each call.
     */
    private Path archive(String name, byte[] entry) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/", new byte[0]);
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n".getBytes(UTF_8));
        entries.put(name, entry);
        entries.put("z.txt", "after".getBytes(UTF_8));
        return write(TestArchives.jar(entries, entries.keySet().toArray(new String[0])));
    }

    private Path write(byte[] zip) throws IOException {
        return Files.write(Files.createTempFile(dir, "archive", ".jar"), zip);
    }

    /** The loaders {@link #open} made, closed after each test: they hold their archive open. */
    private final List<LauncherClassLoader> opened = new ArrayList<>();

    @AfterEach
    void closeLoaders() throws IOException {
        for (LauncherClassLoader loader : opened) {
            loader.close();
        }
    }

    private LauncherClassLoader open(Path archive) throws IOException {
        LauncherClassLoader loader = LauncherClassLoader.open(archive.toFile(), domain(archive));
        if (loader != null) {
            opened.add(loader);
        }
        return loader;
    }

    @Test
    void loadClassWhenTheTableHoldsTheClassThenDefinesItThereWithTheArchiveDomain() throws Exception {
        Path archive = archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes));
        LauncherClassLoader loader = open(archive);

        Class<?> uses = loader.loadClass("p.Uses");

        assertThat(uses.getClassLoader()).isSameAs(loader);
        assertThat(uses.getMethod("names").invoke(null)).isEqualTo("AaBBTypes0");
        assertThat(loader.loadClass("p.Aa").getClassLoader()).isSameAs(loader);
        assertThat(uses.getProtectionDomain().getCodeSource().getLocation()).isEqualTo(archive.toUri().toURL());
        assertThat(loader.loadClass("p.Uses")).isSameAs(uses);
    }

    @Test
    void loadClassWhenThreadsAskForTheSameClassesAtOnceThenEachIsDefinedOnce() throws Exception {
        LauncherClassLoader loader = open(archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes)));
        List<String> names = List.of("p.Uses", "p.Aa", "p.BB");
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Class<?>>>> loads = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                loads.add(pool.submit(() -> {
                    start.await();
                    List<Class<?>> loaded = new ArrayList<>();
                    for (String name : names) {
                        loaded.add(loader.loadClass(name));
                    }
                    return loaded;
                }));
            }
            List<Class<?>> first = loads.get(0).get(30, TimeUnit.SECONDS);
            for (Future<List<Class<?>>> load : loads) {
                assertThat(load.get(30, TimeUnit.SECONDS)).containsExactlyElementsOf(first);
            }
            assertThat(first).extracting(Class::getName).containsExactlyElementsOf(names);
            assertThat(first).allSatisfy(c -> assertThat(c.getClassLoader()).isSameAs(loader));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void loadClassWhenTwoNamesShareAHashThenEachFindsItsOwnClass() throws Exception {
        LauncherClassLoader loader = open(archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes)));

        assertThat(loader.loadClass("p.Aa").getMethod("name").invoke(null)).isEqualTo("Aa");
        assertThat(loader.loadClass("p.BB").getMethod("name").invoke(null)).isEqualTo("BB");
    }

    @Test
    void loadClassWhenAJdkClassIsAskedThenTheJdksOwnIsReturned() throws Exception {
        LauncherClassLoader loader = open(archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes)));

        assertThat(loader.loadClass("java.lang.String")).isSameAs(String.class);
        assertThat(loader.loadClass("java.sql.Types")).isSameAs(java.sql.Types.class);
        assertThat(loader.loadClass("javax.tools.ToolProvider")).isSameAs(javax.tools.ToolProvider.class);
    }

    @Test
    void loadClassWhenTheNameIsNeitherTheTablesNorTheJdksThenClassNotFound() throws Exception {
        LauncherClassLoader loader = open(archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes)));

        assertThatThrownBy(() -> loader.loadClass("p.Missing")).isInstanceOf(ClassNotFoundException.class)
                .hasMessage("p.Missing");
        assertThatThrownBy(() -> loader.loadClass("java.lang.Missing")).isInstanceOf(ClassNotFoundException.class)
                .hasMessage("java.lang.Missing");
    }

    @Test
    void loaderWhenMadeThenItIsParallelCapableUnderThePlatformLoader() throws Exception {
        LauncherClassLoader loader = open(archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes)));

        assertThat(loader.isRegisteredAsParallelCapable()).isTrue();
        assertThat(loader.getParent()).isSameAs(ClassLoader.getPlatformClassLoader());
    }

    @Test
    void openWhenTheEntryIsNotAmongTheFirstEntriesThenNull() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String name : new String[] {"META-INF/", "META-INF/MANIFEST.MF", "a.txt"}) {
            entries.put(name, new byte[0]);
        }
        entries.put(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes));
        Path file = write(TestArchives.jar(entries, entries.keySet().toArray(new String[0])));

        assertThat(open(file)).isNull();
        assertThat(open(archive("other.bin", LauncherClassTable.write(classes)))).isNull();
    }

    /** An archive a zip tool rewrote: the table DEFLATED after another entry, out of its place. */
    private Path rewritten(byte[] table) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String name : new String[] {"META-INF/", "META-INF/MANIFEST.MF", "a.txt"}) {
            entries.put(name, new byte[0]);
        }
        entries.put(LauncherClassLoader.ENTRY, table);
        return write(TestArchives.jar(entries, "META-INF/MANIFEST.MF", "a.txt"));
    }

    @Test
    void readWhenTheEntryIsDeflatedOutOfItsPlaceThenDefinesItsClassesWithTheArchiveDomain() throws Exception {
        Path file = rewritten(LauncherClassTable.write(classes));

        LauncherClassLoader loader = LauncherClassLoader.read(file.toFile(), domain(file));

        assertThat(open(file)).isNull();
        Class<?> uses = loader.loadClass("p.Uses");
        assertThat(uses.getClassLoader()).isSameAs(loader);
        assertThat(uses.getMethod("names").invoke(null)).isEqualTo("AaBBTypes0");
        assertThat(loader.loadClass("p.BB").getMethod("name").invoke(null)).isEqualTo("BB");
        assertThat(uses.getProtectionDomain().getCodeSource().getLocation()).isEqualTo(file.toUri().toURL());
    }

    @Test
    void readWhenTheArchiveHasNoEntryThenNull() throws Exception {
        Path file = archive("other.bin", LauncherClassTable.write(classes));

        assertThat(LauncherClassLoader.read(file.toFile(), domain(file))).isNull();
    }

    @Test
    void readWhenTheEntryIsNotATableThenFailsNamingTheArchiveAndTheEntry() throws Exception {
        Path file = rewritten("HRMLxxxxxxxxxxxx".getBytes(UTF_8));

        assertThatThrownBy(() -> LauncherClassLoader.read(file.toFile(), domain(file))).isInstanceOf(ZipException.class)
                .hasMessage(file + ": " + LauncherClassLoader.ENTRY + ": not a table of launcher classes of version 1");
    }

    @Test
    void readWhenTheEntryIsLargerThanAnyTableThenFailsNamingItsLimit() throws Exception {
        Path file = rewritten(new byte[(16 << 20) + 1]);

        assertThatThrownBy(() -> LauncherClassLoader.read(file.toFile(), domain(file))).isInstanceOf(ZipException.class)
                .hasMessage(file + ": " + LauncherClassLoader.ENTRY + ": more than 16777216 bytes: not a table of launcher"
                        + " classes");
    }

    @Test
    void openWhenTheEntryIsDeflatedWithItsSizesInTheLocalHeaderThenNull() throws Exception {
        Path stored = archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes));
        // the local header says DEFLATED, its sizes equal and up front: the method alone refuses it
        Path file = write(patch(Files.readAllBytes(stored), localHeaderOffset(stored, 2) + 8, new byte[] {8, 0}));

        assertThat(localHeaderFlags(file, 2) & 8).isZero();
        assertThat(open(file)).isNull();
    }

    @Test
    void openWhenAnEarlierEntryHasADataDescriptorThenNull() throws Exception {
        Path stored = archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes));
        // the first entry says its sizes follow its data, yet keeps them in its header: the flag alone refuses it
        Path file = write(patch(Files.readAllBytes(stored), localHeaderOffset(stored, 0) + 6, new byte[] {8, 0}));

        assertThat(localHeaderFlags(file, 0) & 8).isEqualTo(8);
        assertThat(open(file)).isNull();
    }

    @Test
    void openWhenTheLocalHeaderSaysZip64OrEncryptedThenNull() throws Exception {
        Path archive = archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes));
        long third = localHeaderOffset(archive, 2);
        // a zip64 size is also larger than this archive: only one over 4 GiB would tell the two checks apart
        Path zip64 = write(patch(Files.readAllBytes(archive), third + 18, new byte[] {-1, -1, -1, -1}));
        Path encrypted = write(patch(Files.readAllBytes(archive), third + 6, new byte[] {1, 0}));

        assertThat(open(zip64)).isNull();
        assertThat(open(encrypted)).isNull();
    }

    @Test
    void openWhenTheArchiveIsCutBeforeTheEntryThenNull() throws Exception {
        Path archive = archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes));
        Path cut = write(Arrays.copyOf(Files.readAllBytes(archive), (int) localHeaderOffset(archive, 2) + 10));

        assertThat(open(cut)).isNull();
    }

    @Test
    void openWhenTheEntryIsNotATableThenFailsNamingTheArchiveAndTheEntry() throws Exception {
        Path archive = archive(LauncherClassLoader.ENTRY, "HRMLxxxxxxxxxxxx".getBytes(UTF_8));

        assertThatThrownBy(() -> open(archive)).isInstanceOf(ZipException.class)
                .hasMessage(archive + ": " + LauncherClassLoader.ENTRY + ": not a table of launcher classes of version 1");
    }

    @Test
    void openWhenARowPointsPastTheEntryThenFailsNamingTheClassRow() throws Exception {
        byte[] table = LauncherClassTable.write(classes);
        byte[] cut = Arrays.copyOf(table, table.length - 1);
        Path archive = archive(LauncherClassLoader.ENTRY, cut);

        assertThatThrownBy(() -> open(archive)).isInstanceOf(ZipException.class)
                .hasMessageStartingWith(archive + ": " + LauncherClassLoader.ENTRY + ": class ")
                .hasMessageEndingWith(" of 3 lies outside its part of the entry's " + cut.length + " bytes");
    }

    @Test
    void openWhenTheCountExceedsTheEntryThenFails() throws Exception {
        byte[] full = LauncherClassTable.write(classes);
        byte[] table = Arrays.copyOf(full, 12);
        table[6] = 0x7F;
        table[7] = 0;
        Path archive = archive(LauncherClassLoader.ENTRY, table);

        assertThatThrownBy(() -> open(archive)).isInstanceOf(ZipException.class)
                .hasMessage(archive + ": " + LauncherClassLoader.ENTRY + ": 32512 classes and their names in "
                        + ByteBuffer.wrap(full).getInt(8) + " bytes: not a table of an entry of 12 bytes");
    }

    @Test
    void openWhenRowsAreOutOfHashOrderThenFailsNamingTheRow() throws Exception {
        byte[] table = LauncherClassTable.write(classes);
        // swap the first two rows: still inside the entry, no longer sorted
        byte[] first = Arrays.copyOfRange(table, 12, 30);
        System.arraycopy(table, 30, table, 12, 18);
        System.arraycopy(first, 0, table, 30, 18);
        assertThat(ByteBuffer.wrap(table).getInt(12)).isNotEqualTo(ByteBuffer.wrap(table).getInt(30));
        Path archive = archive(LauncherClassLoader.ENTRY, table);

        assertThatThrownBy(() -> open(archive)).isInstanceOf(ZipException.class)
                .hasMessage(archive + ": " + LauncherClassLoader.ENTRY + ": class 1 of 3 is out of hash order");
    }

    @Test
    void openWhenANameOrAClassFileLiesInAnotherPartThenFailsNamingTheRow() throws Exception {
        byte[] table = LauncherClassTable.write(classes);
        int names = ByteBuffer.wrap(table).getInt(8);
        Path nameInRows = archive(LauncherClassLoader.ENTRY, patch(table, 12 + 4, ByteBuffer.allocate(4).putInt(12).array()));
        Path classInNames = archive(LauncherClassLoader.ENTRY,
                patch(table, 12 + 10, ByteBuffer.allocate(4).putInt(names - 1).array()));
        Path negative = archive(LauncherClassLoader.ENTRY, patch(table, 12 + 14, new byte[] {-128, 0, 0, 0}));

        for (Path archive : List.of(nameInRows, classInNames, negative)) {
            assertThatThrownBy(() -> open(archive)).as("%s", archive).isInstanceOf(ZipException.class)
                    .hasMessage(archive + ": " + LauncherClassLoader.ENTRY + ": class 0 of 3 lies outside its part of the"
                            + " entry's " + table.length + " bytes");
        }
    }

    @Test
    void openWhenTheNamesEndIsImpossibleThenFailsWithoutReadingIt() throws Exception {
        byte[] table = LauncherClassTable.write(classes);
        Path archive = archive(LauncherClassLoader.ENTRY, patch(table, 8, new byte[] {-128, 0, 0, 0}));

        assertThatThrownBy(() -> open(archive)).isInstanceOf(ZipException.class)
                .hasMessage(archive + ": " + LauncherClassLoader.ENTRY + ": 3 classes and their names in -2147483648 bytes:"
                        + " not a table of an entry of " + table.length + " bytes");
    }

    /**
     * Code running with no permissions may still have the launcher's loader resolve JDK classes: a
     * security manager that denies it the boot loader sends the loader the platform loader's way, which
     * runs privileged. JDK 17 only: later JDKs refuse a security manager.
     */
    @Test
    void loadClassWhenASecurityManagerDeniesTheCallerTheBootLoaderThenThePlatformLoaderServes() throws Exception {
        assumeTrue(Runtime.version().feature() < 18,
                "this JDK refuses a security manager by default");
        LauncherClassLoader loader = open(archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes)));

        Class<?> loaded = Sandbox.run(() -> loader.loadClass("java.util.zip.Inflater"));

        assertThat(loaded).isSameAs(java.util.zip.Inflater.class);
    }

    @Test
    void entryPointWhenTheTableHasNoLaunchThenFailsNamingTheArchiveAndTheEntry() throws Exception {
        Path archive = archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes));
        LauncherClassLoader loader = open(archive);

        assertThatThrownBy(loader::entryPoint).isInstanceOf(ZipException.class)
                .hasMessage(archive + ": " + LauncherClassLoader.ENTRY + ": no launch to run: "
                        + "java.lang.ClassNotFoundException: " + Launch.class.getName());
    }

    @Test
    void acceptWhenHandedTheMainCallThenLoadClassAnswersItsNameWithItOnceOnly() throws Exception {
        LauncherClassLoader loader = open(archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes)));
        Class<?> call = new TestArchives.MapClassLoader(classes).loadClass("p.Aa");

        assertThatThrownBy(() -> loader.loadClass(MainCallClass.NAME)).isInstanceOf(ClassNotFoundException.class);
        loader.accept(call);

        assertThat(loader.loadClass(MainCallClass.NAME)).isSameAs(call);
        assertThatThrownBy(() -> loader.accept(String.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a launch's entry point or main call to take: class java.lang.String");
        assertThatThrownBy(() -> loader.accept("text")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void entryPointWhenTheTablesLaunchHandsNothingOverThenFailsNamingTheArchiveAndTheEntry() throws Exception {
        Map<String, byte[]> launch = new LinkedHashMap<>(classes);
        launch.putAll(TestArchives.compile(shared, Map.of("dev/hermetic/loader/Launch.java",
                "package dev.hermetic.loader; class Launch { }")));
        Path archive = archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(launch));
        LauncherClassLoader loader = open(archive);

        assertThatThrownBy(loader::entryPoint).isInstanceOf(ZipException.class)
                .hasMessage(archive + ": " + LauncherClassLoader.ENTRY + ": no launch to run: " + Launch.class.getName()
                        + " handed over no entry point");
    }

    @Test
    void loadClassWhenTheLoaderIsClosedThenTheClassCannotBeRead() throws Exception {
        LauncherClassLoader loader = open(archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes)));
        loader.close();

        assertThatThrownBy(() -> loader.loadClass("p.Aa")).isInstanceOf(ClassNotFoundException.class)
                .hasMessageStartingWith("p.Aa: cannot read it from ");
    }

    private static byte[] patch(byte[] bytes, long at, byte[] with) {
        byte[] patched = bytes.clone();
        System.arraycopy(with, 0, patched, (int) at, with.length);
        return patched;
    }

    /**
     * Where the local header of the archive's entry number {@code index} starts, walking the local
     * headers from the first (entries before it STORED, their sizes in their headers).
     */
    private static long localHeaderOffset(Path archive, int index) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(archive)).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        for (int i = 0; i < index; i++) {
            at += 30 + (bytes.getShort(at + 26) & 0xFFFF) + (bytes.getShort(at + 28) & 0xFFFF) + bytes.getInt(at + 18);
        }
        return at;
    }

    private static int localHeaderFlags(Path archive, int index) throws IOException {
        byte[] bytes = Files.readAllBytes(archive);
        int at = (int) localHeaderOffset(archive, index);
        return (bytes[at + 6] & 0xFF) | (bytes[at + 7] & 0xFF) << 8;
    }

    @Test
    void launchWhenComparedThenItIsTheNameOfLaunch() {
        assertThat(LauncherClassLoader.LAUNCH).isEqualTo(Launch.class.getName());
    }

    @Test
    void ofWhenTheLauncherComesFromADirectoryWithoutTheTableThenNull() throws Exception {
        // this module's classes are a directory in the build, without HERMETIC-INF/loader.classes
        File location = Jvms.loaderClasses().toFile();
        assertThat(location).isDirectory();
        assertThat(new File(location, LauncherClassLoader.ENTRY)).doesNotExist();

        assertThat(LauncherClassLoader.of(Launcher.class)).isNull();
    }

    @Test
    void ofWhenTheClassHasNoCodeSourceThenNull() throws Exception {
        assertThat(LauncherClassLoader.of(String.class)).isNull();
    }

    @Test
    void getResourceWhenAClassFileIsAskedThenNullForTheLoaderServesClassesOnly() throws Exception {
        LauncherClassLoader loader = open(archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes)));

        URL resource = loader.getResource("p/Aa.class");

        assertThat(resource).isNull();
    }
}
