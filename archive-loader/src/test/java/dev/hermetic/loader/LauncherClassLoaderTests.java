package dev.hermetic.loader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hermetic.loader.archive.TestArchives;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherClassLoaderTests {
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    /** Two classes whose names have the same {@link String#hashCode}, and one that uses both and the JDK. */
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
        classes = new TreeMap<>();
        for (Map.Entry<String, byte[]> c : TestArchives.compile(shared, sources).entrySet()) {
            String name = c.getKey();
            classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), c.getValue());
        }
    }

    private static ProtectionDomain domain(Path archive) throws IOException {
        return new ProtectionDomain(new CodeSource(archive.toUri().toURL(), (Certificate[]) null), null);
    }

    /** An archive as the packer starts one: {@code META-INF/}, a manifest, then the given third entry, STORED. */
    private Path archive(String name, byte[] entry) throws IOException {
        Path file = dir.resolve("a.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            stored(zip, "META-INF/", new byte[0]);
            stored(zip, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n".getBytes(UTF_8));
            stored(zip, name, entry);
            stored(zip, "z.txt", "after".getBytes(UTF_8));
        }
        return file;
    }

    private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private LauncherClassLoader open(Path archive) throws IOException {
        return LauncherClassLoader.open(archive.toFile(), domain(archive));
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
    void loaderWhenMadeThenItIsParallelCapable() throws Exception {
        LauncherClassLoader loader = open(archive(LauncherClassLoader.ENTRY, LauncherClassTable.write(classes)));

        assertThat(loader.isRegisteredAsParallelCapable()).isTrue();
        assertThat(loader.getParent()).isSameAs(ClassLoader.getPlatformClassLoader());
    }

    @Test
    void openWhenTheEntryIsNotAmongTheFirstEntriesThenNull() throws Exception {
        Path file = dir.resolve("late.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (String name : new String[] {"META-INF/", "META-INF/MANIFEST.MF", "a.txt"}) {
                stored(zip, name, new byte[0]);
            }
            stored(zip, LauncherClassLoader.ENTRY, LauncherClassTable.write(classes));
        }

        assertThat(open(file)).isNull();
        assertThat(open(archive("other.bin", LauncherClassTable.write(classes)))).isNull();
    }

    @Test
    void openWhenTheEntryIsDeflatedThenNull() throws Exception {
        Path file = dir.resolve("deflated.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry(LauncherClassLoader.ENTRY));
            zip.write(LauncherClassTable.write(classes));
        }

        assertThat(open(file)).isNull();
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
        byte[] cut = java.util.Arrays.copyOf(table, table.length - 1);
        Path archive = archive(LauncherClassLoader.ENTRY, cut);

        assertThatThrownBy(() -> open(archive)).isInstanceOf(ZipException.class)
                .hasMessageStartingWith(archive + ": " + LauncherClassLoader.ENTRY + ": class ")
                .hasMessageEndingWith(" of 3 lies outside the entry's " + cut.length + " bytes");
    }

    @Test
    void openWhenTheCountExceedsTheEntryThenFails() throws Exception {
        byte[] table = java.util.Arrays.copyOf(LauncherClassTable.write(classes), 12);
        table[6] = 0x7F;
        table[7] = 0;
        Path archive = archive(LauncherClassLoader.ENTRY, table);

        assertThatThrownBy(() -> open(archive)).isInstanceOf(ZipException.class)
                .hasMessage(archive + ": " + LauncherClassLoader.ENTRY + ": 32512 classes and their names do not fit in 12 bytes");
    }

    @Test
    void launchNameWhenComparedThenItIsLaunchs() {
        assertThat(LauncherClassLoader.LAUNCH).isEqualTo(Launch.class.getName());
    }

    @Test
    void ofWhenTheLauncherComesFromADirectoryThenNull() throws Exception {
        // this module's classes are a directory in the build: an exploded archive runs without the loader
        File location = new File(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(location).isDirectory();

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
