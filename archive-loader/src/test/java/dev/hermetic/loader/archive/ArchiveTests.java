package dev.hermetic.loader.archive;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Archive} over real archives made by {@link TestArchives}: what {@link IndexWriter} recorded
 * comes back, entries read back byte for byte, and damaged or edited archives are refused with a
 * message naming the file. Each hostile fixture says in its test how it was made.
 */
class ArchiveTests {
    private static final String NON_ASCII = "r\u00e9sum\u00e9 \u65e5\u672c.txt";
    private static final byte[] MAIN_SOURCE = "package app; public class Main {}\n".getBytes(UTF_8);
    private static final byte[] OTHER_SOURCE = "package app; class Other {}\n".getBytes(UTF_8);
    private static final byte[] MAIN_CLASS = "not really a class, only bytes".getBytes(UTF_8);
    private static final byte[] PATCHED_MAIN_CLASS = "Not really a class, only bytes".getBytes(UTF_8);
    private static final byte[] BIG_TEXT = "all work and no play makes a dull jar\n".repeat(200).getBytes(UTF_8);
    private static final byte[] RAW = {0, 1, 2, 3, (byte) 0xFF, (byte) 0xFE};

    @TempDir
    Path dir;

    /** Application with two modules, two nested jars sharing names with it and with each other. */
    private TestArchives.Builder fixture() {
        TestArchives.Builder builder = TestArchives.archive("app.Main")
                .launcherManifest()
                .root("dev/hermetic/loader/Launcher.class", "launcher stand-in".getBytes(UTF_8));
        int main = builder.module("app/Main.java", MAIN_SOURCE, ValidationMode.TRUSTED);
        int other = builder.module("app/Other.java", OTHER_SOURCE, ValidationMode.CHECKED);
        Map<String, byte[]> a = new LinkedHashMap<>();
        a.put("a/", new byte[0]);
        a.put("a/big.txt", BIG_TEXT);
        a.put("a/raw.bin", RAW);
        a.put("shared.txt", "shared from a".getBytes(UTF_8));
        a.put("\u00fcber/" + NON_ASCII, "nested non-ascii".getBytes(UTF_8));
        Map<String, byte[]> b = new LinkedHashMap<>();
        b.put("shared.txt", "shared from b".getBytes(UTF_8));
        b.put("b/only.txt", "only b".getBytes(UTF_8));
        return builder
                .app("app/Main.class", MAIN_CLASS, main)
                .app("app/Other.class", "other".getBytes(UTF_8), other)
                .app("shared.txt", "shared from app".getBytes(UTF_8))
                .app("dir with space/" + NON_ASCII, "app non-ascii".getBytes(UTF_8))
                .lib("a.jar", TestArchives.jar(a, "a/raw.bin"))
                .lib("b.jar", TestArchives.jar(b, "shared.txt"));
    }

    private TestArchives.Packed pack() throws IOException {
        return fixture().write(dir.resolve("app.jar"));
    }

    @Test
    void openWhenPackedThenContainersModulesAndMainClassAreWhatWasIndexed() throws IOException {
        TestArchives.Packed packed = pack();

        try (Archive archive = Archive.open(packed.path())) {
            assertThat(archive.path()).isEqualTo(packed.path());
            assertThat(archive.mainClass()).isEqualTo("app.Main");
            assertThat(archive.containers()).isEqualTo(packed.containers());
            assertThat(archive.containers()).extracting(Container::entry)
                    .containsExactly("HERMETIC-INF/classes/", "HERMETIC-INF/lib/a.jar", "HERMETIC-INF/lib/b.jar");
            assertThat(archive.container(1).nested()).isTrue();
            assertThat(archive.container(0).nested()).isFalse();
            assertThat(archive.container(1).size()).isPositive();
            assertThat(archive.modules()).isEqualTo(packed.modules());
            Module main = archive.module(0);
            assertThat(main.source()).isEqualTo("app/Main.java");
            assertThat(main.mode()).isEqualTo(ValidationMode.TRUSTED);
            assertThat(main.sourceSha256()).isEqualTo(TestArchives.sha256(MAIN_SOURCE));
            assertThat(main.sourceSize()).isEqualTo(MAIN_SOURCE.length);
            assertThat(main.sourceTime()).isEqualTo(TestArchives.TIME);
            assertThat(main.classVersion()).isEqualTo(61);
            assertThat(main.release()).isEqualTo(17);
            assertThat(main.compilerOptions()).isEqualTo("--release 17");
            assertThat(archive.module(1).mode()).isEqualTo(ValidationMode.CHECKED);
            assertThat(archive.readSource(main)).isEqualTo(MAIN_SOURCE);
            assertThat(archive.readSource(archive.module(1))).isEqualTo(OTHER_SOURCE);
            assertThat(archive.indexSize()).isEqualTo(packed.indexLength());
            assertThat(Archive.indexVersion()).isEqualTo(2);
        }
    }

    @Test
    void openWhenPackedThenJdkZipFileReadsTheSameArchive() throws IOException {
        TestArchives.Packed packed = pack();

        try (ZipFile zip = new ZipFile(packed.path().toFile())) {
            assertThat(zip.getComment()).startsWith("hermetic-seal/3 index=").hasSize(IndexWriter.SEAL_LENGTH)
                    .isNotEqualTo(SealWriter.placeholder());
            assertThat(zip.getInputStream(zip.getEntry("HERMETIC-INF/classes/app/Main.class")).readAllBytes())
                    .isEqualTo(MAIN_CLASS);
            assertThat(zip.getEntry(ArchiveLayout.INDEX).getMethod()).isEqualTo(ZipEntry.STORED);
        }
    }

    @Test
    void findWhenNameIsInAppAndLibsThenTheAppEntryComesFirst() throws IOException {
        try (Archive archive = Archive.open(pack().path())) {
            IndexedEntry shared = archive.find("shared.txt");

            assertThat(shared.container()).isZero();
            assertThat(shared.name()).isEqualTo("shared.txt");
            assertThat(new String(archive.read(shared), UTF_8)).isEqualTo("shared from app");
            assertThat(archive.find("b/only.txt").container()).isEqualTo(2);
        }
    }

    @Test
    void findWhenNameIsMissingThenNull() throws IOException {
        try (Archive archive = Archive.open(pack().path())) {
            assertThat(archive.find("app/Missing.class")).isNull();
            assertThat(archive.find("HERMETIC-INF/classes/app/Main.class")).isNull();
            assertThat(archive.find("HERMETIC-INF/lib/a.jar")).isNull();
            assertThat(archive.find("META-INF/MANIFEST.MF")).as("root entries are not indexed").isNull();
            assertThat(archive.findAll("nothing")).isEmpty();
        }
    }

    @Test
    void findAllWhenNameIsInSeveralContainersThenClassPathOrder() throws IOException {
        try (Archive archive = Archive.open(pack().path())) {
            List<IndexedEntry> all = archive.findAll("shared.txt");

            assertThat(all).extracting(IndexedEntry::container).containsExactly(0, 1, 2);
            List<String> contents = new ArrayList<>();
            for (IndexedEntry e : all) {
                contents.add(new String(archive.read(e), UTF_8));
            }
            assertThat(contents).containsExactly("shared from app", "shared from a", "shared from b");
            assertThat(all.get(1).method()).isEqualTo(ZipEntry.DEFLATED);
            assertThat(all.get(2).method()).isEqualTo(ZipEntry.STORED);
        }
    }

    @Test
    void entriesWhenListedThenEveryEntryByNameAndEachNameInClassPathOrder() throws IOException {
        TestArchives.Packed packed = pack();
        List<IndexedEntry> expected = new ArrayList<>(packed.entries());
        expected.sort(Comparator.comparing(IndexedEntry::name).thenComparingInt(IndexedEntry::container));

        try (Archive archive = Archive.open(packed.path())) {
            List<IndexedEntry> entries = archive.entries();

            assertThat(entries).containsExactlyElementsOf(expected);
            assertThat(entries).hasSize(4 + 5 + 2);
            assertThat(entries).filteredOn(IndexedEntry::directory).extracting(IndexedEntry::name).containsExactly("a/");
            assertThat(entries).filteredOn(e -> e.name().equals("app/Main.class")).singleElement()
                    .extracting(IndexedEntry::module).isEqualTo(0);
            assertThat(entries).filteredOn(e -> e.name().equals("shared.txt"))
                    .extracting(IndexedEntry::module).containsExactly(-1, -1, -1);
        }
    }

    @Test
    void readWhenNamesHaveSpacesAndNonAsciiThenFoundAndRead() throws IOException {
        try (Archive archive = Archive.open(pack().path())) {
            IndexedEntry app = archive.find("dir with space/" + NON_ASCII);
            IndexedEntry nested = archive.find("\u00fcber/" + NON_ASCII);

            assertThat(new String(archive.read(app), UTF_8)).isEqualTo("app non-ascii");
            assertThat(new String(archive.read(nested), UTF_8)).isEqualTo("nested non-ascii");
            assertThat(archive.find("dir with space/r\u00e9sum\u00e9 \u65e5\u672c.TXT")).isNull();
            assertThat(archive.describe(nested)).isEqualTo("HERMETIC-INF/lib/a.jar!/\u00fcber/" + NON_ASCII);
            assertThat(archive.describe(app)).isEqualTo("HERMETIC-INF/classes/dir with space/" + NON_ASCII);
        }
    }

    @Test
    void readWhenNestedEntryIsDeflatedThenOriginalBytes() throws IOException {
        try (Archive archive = Archive.open(pack().path())) {
            IndexedEntry big = archive.find("a/big.txt");

            assertThat(big.stored()).isFalse();
            assertThat(big.compressedSize()).isLessThan(BIG_TEXT.length / 10);
            assertThat(archive.read(big)).isEqualTo(BIG_TEXT);
            try (InputStream in = archive.open(big)) {
                assertThat(in.readAllBytes()).isEqualTo(BIG_TEXT);
            }
        }
    }

    @Test
    void readWhenNestedEntryIsStoredThenOriginalBytesAtTheRecordedOffset() throws IOException {
        TestArchives.Packed packed = pack();
        try (Archive archive = Archive.open(packed.path())) {
            IndexedEntry raw = archive.find("a/raw.bin");

            assertThat(raw.stored()).isTrue();
            assertThat(archive.read(raw)).isEqualTo(RAW);
            byte[] file = Files.readAllBytes(packed.path());
            assertThat(Arrays.copyOfRange(file, (int) raw.dataOffset(), (int) raw.dataOffset() + RAW.length))
                    .isEqualTo(RAW);
            CRC32 crc = new CRC32();
            crc.update(RAW);
            assertThat(raw.crc32()).isEqualTo((int) crc.getValue());
            assertThat(archive.read(archive.find("a/"))).isEmpty();
        }
    }

    @Test
    void readWhenStoredEntryHasWrongSizeThenArchiveFormatExceptionNamingArchiveAndEntry() throws IOException {
        // fixture: the index records the application's shared.txt (15 bytes) with size 16
        Path path = fixture().editEntries(edit("shared.txt", 0, e -> new IndexedEntry(e.name(), e.container(),
                e.dataOffset(), e.method(), e.compressedSize(), e.size() + 1, e.crc32(), e.module())))
                .write(dir.resolve("app.jar")).path();

        try (Archive archive = Archive.open(path)) {
            IndexedEntry shared = archive.find("shared.txt");
            assertThatThrownBy(() -> archive.read(shared))
                    .isInstanceOf(ArchiveFormatException.class)
                    .hasMessage(path + ": HERMETIC-INF/classes/shared.txt is stored but its sizes differ: 15 and 16");
        }
    }

    @Test
    void readWhenDeflatedEntryIsRecordedLargerThenArchiveFormatExceptionNamingArchiveAndEntry() throws IOException {
        // fixture: the index records a.jar's deflated a/big.txt one byte larger than it inflates to
        Path path = fixture().editEntries(edit("a/big.txt", 1, e -> new IndexedEntry(e.name(), e.container(),
                e.dataOffset(), e.method(), e.compressedSize(), e.size() + 1, e.crc32(), e.module())))
                .write(dir.resolve("app.jar")).path();

        try (Archive archive = Archive.open(path)) {
            IndexedEntry big = archive.find("a/big.txt");
            assertThatThrownBy(() -> archive.read(big))
                    .isInstanceOf(ArchiveFormatException.class)
                    .hasMessage(path + ": HERMETIC-INF/lib/a.jar!/a/big.txt inflates to " + BIG_TEXT.length
                            + " bytes, not the " + (BIG_TEXT.length + 1) + " recorded");
        }
    }

    @Test
    void readWhenDeflatedEntryIsRecordedSmallerThenArchiveFormatExceptionNamingArchiveAndEntry() throws IOException {
        // fixture: the index records a.jar's deflated a/big.txt one byte smaller than it inflates to
        Path path = fixture().editEntries(edit("a/big.txt", 1, e -> new IndexedEntry(e.name(), e.container(),
                e.dataOffset(), e.method(), e.compressedSize(), e.size() - 1, e.crc32(), e.module())))
                .write(dir.resolve("app.jar")).path();

        try (Archive archive = Archive.open(path)) {
            IndexedEntry big = archive.find("a/big.txt");
            assertThatThrownBy(() -> archive.read(big))
                    .isInstanceOf(ArchiveFormatException.class)
                    .hasMessage(path + ": HERMETIC-INF/lib/a.jar!/a/big.txt inflates to more than the "
                            + (BIG_TEXT.length - 1) + " bytes recorded");
        }
    }

    /** @return the fixture with the index pointing a.jar's deflated a/big.txt 40 bytes early, into its local header */
    private Path bigTextPointedEarly() throws IOException {
        return fixture().editEntries(edit("a/big.txt", 1, e -> new IndexedEntry(e.name(), e.container(),
                e.dataOffset() - 40, e.method(), e.compressedSize(), e.size(), e.crc32(), e.module())))
                .write(dir.resolve("app.jar")).path();
    }

    @Test
    void readWhenDeflatedEntryPointsAtOtherBytesThenArchiveFormatExceptionNamingArchiveAndEntry() throws IOException {
        Path path = bigTextPointedEarly();

        try (Archive archive = Archive.open(path)) {
            IndexedEntry big = archive.find("a/big.txt");
            assertThatThrownBy(() -> archive.read(big))
                    .isInstanceOf(ArchiveFormatException.class)
                    .hasMessageStartingWith(path + ": HERMETIC-INF/lib/a.jar!/a/big.txt ");
        }
    }

    @Test
    void readWhenEntryLiesOutsideItsNestedJarThenArchiveFormatException() throws IOException {
        // fixture: the index moves b.jar's stored shared.txt past the end of the file
        Path path = fixture().editEntries(edit("shared.txt", 2, e -> new IndexedEntry(e.name(), e.container(),
                1L << 40, e.method(), e.compressedSize(), e.size(), e.crc32(), e.module())))
                .write(dir.resolve("app.jar")).path();
        long length = Files.size(path);

        try (Archive archive = Archive.open(path)) {
            IndexedEntry shared = archive.findAll("shared.txt").get(2);
            assertThatThrownBy(() -> archive.read(shared))
                    .isInstanceOf(ArchiveFormatException.class)
                    .hasMessageStartingWith(path + ": HERMETIC-INF/index: HERMETIC-INF/lib/b.jar!/shared.txt: 13 bytes at offset "
                            + (1L << 40) + " lie outside its nested jar (offset ")
                    .hasMessageNotContaining(Long.toString(length));
        }
    }

    @Test
    void readWhenClosedThenIllegalStateExceptionNamingTheArchive() throws IOException {
        Path path = pack().path();
        Archive archive = Archive.open(path);
        IndexedEntry main = archive.find("app/Main.class");
        archive.close();

        assertThatThrownBy(() -> archive.read(main))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(path + " is closed");
    }

    @Test
    void openSliceWhenInsideTheFileThenStreamsExactlyThoseBytes() throws IOException {
        TestArchives.Packed packed = pack();
        Container a = packed.containers().get(1);
        byte[] file = Files.readAllBytes(packed.path());

        try (InputStream in = SliceInputStream.open(packed.path(), a.offset(), a.size())) {
            byte[] slice = in.readAllBytes();
            assertThat(slice).hasSize((int) a.size());
            assertThat(slice).isEqualTo(Arrays.copyOfRange(file, (int) a.offset(), (int) (a.offset() + a.size())));
            assertThat(TestArchives.scan(slice)).extracting(TestArchives.Scanned::name).contains("a/big.txt");
        }
    }

    @Test
    void openSliceWhenOutsideTheFileThenArchiveFormatException() throws IOException {
        Path path = pack().path();
        long length = Files.size(path);

        assertThatThrownBy(() -> SliceInputStream.open(path, length - 10, 11))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessage(path + ": 11 bytes at offset " + (length - 10) + " lie outside the file");
        assertThatThrownBy(() -> SliceInputStream.open(path, -1, 1))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessage(path + ": 1 bytes at offset -1 lie outside the file");
    }

    @Test
    void readSourceWhenModuleHasNoSourceThenNull() throws IOException {
        try (Archive archive = Archive.open(pack().path())) {
            Module without = new Module(5, "app/Gone.java", -1, ValidationMode.TRUSTED, new byte[32], 0, 0, 61, 17, "");

            assertThat(archive.readSource(without)).isNull();
            assertThat(archive.sourceStamp(without)).isNull();
        }
    }

    // ---- archives that open refuses

    @Test
    void openWhenFileIsNotAZipThenArchiveFormatException() throws IOException {
        // fixture: 2 KB of text
        Path text = Files.writeString(dir.resolve("notes.jar"), "this is not a zip archive\n".repeat(80));

        assertThatThrownBy(() -> Archive.open(text))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessage(text + ": not a zip archive: no end-of-central-directory record");
    }

    @Test
    void openWhenFileIsShorterThanAnEndRecordThenArchiveFormatException() throws IOException {
        // fixture: 5 bytes, which start like a zip
        Path tiny = Files.write(dir.resolve("tiny.jar"), new byte[] {'P', 'K', 5, 6, 0});

        assertThatThrownBy(() -> Archive.open(tiny))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessage(tiny + ": not a zip archive: 5 bytes is shorter than an end-of-central-directory record");
    }

    @Test
    void openWhenFileIsAPlainJarThenArchiveFormatExceptionNoSealNoIndex() throws IOException {
        // fixture: an ordinary jar made by ZipOutputStream, no comment
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n".getBytes(UTF_8));
        entries.put("app/Main.class", MAIN_CLASS);
        Path plain = Files.write(dir.resolve("plain.jar"), TestArchives.jar(entries));

        assertThatThrownBy(() -> Archive.open(plain))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessage(plain + ": not a Hermetic archive: no seal in its comment and no HERMETIC-INF/index entry");
    }

    @Test
    void openWhenSealIsOneCharacterOffThenOpensNotTrustBound() throws IOException {
        // fixture: a packed archive whose seal's last hex digit is replaced by 'g'
        Path path = pack().path();
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.seek(file.length() - 1);
            file.write('g');
        }

        try (Archive archive = Archive.open(path)) {
            assertThat(archive.trustBound()).isFalse();
            assertThat(archive.identity()).startsWith("edited ");
            assertThat(archive.read(archive.find("app/Main.class"))).isEqualTo(MAIN_CLASS);
        }
    }

    @Test
    void openWhenRewrittenUnchangedByZipOutputStreamThenOpens() throws IOException {
        // control for the next tests: copying every entry as it is gives the same central directory
        Path path = pack().path();
        Path copy = dir.resolve("copy.jar");
        rewrite(path, copy, null, null);

        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(path));
        try (Archive archive = Archive.open(copy)) {
            assertThat(archive.read(archive.find("app/Main.class"))).isEqualTo(MAIN_CLASS);
        }
    }

    /**
     * @return a copy of the sealed archive made by ZipOutputStream, entry by entry, with app/Main.class
     *         replaced by {@link #PATCHED_MAIN_CLASS}, bytes of the same length, and the comment (the seal) kept
     */
    private Path mainReplacedInPlace(Path sealed) throws IOException {
        Path edited = dir.resolve("edited.jar");
        rewrite(sealed, edited, "HERMETIC-INF/classes/app/Main.class", PATCHED_MAIN_CLASS);
        return edited;
    }

    @Test
    void openWhenAClassWasChangedAfterSealingThenNotTrustBoundServingTheNewBytesWithThePackedCrc() throws IOException {
        Path path = pack().path();
        Path edited = mainReplacedInPlace(path);

        assertThat(Files.size(edited)).isEqualTo(Files.size(path));
        try (Archive sealed = Archive.open(path); Archive archive = Archive.open(edited)) {
            assertThat(sealed.trustBound()).isTrue();
            assertThat(archive.trustBound()).isFalse();
            IndexedEntry main = archive.find("app/Main.class");
            assertThat(archive.read(main)).isEqualTo(PATCHED_MAIN_CLASS);
            // the entry keeps the CRC-32 the index recorded, so the loader can tell the cache was replaced
            assertThat(main.crc32()).isEqualTo(sealed.find("app/Main.class").crc32());
            assertThat(main.module()).isEqualTo(sealed.find("app/Main.class").module());
        }
    }

    @Test
    void openWhenAnEntryWasAddedAfterSealingThenNotTrustBoundAndTheEntryIsServed() throws IOException {
        // fixture: the sealed archive copied by ZipOutputStream with one more entry at the end
        Path path = pack().path();
        Path edited = dir.resolve("edited.jar");
        rewrite(path, edited, "HERMETIC-INF/classes/app/Added.class", "added".getBytes(UTF_8));

        try (Archive archive = Archive.open(edited)) {
            assertThat(archive.trustBound()).isFalse();
            assertThat(archive.read(archive.find("app/Added.class"))).isEqualTo("added".getBytes(UTF_8));
            assertThat(archive.read(archive.find("app/Main.class"))).isEqualTo(MAIN_CLASS);
            // nested jars are found through their own central directories, still in class-path order
            assertThat(archive.findAll("shared.txt")).extracting(IndexedEntry::container).containsExactly(0, 1, 2);
            assertThat(archive.read(archive.findAll("shared.txt").get(2))).isEqualTo("shared from b".getBytes(UTF_8));
        }
    }

    @Test
    void openWhenAnEntryWasReplacedInPlaceThenSealedUntilTheFirstTrustQuestionThenServedAsEdited() throws IOException {
        // nothing moves, so only the central directory's CRC-32 (a record's CRC field) tells the edit
        Path edited = mainReplacedInPlace(pack().path());

        try (Archive archive = Archive.open(edited)) {
            // opening read no central directory: the archive is served sealed, every read checked
            assertThat(archive.edited()).isFalse();
            assertThat(archive.read(archive.find("shared.txt"))).isEqualTo("shared from app".getBytes(UTF_8));
            IndexedEntry main = archive.find("app/Main.class");
            assertThatThrownBy(() -> archive.read(main)).isInstanceOf(ArchiveFormatException.class)
                    .hasMessageContaining("HERMETIC-INF/classes/app/Main.class: CRC-32 of the ")
                    .hasMessageEndingWith("(corrupt, or changed in place)");
            // the first trust question reads the central directory, finds the edit, and switches over
            assertThat(archive.trustBound()).isFalse();
            assertThat(archive.edited()).isTrue();
            assertThat(archive.identity()).startsWith("edited ");
            assertThat(archive.read(archive.find("app/Main.class"))).isEqualTo(PATCHED_MAIN_CLASS);
            assertThat(archive.readSource(archive.module(0))).isEqualTo(MAIN_SOURCE);
        }
    }

    @Test
    void identityWhenAnEntryWasReplacedInPlaceThenItIsTheEditedArchivesEvenAskedFirst() throws IOException {
        // identity keys the compile cache: asked before any other trust question, it must not be the seal's
        Path edited = mainReplacedInPlace(pack().path());

        try (Archive archive = Archive.open(edited)) {
            assertThat(archive.identity()).startsWith("edited ");
            assertThat(archive.edited()).isTrue();
        }
    }

    @Test
    void openWhenAnIndexPageIsCorruptThenOpenReadsItNotAndOnlyALookupTouchingItFails() throws IOException {
        // fixture: an index of several pages (400 more names), the last byte of its last page flipped in
        // the file: the end of the last name's string, "many/r399.txt"
        TestArchives.Builder builder = fixture().withoutDigests();
        for (int i = 0; i < 400; i++) {
            builder.app(String.format(Locale.ROOT, "many/r%03d.txt", i), new byte[] {(byte) i});
        }
        TestArchives.Packed packed = builder.write(dir.resolve("app.jar"));
        flip(packed.path(), packed.indexOffset() + packed.indexLength() - 1);
        int pages = ByteBuffer.wrap(Files.readAllBytes(packed.path()), (int) packed.indexOffset() + IndexLayout.H_PAGES, 4)
                .getInt();
        assertThat(pages).isGreaterThan(4);

        try (Archive archive = Archive.open(packed.path())) {
            assertThat(archive.read(archive.find("app/Main.class"))).isEqualTo(MAIN_CLASS);
            assertThat(archive.read(archive.find("many/r000.txt"))).isEqualTo(new byte[] {0});
            assertThatThrownBy(() -> archive.find("many/r399.txt")).isInstanceOf(ArchiveFormatException.class)
                    .hasMessageStartingWith(packed.path() + ": HERMETIC-INF/index: index checksum mismatch in page "
                            + (pages - 1) + " (");
        }
    }

    @Test
    void readWhenADeflatedEntryFailedToInflateThenLaterDeflatedEntriesStillInflate() throws IOException {
        Path path = bigTextPointedEarly();

        try (Archive archive = Archive.open(path)) {
            IndexedEntry big = archive.find("a/big.txt");
            IndexedEntry shared = archive.findAll("shared.txt").get(1);
            assertThat(shared.stored()).isFalse();
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> archive.read(big)).isInstanceOf(ArchiveFormatException.class);
                assertThat(archive.read(shared)).isEqualTo("shared from a".getBytes(UTF_8));
            }
        }
    }

    @Test
    void openWhenAnIndexByteIsCorruptThenArchiveFormatExceptionChecksumMismatch() throws IOException {
        // fixture: the last byte of the index's string section flipped in the file; the central
        // directory, and so the seal, are untouched
        TestArchives.Packed packed = pack();
        flip(packed.path(), packed.indexOffset() + packed.indexLength() - 5);

        assertThatThrownBy(() -> Archive.open(packed.path()))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessageStartingWith(packed.path() + ": HERMETIC-INF/index: index checksum mismatch in page 0 (")
                .hasMessageEndingWith("): the index is corrupt");
    }

    @Test
    void openWhenIndexVersionIsUnsupportedThenArchiveFormatException() throws IOException {
        // fixture: the index written with version 3 in its header and matching checksums
        Path path = fixture().editIndex(index -> TestArchives.withChecksums(
                ByteBuffer.wrap(index.clone()).putShort(IndexLayout.H_VERSION, (short) 3).array()))
                .write(dir.resolve("app.jar")).path();

        assertThatThrownBy(() -> Archive.open(path))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessage(path + ": HERMETIC-INF/index: index version 3 is not supported; this loader reads version 2");
    }

    @Test
    void openWhenIndexMagicIsWrongThenArchiveFormatException() throws IOException {
        // fixture: the index written with "HRMY" as its magic
        TestArchives.Packed packed = fixture().editIndex(index -> TestArchives.withChecksums(
                ByteBuffer.wrap(index.clone()).putInt(0, 0x48524D59).array()))
                .write(dir.resolve("app.jar"));

        assertThatThrownBy(() -> Archive.open(packed.path()))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessage(packed.path() + ": HERMETIC-INF/index: index is not a Hermetic index (bad magic)");
    }

    @Test
    void openWhenIndexHasNoContainersThenArchiveFormatException() throws IOException {
        // fixture: the index header's container count set to 0, checksums recomputed
        Path path = fixture().editIndex(index -> TestArchives.withChecksums(
                ByteBuffer.wrap(index.clone()).putInt(IndexLayout.H_CONTAINERS, 0).array()))
                .write(dir.resolve("app.jar")).path();

        assertThatThrownBy(() -> Archive.open(path))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessage(path + ": HERMETIC-INF/index: index has no application container");
    }

    @Test
    void openWhenIndexSectionLiesOutsideTheIndexThenArchiveFormatException() throws IOException {
        // fixture: the index header's names section moved to offset 1000000, checksums recomputed
        TestArchives.Packed packed = fixture().editIndex(index -> TestArchives.withChecksums(
                ByteBuffer.wrap(index.clone()).putInt(IndexLayout.H_NAMES_AT, 1_000_000).array()))
                .write(dir.resolve("app.jar"));

        assertThatThrownBy(() -> Archive.open(packed.path()))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessageStartingWith(packed.path() + ": HERMETIC-INF/index: index section at offset 1000000 with 9 records"
                        + " of 16 bytes lies outside the body of the index (")
                .hasMessageEndingWith(" to " + packed.indexLength() + ")");
    }

    @Test
    void openWhenSealPlacesTheIndexAfterTheCentralDirectoryThenArchiveFormatException() throws IOException {
        // fixture: a packed archive whose comment is put back to the placeholder and sealed again with
        // the index at the central directory's offset
        TestArchives.Packed packed = pack();
        long central;
        try (RandomAccessFile file = new RandomAccessFile(packed.path().toFile(), "rw")) {
            byte[] placeholder = SealWriter.placeholder().getBytes(UTF_8);
            file.seek(file.length() - placeholder.length);
            file.write(placeholder);
            file.seek(file.length() - placeholder.length - 6);
            central = Integer.toUnsignedLong(Integer.reverseBytes(file.readInt()));
        }
        // 16 bytes: sealing hashes the index, so it must lie inside the file
        SealWriter.write(packed.path(), central, 16, Instant.ofEpochMilli(TestArchives.TIME));

        assertThatThrownBy(() -> Archive.open(packed.path()))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessage(packed.path() + ": index of 16 bytes at offset " + central
                        + " does not lie before the central directory");
    }

    @Test
    void sealWhenCommentIsNotThePlaceholderThenArchiveFormatException() throws IOException {
        Path path = pack().path();
        byte[] before = Files.readAllBytes(path);

        assertThatThrownBy(() -> SealWriter.write(path, 0, 10, Instant.ofEpochMilli(TestArchives.TIME)))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessage(path + ": archive comment is not the seal placeholder");
        assertThat(Files.readAllBytes(path)).isEqualTo(before);
    }

    @Test
    void openWhenFileIsMissingThenIOExceptionNamingIt() {
        Path missing = dir.resolve("missing.jar");

        assertThatThrownBy(() -> Archive.open(missing))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString());
    }

    // ---- helpers

    private static UnaryOperator<IndexedEntry> edit(String name, int container, UnaryOperator<IndexedEntry> edit) {
        return e -> e.name().equals(name) && e.container() == container ? edit.apply(e) : e;
    }

    private static void flip(Path path, long offset) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.seek(offset);
            int b = file.read();
            file.seek(offset);
            file.write(b ^ 0x20);
        }
    }

    /**
     * Copies a zip entry by entry with {@link ZipOutputStream}, as a zip tool would, keeping names,
     * times, methods and the comment; {@code name} gets {@code bytes} instead (or is added at the end).
     */
    private static void rewrite(Path from, Path to, String name, byte[] bytes) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            boolean replaced = false;
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                byte[] data;
                try (InputStream stream = in.getInputStream(entry)) {
                    data = stream.readAllBytes();
                }
                if (entry.getName().equals(name)) {
                    data = bytes;
                    replaced = true;
                }
                copy(out, entry, data);
            }
            if (name != null && !replaced) {
                ZipEntry added = new ZipEntry(name);
                added.setTime(TestArchives.TIME);
                added.setMethod(ZipEntry.DEFLATED);
                copy(out, added, bytes);
            }
            out.setComment(in.getComment());
        }
    }

    private static void copy(ZipOutputStream out, ZipEntry entry, byte[] data) throws IOException {
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(entry.getTime());
        copy.setMethod(entry.getMethod());
        if (entry.getMethod() == ZipEntry.STORED) {
            CRC32 crc = new CRC32();
            crc.update(data);
            copy.setSize(data.length);
            copy.setCompressedSize(data.length);
            copy.setCrc(crc.getValue());
        }
        out.putNextEntry(copy);
        out.write(data);
        out.closeEntry();
    }
}
