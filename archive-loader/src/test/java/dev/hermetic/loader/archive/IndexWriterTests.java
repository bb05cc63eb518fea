package dev.hermetic.loader.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The index format through {@link IndexWriter} and its reader: every field survives, lookups find what
 * was added and nothing else, and the writer rejects what the format cannot represent. Archives on disk
 * are covered by {@link ArchiveTests}.
 */
class IndexWriterTests {
    private static final Path FILE = Path.of("/srv/app.jar");

    private static Container app() {
        return new Container(0, ArchiveLayout.CLASSES, 0, 0);
    }

    private static Container lib(int id, String name, long offset, long size) {
        return new Container(id, ArchiveLayout.LIB + name, offset, size);
    }

    private static Module module(int id, String source, ValidationMode mode) {
        byte[] sha = new byte[Module.HASH_LENGTH];
        for (int i = 0; i < sha.length; i++) {
            sha[i] = (byte) (0xA0 + i * 3 + id);
        }
        return new Module(id, source, 1000L + id, mode, sha, 0x1_2345_6789L, -86_400_000L * (id + 1),
                61 + id, 17, "--release 17 -g -parameters");
    }

    private static IndexedEntry entry(String name, int container, long offset, int module) {
        return new IndexedEntry(name, container, offset, ZipEntry.STORED, 10 + container, 10 + container,
                0xCAFEBABE + container, module);
    }

    @Test
    void toBytesWhenReadBackThenContainersModulesAndMainClassRoundTrip() throws Exception {
        IndexWriter writer = new IndexWriter("com.ex\u00e4mple.Main")
                .add(app()).add(lib(1, "a.jar", 0x1_0000_0000L, 4096)).add(lib(2, "b b.jar", 77, 0xFFFF_FFFFL))
                .add(module(0, "com/example/Main.java", ValidationMode.TRUSTED))
                .add(module(1, "com/example/Other.java", ValidationMode.CHECKED))
                .add(new Module(2, "com/example/NoSource.java", -1, ValidationMode.TIMESTAMP,
                        new byte[Module.HASH_LENGTH], 0, 0, 65535, 0, ""));

        IndexReader reader = new IndexReader(FILE, writer.toBytes());

        assertThat(reader.mainClass()).isEqualTo("com.ex\u00e4mple.Main");
        assertThat(reader.containerCount()).isEqualTo(3);
        assertThat(reader.container(0)).isEqualTo(app());
        assertThat(reader.container(1)).isEqualTo(lib(1, "a.jar", 0x1_0000_0000L, 4096));
        assertThat(reader.container(2)).isEqualTo(lib(2, "b b.jar", 77, 0xFFFF_FFFFL));
        assertThat(reader.moduleCount()).isEqualTo(3);
        Module trusted = reader.moduleRecord(0);
        assertThat(trusted).isEqualTo(module(0, "com/example/Main.java", ValidationMode.TRUSTED));
        assertThat(trusted.sourceSha256()).isEqualTo(module(0, "x", ValidationMode.TRUSTED).sourceSha256());
        assertThat(trusted.sourceTime()).isEqualTo(-86_400_000L);
        assertThat(trusted.sourceSize()).isEqualTo(0x1_2345_6789L);
        assertThat(trusted.compilerOptions()).isEqualTo("--release 17 -g -parameters");
        assertThat(reader.moduleRecord(1).mode()).isEqualTo(ValidationMode.CHECKED);
        assertThat(reader.moduleRecord(1).classVersion()).isEqualTo(62);
        Module noSource = reader.moduleRecord(2);
        assertThat(noSource.hasSource()).isFalse();
        assertThat(noSource.mode()).isEqualTo(ValidationMode.TIMESTAMP);
        assertThat(noSource.classVersion()).isEqualTo(65535);
        assertThat(noSource.release()).isZero();
        assertThat(noSource.compilerOptions()).isEmpty();
    }

    @Test
    void toBytesWhenNameIsInSeveralContainersThenLocationsAreInClassPathOrder() throws Exception {
        IndexWriter writer = new IndexWriter("Main").add(app()).add(lib(1, "a.jar", 100, 50)).add(lib(2, "b.jar", 200, 50))
                .add(module(0, "Main.java", ValidationMode.TRUSTED));
        // added libraries first, in reverse: the index must still list the application's first
        writer.add(entry("META-INF/services/x.Y", 2, 230, -1))
                .add(entry("META-INF/services/x.Y", 1, 130, -1))
                .add(entry("META-INF/services/x.Y", 0, 30, 0));

        IndexReader reader = new IndexReader(FILE, writer.toBytes());

        int id = reader.find("META-INF/services/x.Y");
        assertThat(id).isNotNegative();
        assertThat(reader.locationCount(id)).isEqualTo(3);
        assertThat(reader.entries(id).get(0)).isEqualTo(entry("META-INF/services/x.Y", 0, 30, 0));
        assertThat(reader.entries(id).get(1)).isEqualTo(entry("META-INF/services/x.Y", 1, 130, -1));
        assertThat(reader.entries(id).get(2)).isEqualTo(entry("META-INF/services/x.Y", 2, 230, -1));
        assertThat(reader.module(id)).isZero();
    }

    @Test
    void toBytesWhenEntryFieldsAreAtTheirLimitsThenTheyRoundTrip() throws Exception {
        IndexedEntry big = new IndexedEntry("big.bin", 1, 0x7FFF_FFFF_FFFFL, ZipEntry.DEFLATED, 0xFFFF_FFFFL,
                0xFFFF_FFFEL, -1, -1);
        IndexWriter writer = new IndexWriter("Main").add(app()).add(lib(1, "a.jar", 0, 0)).add(big);

        IndexReader reader = new IndexReader(FILE, writer.toBytes());

        assertThat(reader.entries(reader.find("big.bin")).get(0)).isEqualTo(big);
    }

    @Test
    void findWhenManyNamesThenEveryNameIsFoundAndOthersAreMissing() throws Exception {
        IndexWriter writer = new IndexWriter("Main").add(app());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            names.add("p" + (i % 17) + "/C" + i + ".class");
        }
        names.add("r\u00e9sum\u00e9 \u65e5\u672c.txt");
        names.add("with space/and+plus%25.txt");
        names.add("emoji\uD83D\uDE00.txt");
        for (int i = 0; i < names.size(); i++) {
            writer.add(entry(names.get(i), 0, i, -1));
        }

        IndexReader reader = new IndexReader(FILE, writer.toBytes());

        assertThat(reader.nameCount()).isEqualTo(names.size());
        for (int i = 0; i < names.size(); i++) {
            int id = reader.find(names.get(i));
            assertThat(id).as(names.get(i)).isNotNegative();
            assertThat(reader.name(id)).isEqualTo(names.get(i));
            assertThat(reader.entries(id).get(0).dataOffset()).isEqualTo(i);
        }
        assertThat(reader.find("p0/C1.class")).isEqualTo(-1);
        assertThat(reader.find("p0/C0.clas")).isEqualTo(-1);
        assertThat(reader.find("r\u00e9sum\u00e9 \u65e5\u672c.txT")).isEqualTo(-1);
        assertThat(reader.find("resume \u65e5\u672c.txt")).isEqualTo(-1);
        assertThat(reader.find("")).isEqualTo(-1);
    }

    @Test
    void toBytesWhenEntriesAreAddedInAnotherOrderThenBytesAreIdentical() {
        List<IndexedEntry> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            entries.add(entry("n" + i, i % 3, i, -1));
        }
        byte[] first = writer(entries).toBytes();
        Collections.shuffle(entries, new Random(42));
        byte[] second = writer(entries).toBytes();

        assertThat(second).isEqualTo(first);
    }

    private static IndexWriter writer(List<IndexedEntry> entries) {
        IndexWriter writer = new IndexWriter("Main").add(app()).add(lib(1, "a.jar", 0, 0)).add(lib(2, "b.jar", 0, 0));
        entries.forEach(writer::add);
        return writer;
    }

    @Test
    void toBytesWhenANestedJarHasVersionedEntriesThenOnlyItsContainerIsFlaggedVersioned() throws Exception {
        IndexWriter writer = new IndexWriter("Main").add(app()).add(lib(1, "mr.jar", 100, 50))
                .add(lib(2, "plain.jar", 200, 50))
                .add(entry("META-INF/versions/11/a/A.class", 1, 110, -1)).add(entry("a/A.class", 1, 120, -1))
                .add(entry("a/A.class", 2, 210, -1)).add(entry("META-INF/versionsX/a.txt", 2, 220, -1));

        IndexReader reader = new IndexReader(FILE, writer.toBytes());

        assertThat(reader.versioned(0)).isFalse();
        assertThat(reader.versioned(1)).isTrue();
        assertThat(reader.versioned(2)).isFalse();
    }

    @Test
    void toBytesWhenWrittenThenHeaderHasMagicAndVersion() {
        ByteBuffer index = ByteBuffer.wrap(new IndexWriter("Main").add(app()).toBytes());

        assertThat(index.getInt(0)).isEqualTo(0x48524D58);
        assertThat(index.getShort(IndexLayout.H_VERSION)).isEqualTo((short) 2);
    }

    @Test
    void addWhenContainerIdIsNotTheNextThenIllegalArgumentException() {
        IndexWriter writer = new IndexWriter("Main").add(app());

        assertThatThrownBy(() -> writer.add(lib(2, "a.jar", 0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("container HERMETIC-INF/lib/a.jar has id 2, expected 1");
        assertThatThrownBy(() -> new IndexWriter("Main").add(lib(1, "a.jar", 0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("container HERMETIC-INF/lib/a.jar has id 1, expected 0");
    }

    @Test
    void addWhenModuleIdIsNotTheNextThenIllegalArgumentException() {
        IndexWriter writer = new IndexWriter("Main").add(app()).add(module(0, "A.java", ValidationMode.TRUSTED));

        assertThatThrownBy(() -> writer.add(module(0, "B.java", ValidationMode.TRUSTED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("module B.java has id 0, expected 1");
    }

    @Test
    void addWhenEntryNamesAnUnknownContainerThenIllegalArgumentException() {
        IndexWriter writer = new IndexWriter("Main").add(app()).add(lib(1, "a.jar", 0, 0));

        assertThatThrownBy(() -> writer.add(entry("x.txt", 2, 0, -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x.txt: unknown container 2");
        assertThatThrownBy(() -> writer.add(entry("x.txt", -1, 0, -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x.txt: unknown container -1");
    }

    @Test
    void addWhenEntryNamesAnUnknownModuleThenIllegalArgumentException() {
        IndexWriter writer = new IndexWriter("Main").add(app()).add(module(0, "A.java", ValidationMode.TRUSTED));

        assertThatThrownBy(() -> writer.add(entry("A.class", 0, 0, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A.class: unknown module 1");
        assertThatThrownBy(() -> writer.add(entry("A.class", 0, 0, -2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A.class: unknown module -2");
    }

    @Test
    void addWhenNameIsTwiceInOneContainerThenIllegalArgumentException() {
        IndexWriter writer = new IndexWriter("Main").add(app()).add(lib(1, "a.jar", 0, 0))
                .add(entry("x.txt", 0, 0, -1)).add(entry("x.txt", 1, 0, -1));

        assertThatThrownBy(() -> writer.add(entry("x.txt", 1, 99, -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x.txt is twice in HERMETIC-INF/lib/a.jar");
        assertThatThrownBy(() -> writer.add(entry("x.txt", 0, 99, -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x.txt is twice in HERMETIC-INF/classes/");
    }

    @Test
    void addWhenEntryIsOver4GiBThenIllegalArgumentException() {
        IndexWriter writer = new IndexWriter("Main").add(app());

        assertThatThrownBy(() -> writer.add(new IndexedEntry("huge.bin", 0, 0, ZipEntry.STORED, 1L << 32, 1L << 32, 0, -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("huge.bin: entries over 4 GiB are not supported");
    }

    @Test
    void moduleWhenHashHasWrongLengthThenIllegalArgumentException() {
        assertThatThrownBy(() -> new Module(0, "A.java", 0, ValidationMode.TRUSTED, new byte[20], 0, 0, 61, 17, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source hash of A.java must be 32 bytes, not 20");
    }
}
