package dev.hermetic.loader.archive;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hermetic.loader.ArchiveClassLoader;
import dev.hermetic.loader.LoaderSettings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Integrity} levels over a sealed archive whose bytes were changed after packing.
 *
 * <p>Fixtures: {@link TestArchives} packs, as the packer does (digests included), a trusted module
 * {@code app/Main.java} with its cache {@code app/Main.class}, a resource {@code app/r.txt} and a
 * nested {@code dep.jar} with a STORED {@code d/x.txt}. Then, with {@link RandomAccessFile}:
 * <ul>
 * <li>a byte or one bit of an entry's data is flipped in place: the central directory and the seal
 *     are untouched, so the sealed fast path serves the archive;</li>
 * <li>{@link #forgeIndex}: the index is edited (a module's mode byte), its page and header CRC-32s recomputed,
 *     the zip CRC-32 of the index entry fixed in its local header and the central directory, and the
 *     seal's CRC-32 of the central directory recomputed: only the seal's SHA-256 of the index is left
 *     as packed.</li>
 * </ul>
 */
class IntegrityTests {
    private static final byte[] MAIN = "main bytes".getBytes(UTF_8);
    private static final byte[] RESOURCE = "resource bytes".getBytes(UTF_8);
    private static final byte[] SOURCE = "package app; class Main {}\n".getBytes(UTF_8);
    private static final byte[] DEP_TEXT = "dependency text".getBytes(UTF_8);

    @TempDir
    Path dir;

    private TestArchives.Packed pack(TestArchives.Builder builder) throws IOException {
        Map<String, byte[]> dep = new LinkedHashMap<>();
        dep.put("d/x.txt", DEP_TEXT);
        int main = builder.module("app/Main.java", SOURCE, ValidationMode.TRUSTED);
        return builder.app("app/Main.class", MAIN, main).app("app/r.txt", RESOURCE)
                .lib("dep.jar", TestArchives.jar(dep, "d/x.txt"))
                .write(dir.resolve("app.jar"));
    }

    private TestArchives.Packed packed() throws IOException {
        return pack(TestArchives.archive("app.Main").launcherManifest());
    }

    private static IndexedEntry entry(TestArchives.Packed packed, String name) {
        return packed.entries().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    /** Flips the bits of {@code mask} in the byte at {@code offset}, in place. */
    private static void flip(Path path, long offset, int mask) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.seek(offset);
            int b = file.read();
            file.seek(offset);
            file.write(b ^ mask);
        }
    }

    /** Fixture: the packed archive with the first data byte of an application entry flipped ('m' to 'M'). */
    private TestArchives.Packed flipped(String name) throws IOException {
        TestArchives.Packed packed = packed();
        flip(packed.path(), entry(packed, name).dataOffset(), 0x20);
        return packed;
    }

    // ---------------------------------------------------------------- none

    @Test
    void readWhenNoneAndBytesChangedInPlaceThenServesThem() throws IOException {
        TestArchives.Packed packed = flipped("app/Main.class");
        try (Archive archive = Archive.open(packed.path(), Integrity.NONE)) {
            assertThat(archive.read(archive.find("app/Main.class"))).isEqualTo("Main bytes".getBytes(UTF_8));
        }
    }

    @Test
    void readSourceWhenNoneOrCrcAndSourceChangedInPlaceThenServesIt() throws IOException {
        TestArchives.Packed packed = packed();
        flip(packed.path(), packed.modules().get(0).sourceOffset(), 0x01);
        for (Integrity level : new Integrity[] {Integrity.NONE, Integrity.CRC}) {
            try (Archive archive = Archive.open(packed.path(), level)) {
                assertThat(archive.readSource(archive.module(0))).as(level.name()).startsWith((byte) 'q');
            }
        }
    }

    // ---------------------------------------------------------------- crc

    @ParameterizedTest
    @ValueSource(strings = {"app/Main.class", "app/r.txt"})
    void readWhenCrcAndBytesChangedInPlaceThenArchiveFormatExceptionNamingEntryAndOffset(String name) throws IOException {
        Path path = flipped(name).path();
        try (Archive archive = Archive.open(path, Integrity.CRC)) {
            assertThat(archive.trustBound()).isTrue();
            IndexedEntry entry = archive.find(name);
            assertThatThrownBy(() -> archive.read(entry))
                    .isInstanceOf(ArchiveFormatException.class)
                    .hasMessageStartingWith(path + ": HERMETIC-INF/classes/" + name + ": CRC-32 of the " + entry.size()
                            + " bytes read at offset " + entry.dataOffset() + " is ")
                    .hasMessageEndingWith(", the archive records " + Integer.toHexString(entry.crc32())
                            + " (corrupt, or changed in place)");
        }
    }

    @Test
    void readWhenCrcAndANestedEntryChangedInPlaceThenCrcMismatch() throws IOException {
        TestArchives.Packed packed = packed();
        flip(packed.path(), entry(packed, "d/x.txt").dataOffset(), 0x20);
        try (Archive archive = Archive.open(packed.path(), Integrity.CRC)) {
            assertThatThrownBy(() -> archive.read(archive.find("d/x.txt"))).isInstanceOf(ArchiveFormatException.class)
                    .hasMessageStartingWith(packed.path() + ": HERMETIC-INF/lib/dep.jar!/d/x.txt: CRC-32 of the 15 bytes");
        }
    }

    @Test
    void openWhenNoLevelGivenThenCrcIsTheDefault() throws IOException {
        try (Archive archive = Archive.open(flipped("app/Main.class").path())) {
            assertThat(archive.integrity()).isEqualTo(Integrity.CRC);
            assertThatThrownBy(() -> archive.read(archive.find("app/Main.class"))).isInstanceOf(ArchiveFormatException.class);
        }
    }

    // ---------------------------------------------------------------- digest

    @Test
    void readWhenDigestAndArchiveIsAsPackedThenServesEverything() throws IOException {
        TestArchives.Packed packed = packed();
        try (Archive archive = Archive.open(packed.path(), Integrity.DIGEST)) {
            assertThat(archive.read(archive.find("app/Main.class"))).isEqualTo(MAIN);
            assertThat(archive.read(archive.find("app/r.txt"))).isEqualTo(RESOURCE);
            assertThat(archive.read(archive.find("d/x.txt"))).isEqualTo(DEP_TEXT);
            assertThat(archive.read(archive.find("d/x.txt"))).isEqualTo(DEP_TEXT);
            assertThat(archive.readSource(archive.module(0))).isEqualTo(SOURCE);
        }
    }

    @Test
    void readWhenDigestAndAnyBitOfACacheIsFlippedThenArchiveFormatExceptionNamingEntry() throws IOException {
        TestArchives.Packed packed = packed();
        Path path = packed.path();
        IndexedEntry main = entry(packed, "app/Main.class");
        String recorded = Sha256.hex(TestArchives.sha256(MAIN));
        for (int i = 0; i < MAIN.length * 8; i++) {
            flip(path, main.dataOffset() + i / 8, 1 << (i % 8));
            try (Archive archive = Archive.open(path, Integrity.DIGEST)) {
                assertThatThrownBy(() -> archive.read(archive.find("app/Main.class"))).as("bit %d", i)
                        .isInstanceOf(ArchiveFormatException.class)
                        .hasMessageStartingWith(path + ": HERMETIC-INF/classes/app/Main.class: SHA-256 of the 10 bytes read at offset "
                                + main.dataOffset() + " is ")
                        .hasMessageEndingWith(", the index records " + recorded + " (corrupt, or changed after packing)");
            }
            flip(path, main.dataOffset() + i / 8, 1 << (i % 8));
        }
        try (Archive archive = Archive.open(path, Integrity.DIGEST)) {
            assertThat(archive.read(archive.find("app/Main.class"))).isEqualTo(MAIN);
        }
    }

    @Test
    void readWhenDigestAndAResourceByteIsFlippedThenArchiveFormatException() throws IOException {
        Path path = flipped("app/r.txt").path();
        try (Archive archive = Archive.open(path, Integrity.DIGEST)) {
            assertThatThrownBy(() -> archive.read(archive.find("app/r.txt"))).isInstanceOf(ArchiveFormatException.class)
                    .hasMessageContaining(path + ": HERMETIC-INF/classes/app/r.txt: SHA-256 of the 14 bytes");
            assertThat(archive.read(archive.find("app/Main.class"))).isEqualTo(MAIN);
        }
    }

    @Test
    void readSourceWhenDigestAndSourceChangedInPlaceThenArchiveFormatExceptionNamingIt() throws IOException {
        TestArchives.Packed packed = packed();
        Module module = packed.modules().get(0);
        flip(packed.path(), module.sourceOffset() + 5, 0x80);
        try (Archive archive = Archive.open(packed.path(), Integrity.DIGEST)) {
            assertThatThrownBy(() -> archive.readSource(archive.module(0))).isInstanceOf(ArchiveFormatException.class)
                    .hasMessage(packed.path() + ": HERMETIC-INF/sources/app/Main.java: SHA-256 of the " + SOURCE.length
                            + " bytes read at offset " + module.sourceOffset() + " is "
                            + Sha256.hex(TestArchives.sha256(flippedCopy(SOURCE, 5, 0x80))) + ", the index records "
                            + Sha256.hex(TestArchives.sha256(SOURCE)) + " (corrupt, or changed after packing)");
        }
    }

    private static byte[] flippedCopy(byte[] bytes, int at, int mask) {
        byte[] copy = bytes.clone();
        copy[at] ^= (byte) mask;
        return copy;
    }

    @Test
    void readWhenDigestAndANestedJarByteOutsideItsEntriesIsFlippedThenTheJarsDigestRefusesIt() throws IOException {
        TestArchives.Packed packed = packed();
        Container dep = packed.containers().get(1);
        // the last byte of the nested jar: its end record, which no CRC covers
        flip(packed.path(), dep.offset() + dep.size() - 1, 0x01);
        try (Archive archive = Archive.open(packed.path(), Integrity.CRC)) {
            assertThat(archive.read(archive.find("d/x.txt"))).isEqualTo(DEP_TEXT);
        }
        try (Archive archive = Archive.open(packed.path(), Integrity.DIGEST)) {
            assertThatThrownBy(() -> archive.read(archive.find("d/x.txt"))).isInstanceOf(ArchiveFormatException.class)
                    .hasMessageStartingWith(packed.path() + ": HERMETIC-INF/lib/dep.jar: SHA-256 of the nested jar's "
                            + dep.size() + " bytes at offset " + dep.offset() + " is ")
                    .hasMessageEndingWith(", the index records " + Sha256.hex(TestArchives.sha256(
                            TestArchives.jar(Map.of("d/x.txt", DEP_TEXT), "d/x.txt"))) + " (corrupt, or changed after packing)");
            assertThat(archive.read(archive.find("app/Main.class"))).isEqualTo(MAIN);
        }
    }

    @Test
    void readWhenDigestAndANestedEntryByteIsFlippedThenArchiveFormatException() throws IOException {
        TestArchives.Packed packed = packed();
        flip(packed.path(), entry(packed, "d/x.txt").dataOffset(), 0x20);
        try (Archive archive = Archive.open(packed.path(), Integrity.DIGEST)) {
            assertThatThrownBy(() -> archive.read(archive.find("d/x.txt"))).isInstanceOf(ArchiveFormatException.class)
                    .hasMessageContaining("HERMETIC-INF/lib/dep.jar: SHA-256 of the nested jar's");
        }
    }

    @Test
    void loadClassWhenDigestAndACacheIsFlippedThenClassNotFoundNamingArchiveAndEntryNeverAWrongClass() throws Exception {
        Map<String, byte[]> classes = TestArchives.compile(dir.resolve("work"), Map.of("app/Main.java",
                "package app; public class Main { public static String hello() { return \"howdy\"; } }\n"));
        byte[] main = classes.get("app/Main.class");
        TestArchives.Builder builder = TestArchives.archive("app.Main").launcherManifest();
        int module = builder.module("app/Main.java", SOURCE, ValidationMode.TRUSTED);
        TestArchives.Packed packed = builder.app("app/Main.class", main, module).write(dir.resolve("classes.jar"));
        IndexedEntry entry = entry(packed, "app/Main.class");
        // a constant-pool byte of the string "howdy": the class would still define, saying "jowdy"
        int at = indexOf(main, "howdy".getBytes(StandardCharsets.UTF_8));
        flip(packed.path(), entry.dataOffset() + at, 0x02);
        LoaderSettings digest = LoaderSettings.builder().verify(Integrity.DIGEST).build();
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(packed.path(), getClass().getClassLoader(), digest)) {
            assertThatThrownBy(() -> loader.loadClass("app.Main")).isInstanceOf(ClassNotFoundException.class)
                    .hasMessageContaining(packed.path() + ": HERMETIC-INF/classes/app/Main.class: SHA-256 of the "
                            + main.length + " bytes read at offset " + entry.dataOffset())
                    .hasCauseInstanceOf(ArchiveFormatException.class);
        }
        LoaderSettings none = LoaderSettings.builder().verify(Integrity.NONE).build();
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(packed.path(), getClass().getClassLoader(), none)) {
            assertThat(loader.loadClass("app.Main").getMethod("hello").invoke(null)).isEqualTo("jowdy");
        }
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i <= bytes.length - part.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    // ---------------------------------------------------------------- trust flags

    @Test
    void openWhenAModeByteIsChangedWithEveryCrcAndTheSealRecomputedThenOnlyDigestRefusesIt() throws IOException {
        TestArchives.Packed packed = packed();
        Path path = packed.path();
        forgeIndex(packed, index -> {
            int modulesAt = ByteBuffer.wrap(index).getInt(IndexLayout.H_MODULES_AT);
            index[modulesAt + 6] = (byte) ValidationMode.CHECKED.ordinal();
            return index;
        });
        for (Integrity level : new Integrity[] {Integrity.NONE, Integrity.CRC}) {
            try (Archive archive = Archive.open(path, level)) {
                assertThat(archive.trustBound()).as(level.name()).isTrue();
                assertThat(archive.module(0).mode()).as(level.name()).isEqualTo(ValidationMode.CHECKED);
                assertThat(archive.read(archive.find("app/Main.class"))).isEqualTo(MAIN);
            }
        }
        byte[] index = Arrays.copyOfRange(Files.readAllBytes(path), (int) packed.indexOffset(),
                (int) packed.indexOffset() + packed.indexLength());
        assertThatThrownBy(() -> Archive.open(path, Integrity.DIGEST)).isInstanceOf(ArchiveFormatException.class)
                .hasMessageStartingWith(path + ": HERMETIC-INF/index: SHA-256 of the index is " + Sha256.hex(TestArchives.sha256(index))
                        + ", the seal records ")
                .hasMessageEndingWith(" (the index was changed after packing)");
    }

    /**
     * Edits the index of a packed archive and recomputes everything but the seal's SHA-256: the index's
     * page and header CRC-32s, the index entry's CRC-32 in its local header and central record, and the seal's
     * CRC-32 of the central directory.
     */
    static void forgeIndex(TestArchives.Packed packed, UnaryOperator<byte[]> edit) throws IOException {
        byte[] file = Files.readAllBytes(packed.path());
        int offset = (int) packed.indexOffset();
        byte[] index = TestArchives.withChecksums(edit.apply(Arrays.copyOfRange(file, offset, offset + packed.indexLength())));
        System.arraycopy(index, 0, file, offset, index.length);
        CRC32 crc = new CRC32();
        crc.update(index);
        ByteBuffer zip = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int commentLength = IndexWriter.SEAL_LENGTH;
        int end = file.length - 22 - commentLength;
        int centralOffset = zip.getInt(end + 16);
        int centralSize = zip.getInt(end + 12);
        for (int at = centralOffset; at < centralOffset + centralSize; ) {
            int nameLength = Short.toUnsignedInt(zip.getShort(at + 28));
            String name = new String(file, at + 46, nameLength, StandardCharsets.UTF_8);
            if (name.equals(ArchiveLayout.INDEX)) {
                zip.putInt(at + 16, (int) crc.getValue());
                zip.putInt(zip.getInt(at + 42) + 14, (int) crc.getValue());
            }
            at += 46 + nameLength + Short.toUnsignedInt(zip.getShort(at + 30)) + Short.toUnsignedInt(zip.getShort(at + 32));
        }
        CRC32 central = new CRC32();
        central.update(file, centralOffset, centralSize);
        Seal old = Seal.parse(Arrays.copyOfRange(file, file.length - commentLength, file.length));
        byte[] seal = new Seal(old.indexOffset(), old.indexLength(), old.centralOffset(), old.centralSize(),
                (int) central.getValue(), old.indexSha256()).toComment().getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(seal, 0, file, file.length - commentLength, seal.length);
        Files.write(packed.path(), file);
    }

    @Test
    void openWhenDigestAndTheIndexHasNoDigestSectionThenArchiveFormatExceptionSayingSo() throws IOException {
        Path path = pack(TestArchives.archive("app.Main").launcherManifest().withoutDigests()).path();
        try (Archive archive = Archive.open(path, Integrity.CRC)) {
            assertThat(archive.read(archive.find("app/Main.class"))).isEqualTo(MAIN);
        }
        assertThatThrownBy(() -> Archive.open(path, Integrity.DIGEST)).isInstanceOf(ArchiveFormatException.class)
                .hasMessage(path + ": HERMETIC-INF/index: the index has no digest section (packed without digests),"
                        + " so -Dhermetic.verify=digest cannot check this archive");
    }

    @Test
    void openWhenDigestAndArchiveWasEditedByAZipToolThenChecksAsCrcWithoutTrust() throws IOException {
        TestArchives.Packed packed = packed();
        byte[] file = Files.readAllBytes(packed.path());
        int crcDigit = file.length - 1 - " sha256=".length() - 64; // the last digit of the seal's CRC-32
        file[crcDigit] = (byte) (file[crcDigit] == '0' ? '1' : '0'); // the seal no longer matches
        Files.write(packed.path(), file);
        try (Archive archive = Archive.open(packed.path(), Integrity.DIGEST)) {
            assertThat(archive.trustBound()).isFalse();
            assertThat(archive.read(archive.find("app/Main.class"))).isEqualTo(MAIN);
        }
    }

    // ---------------------------------------------------------------- format and settings

    @Test
    void sealWhenWrittenThenVersion3WithTheIndexSha256AndVersion2IsNotASeal() throws IOException {
        TestArchives.Packed packed = packed();
        byte[] file = Files.readAllBytes(packed.path());
        int length = IndexWriter.SEAL_LENGTH;
        String comment = new String(file, file.length - length, length, StandardCharsets.ISO_8859_1);
        byte[] index = Arrays.copyOfRange(file, (int) packed.indexOffset(), (int) packed.indexOffset() + packed.indexLength());
        assertThat(comment).startsWith("hermetic-seal/3 index=").contains(" crc32=")
                .endsWith(" sha256=" + Sha256.hex(TestArchives.sha256(index)));
        String version2 = comment.replace("seal/3", "seal/2").replace(" crc32=", " crc32c=");
        assertThat(Seal.parse(version2.getBytes(StandardCharsets.ISO_8859_1))).isNull();
        assertThat(Seal.parse(comment.replace("seal/3", "seal/2").getBytes(StandardCharsets.ISO_8859_1))).isNull();
    }

    @Test
    void placeholderWhenFormattedThenAsLongAsEverySealAndParsedAsZeros() {
        assertThat(SealWriter.placeholder()).hasSize(Seal.LENGTH);
        Seal zeros = Seal.parse(SealWriter.placeholder().getBytes(StandardCharsets.ISO_8859_1));
        assertThat(zeros).isNotNull();
        assertThat(zeros.toComment()).isEqualTo(SealWriter.placeholder());
        Seal full = new Seal(-1L, -1, -1L, -1L, -1, new byte[32]);
        assertThat(full.toComment()).hasSize(Seal.LENGTH);
    }

    @Test
    void parseWhenEveryFieldIsAtItsExtremesThenReadsBackWhatWasWritten() {
        byte[] sha = new byte[32];
        for (int i = 0; i < sha.length; i++) {
            sha[i] = (byte) (i * 37 - 128);
        }
        Seal seal = new Seal(0xfedc_ba98_7654_3210L, 0x8000_0001, Long.MAX_VALUE, -2L, 0xcafe_babe, sha);
        Seal read = Seal.parse(seal.toComment().getBytes(StandardCharsets.ISO_8859_1));
        assertThat(read).isNotNull();
        assertThat(read.indexOffset()).isEqualTo(0xfedc_ba98_7654_3210L);
        assertThat(read.indexLength()).isEqualTo(0x8000_0001);
        assertThat(read.centralOffset()).isEqualTo(Long.MAX_VALUE);
        assertThat(read.centralSize()).isEqualTo(-2L);
        assertThat(read.centralCrc()).isEqualTo(0xcafe_babe);
        assertThat(read.indexSha256()).isEqualTo(sha);
    }

    @Test
    void parseWhenACharacterIsNotWhatTheWriterWritesThenNotASeal() {
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) -1);
        String zeros = SealWriter.placeholder();
        String digitsAt = new Seal(-1L, -1, -1L, -1L, -1, ones).toComment();
        String seal = new Seal(0x1234L, 0x56, 0x789aL, 0xbcdeL, 0xf0, new byte[32]).toComment();
        for (int i = 0; i < seal.length(); i++) {
            boolean digit = zeros.charAt(i) != digitsAt.charAt(i);
            for (char replacement : "0f9A+g :".toCharArray()) {
                if (seal.charAt(i) == replacement) {
                    continue;
                }
                String changed = seal.substring(0, i) + replacement + seal.substring(i + 1);
                boolean expected = digit && "0123456789abcdef".indexOf(replacement) >= 0;
                assertThat(Seal.parse(changed.getBytes(StandardCharsets.ISO_8859_1)) != null)
                        .as("'%s' at %d of %s", replacement, i, seal).isEqualTo(expected);
            }
        }
        assertThat(Seal.parse(seal.getBytes(StandardCharsets.ISO_8859_1))).isNotNull();
        assertThat(Seal.parse((seal + "0").getBytes(StandardCharsets.ISO_8859_1))).isNull();
        assertThat(Seal.parse(seal.substring(1).getBytes(StandardCharsets.ISO_8859_1))).isNull();
    }

    @Test
    void toBytesWhenDigestsAreGivenForSomeEntriesOnlyThenIllegalStateException() {
        IndexWriter writer = new IndexWriter("Main").add(new Container(0, ArchiveLayout.CLASSES, 0, 0))
                .add(new IndexedEntry("a.txt", 0, 0, 0, 1, 1, 0, -1), new byte[32])
                .add(new IndexedEntry("b.txt", 0, 1, 0, 1, 1, 0, -1));
        assertThatThrownBy(writer::toBytes).isInstanceOf(IllegalStateException.class)
                .hasMessage("digests were given, but none for application entry b.txt");
        assertThatThrownBy(() -> writer.add(new IndexedEntry("c.txt", 0, 2, 0, 1, 1, 0, -1), new byte[31]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("c.txt: a SHA-256 has 32 bytes, not 31");
    }

    @Test
    void toBytesWhenDigestsAreGivenThenFlagIsSetAndEachDigestIsFoundByName() throws Exception {
        byte[] a = TestArchives.sha256("a".getBytes(UTF_8));
        byte[] z = TestArchives.sha256("z".getBytes(UTF_8));
        byte[] jar = TestArchives.sha256("jar".getBytes(UTF_8));
        // "m.txt" is only in the jar: its group comes after the application's, outside the digest section
        byte[] bytes = new IndexWriter("Main").add(new Container(0, ArchiveLayout.CLASSES, 0, 0))
                .add(new Container(1, "HERMETIC-INF/lib/x.jar", 100, 50), jar)
                .add(new IndexedEntry("m.txt", 1, 110, 0, 1, 1, 0, -1))
                .add(new IndexedEntry("z.txt", 1, 120, 0, 1, 1, 0, -1))
                .add(new IndexedEntry("z.txt", 0, 20, 0, 1, 1, 0, -1), z)
                .add(new IndexedEntry("a.txt", 0, 10, 0, 1, 1, 0, -1), a)
                .toBytes();
        assertThat(bytes[IndexLayout.H_FLAGS]).isEqualTo((byte) IndexLayout.FLAG_DIGESTS);
        IndexReader reader = new IndexReader(Path.of("x.jar"), bytes);
        assertThat(reader.hasDigests()).isTrue();
        assertThat(reader.applicationDigest("a.txt")).isEqualTo(a);
        assertThat(reader.applicationDigest("z.txt")).isEqualTo(z);
        assertThat(reader.applicationDigest("m.txt")).isNull();
        assertThat(reader.applicationDigest("missing.txt")).isNull();
        assertThat(reader.containerDigest(1)).isEqualTo(jar);
        assertThat(reader.entries(reader.find("z.txt"))).extracting(IndexedEntry::container).containsExactly(0, 1);
        // 2 containers and the 3 locations of a.txt and z.txt
        assertThat(bytes.length - ByteBuffer.wrap(bytes).getInt(IndexLayout.H_STRINGS_AT)
                - ByteBuffer.wrap(bytes).getInt(IndexLayout.H_STRINGS_LENGTH)).isEqualTo(5 * 32);
    }

    @Test
    void parseWhenValuesAreGivenThenLevelsOrMessagesNamingTheAllowedOnes() {
        assertThat(Integrity.parse("none")).isEqualTo(Integrity.NONE);
        assertThat(Integrity.parse(" CRC ")).isEqualTo(Integrity.CRC);
        assertThat(Integrity.parse("digest")).isEqualTo(Integrity.DIGEST);
        assertThatThrownBy(() -> Integrity.parse("md5")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dhermetic.verify=md5: expected none, crc or digest");
    }

    @Test
    void loaderSettingsWhenHermeticVerifyIsSetThenCarriesTheLevel() {
        String old = System.getProperty("hermetic.verify");
        try {
            System.setProperty("hermetic.verify", "digest");
            assertThat(LoaderSettings.fromSystem().verify()).isEqualTo(Integrity.DIGEST);
            System.setProperty("hermetic.verify", "none");
            assertThat(LoaderSettings.fromSystem().verify()).isEqualTo(Integrity.NONE);
            System.clearProperty("hermetic.verify");
            assertThat(LoaderSettings.fromSystem().verify()).isEqualTo(Integrity.CRC);
        } finally {
            if (old != null) {
                System.setProperty("hermetic.verify", old);
            } else {
                System.clearProperty("hermetic.verify");
            }
        }
    }
}
