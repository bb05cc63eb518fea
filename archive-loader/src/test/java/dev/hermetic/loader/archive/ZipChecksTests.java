package dev.hermetic.loader.archive;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The malformed-archive corpus: each fixture is made by {@link RawZip} (a byte-by-byte zip writer in
 * this test tree, no zip library, no downloaded binary) as a correct zip with one field spoiled, which
 * the test's comment names; each is refused by the strict reading ({@link Archive#checkZip}) with a
 * message naming the file, the entry and the field or offset.
 */
class ZipChecksTests {
    @TempDir
    Path dir;

    private Path write(RawZip zip) throws IOException {
        return Files.write(dir.resolve("fixture-" + System.nanoTime() + ".zip"), zip.toBytes());
    }

    private void assertRefused(RawZip zip, String message) throws IOException {
        Path file = write(zip);
        assertThatThrownBy(() -> Archive.checkZip(file))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessage(file + ": " + message);
    }

    private static RawZip two() {
        return new RawZip().stored("a.txt", "alpha").stored("b.txt", "beta");
    }

    @Test
    void checkZipWhenWellFormedThenPasses() throws IOException {
        // fixture: two stored entries, a deflated one and one with a data descriptor, all correct
        Path file = write(two().deflated("c.txt", "gamma".repeat(100).getBytes(UTF_8), e -> { })
                .deflated("d.txt", "delta".getBytes(UTF_8), e -> e.flags = 8));
        assertThatCode(() -> Archive.checkZip(file)).doesNotThrowAnyException();
    }

    @Test
    void checkZipWhenWellFormedThenReturnsEachEntryWithWhereItsDataStarts() throws IOException {
        // fixture: a.txt STORED (header at 0, 5-byte name: data at 35), b.txt DEFLATED after it (header at 40)
        byte[] beta = "beta".repeat(50).getBytes(UTF_8);
        RawZip zip = new RawZip().stored("a.txt", "alpha").deflated("b.txt", beta, e -> { });
        Path file = write(zip);
        CRC32 crc = new CRC32();
        crc.update(beta);

        assertThat(Archive.checkZip(file)).containsExactly(
                new IndexedEntry("a.txt", -1, 35, ZipEntry.STORED, 5, 5, zip.entries.get(0).crc, -1),
                new IndexedEntry("b.txt", -1, 75, ZipEntry.DEFLATED, zip.entries.get(1).stored.length, beta.length,
                        (int) crc.getValue(), -1));
    }

    // ---- end record

    @Test
    void checkZipWhenBytesFollowTheEndRecordThenTrailingJunk() throws IOException {
        // fixture: five bytes appended after the end record
        RawZip zip = two();
        zip.trailing = "junk!".getBytes(UTF_8);
        assertRefused(zip, "trailing junk: 5 bytes after the end-of-central-directory record at offset 181");
    }

    @Test
    void checkZipWhenTheCommentHoldsAnotherEndRecordThenSeveralEndRecords() throws IOException {
        // fixture: the archive comment is a second, empty end record
        RawZip zip = two();
        zip.comment = RawZip.le(22).putInt(0x06054b50).array();
        assertRefused(zip, "several end records: at offsets 181 and 203, each reaching to the end of the file");
    }

    @Test
    void checkZipWhenTheCommentHoldsAnEndRecordSignatureThenSeveralEndRecords() throws IOException {
        // fixture: the archive comment holds the signature three bytes in, not as a record reaching the end
        RawZip zip = two();
        zip.comment = RawZip.le(9).put("abc".getBytes(UTF_8)).putInt(0x06054b50).put("de".getBytes(UTF_8)).array();
        assertRefused(zip, "several end records: the comment of the end record at offset 181 holds another at offset 206");
    }

    @Test
    void checkZipWhenTheEndRecordCountsMoreEntriesThenRefused() throws IOException {
        // fixture: the end record's entry counts say 3, the central directory has 2 records
        RawZip zip = two();
        zip.endEntries = 3;
        assertRefused(zip, "central directory lists 2 entries, the end record says 3");
    }

    @Test
    void checkZipWhenTheEndRecordCountsFewerEntriesThenRefusedAtTheExtraRecord() throws IOException {
        // fixture: the end record's entry counts say 1, the central directory has 2 records
        RawZip zip = two();
        zip.endEntries = 1;
        assertRefused(zip, "central directory has more than the 1 entries the end record says: another record at offset 130");
    }

    @Test
    void checkZipWhenTheCentralDirectoryOffsetIsPastTheEndRecordThenRefused() throws IOException {
        // fixture: the end record's central directory offset is 1000, past the file
        RawZip zip = two();
        zip.endCentralOffset = 1000L;
        assertRefused(zip, "central directory of 102 bytes at offset 1000 does not end before the end record at offset 181");
    }

    @Test
    void checkZipWhenNoEndRecordThenNotAZip() throws IOException {
        // fixture: 100 bytes of text
        Path file = Files.writeString(dir.resolve("text.zip"), "x".repeat(100));
        assertThatThrownBy(() -> Archive.checkZip(file)).isInstanceOf(ArchiveFormatException.class)
                .hasMessage(file + ": not a zip archive: no end-of-central-directory record");
    }

    // ---- central directory against local headers

    @Test
    void checkZipWhenLocalNameDiffersThenRefusedNamingBoth() throws IOException {
        // fixture: b.txt's local header names it c.txt
        RawZip zip = new RawZip().stored("a.txt", "alpha").stored("b.txt", "beta", e -> e.localName = "c.txt".getBytes(UTF_8));
        assertRefused(zip, "b.txt: named \"c.txt\" in the local header at offset 40");
    }

    @Test
    void checkZipWhenLocalMethodDiffersThenRefused() throws IOException {
        // fixture: a.txt is STORED in the central directory, DEFLATED in its local header
        assertRefused(new RawZip().stored("a.txt", "alpha", e -> e.localMethod = 8),
                "a.txt: method 8 in the local header at offset 0, 0 in the central directory");
    }

    @Test
    void checkZipWhenLocalFlagsDifferThenRefused() throws IOException {
        // fixture: a.txt's local header has the UTF-8 flag, its central record not
        assertRefused(new RawZip().stored("a.txt", "alpha", e -> e.localFlags = 0x800),
                "a.txt: flags 0x800 in the local header at offset 0, 0x0 in the central directory");
    }

    @Test
    void checkZipWhenLocalSizesDifferThenRefused() throws IOException {
        // fixture: a.txt's local header says 4 bytes, the central directory 5
        assertRefused(new RawZip().stored("a.txt", "alpha", e -> {
            e.localCompressedSize = 4L;
            e.localSize = 4L;
        }), "a.txt: sizes 4/4 in the local header at offset 0, 5/5 in the central directory");
    }

    @Test
    void checkZipWhenDataDescriptorDiffersThenRefused() throws IOException {
        // fixture: d.txt's data descriptor records a wrong CRC-32
        assertRefused(new RawZip().deflated("d.txt", "delta".getBytes(UTF_8), e -> {
            e.flags = 8;
            e.descriptor = RawZip.le(16).putInt(0x08074b50).putInt(1234).putInt(7).putInt(5).array();
        }), "d.txt: data descriptor at offset 42 differs from the central directory");
    }

    @Test
    void checkZipWhenNoLocalHeaderAtTheRecordedOffsetThenRefused() throws IOException {
        // fixture: b.txt's central record points at offset 5, inside a.txt's header
        assertRefused(two().stored("c.txt", "x", e -> e.localOffset = 5L), "c.txt: no local header at offset 5");
    }

    // ---- names

    @Test
    void checkZipWhenNameIsTwiceThenDuplicate() throws IOException {
        assertRefused(two().stored("a.txt", "again"), "duplicate entry a.txt");
    }

    @Test
    void checkZipWhenAFileAndADirectoryShareANameThenDuplicate() throws IOException {
        // fixture: entries "a" and "a/"
        assertRefused(new RawZip().stored("a", "file").stored("a/", ""),
                "duplicate entry a/: the same as a as a file and a directory");
    }

    @Test
    void checkZipWhenNamesDifferOnlyInCaseThenDuplicate() throws IOException {
        assertRefused(new RawZip().stored("META-INF/LICENSE", "x").stored("META-INF/license", "y"),
                "duplicate entry META-INF/license: the same as META-INF/LICENSE but for case");
    }

    @Test
    void checkZipWhenAFileIsUsedAsADirectoryThenRefused() throws IOException {
        assertRefused(new RawZip().stored("a", "file").stored("a/b.txt", "below"), "entry a/b.txt lies below a, which is a file");
    }

    @Test
    void checkZipWhenNamesAreUnsafeThenEachRefusedSayingWhy() throws IOException {
        String[][] cases = {
                {"../evil.txt", "\"..\" segment"},
                {"a/../../evil.txt", "\"..\" segment"},
                {"/etc/passwd", "absolute"},
                {"C:/evil.txt", "drive letter"},
                {"a\\b.txt", "backslash"},
                {"a\u0000b.txt", "NUL character"},
                {"a\nb.txt", "control character 0xa"},
                {"a//b.txt", "empty segment"},
                {"./a.txt", "\".\" segment"},
        };
        for (String[] c : cases) {
            String shown = c[0].replace("\u0000", "\\u0000").replace("\n", "\\u000a");
            assertRefused(new RawZip().stored(c[0], "x"), "unsafe entry name \"" + shown
                    + "\" in the central directory record at offset " + (31 + c[0].getBytes(UTF_8).length) + ": " + c[1]);
        }
    }

    @Test
    void checkZipWhenNameIsNotUtf8ThenRefused() throws IOException {
        // fixture: the name is the bytes C3 28, an invalid UTF-8 sequence
        RawZip zip = new RawZip().stored("x", "x", e -> e.name = new byte[] {(byte) 0xC3, 0x28});
        assertRefused(zip, "entry name in the central directory record at offset 33 is not valid UTF-8");
    }

    // ---- overlaps and gaps

    @Test
    void checkZipWhenAnEntrysDataRunsIntoTheNextThenOverlap() throws IOException {
        // fixture: a.txt (deflated) records 20 more compressed bytes than it has, in both headers
        RawZip zip = new RawZip().deflated("a.txt", "alpha".getBytes(UTF_8), e -> {
            e.compressedSize = 27L;
            e.localCompressedSize = 27L;
        }).stored("b.txt", "beta");
        assertRefused(zip, "b.txt: its local header at offset 42 overlaps the entry before it, which ends at offset 62");
    }

    @Test
    void checkZipWhenTwoRecordsShareALocalHeaderThenRefused() throws IOException {
        // fixture: a third central record "a.txt " points at a.txt's local header
        RawZip zip = two().stored("c.txt", "gamma", e -> e.localOffset = 0L);
        assertRefused(zip, "c.txt: named \"a.txt\" in the local header at offset 0");
    }

    @Test
    void checkZipWhenBytesLieBetweenTheEntriesAndTheCentralDirectoryThenUnaccounted() throws IOException {
        // fixture: 7 bytes between the last entry and the central directory
        RawZip zip = two();
        zip.gapBeforeCentral = "hidden!".getBytes(UTF_8);
        assertRefused(zip, "7 unaccounted bytes at offset 79 before the central directory");
    }

    // ---- ZIP64, encryption, methods, ratio

    @Test
    void checkZipWhenZip64SentinelHasNoExtraFieldThenRefused() throws IOException {
        assertRefused(new RawZip().stored("a.txt", "alpha", e -> e.centralSizeSentinel = 1),
                "a.txt: ZIP64 sentinel in the central directory record at offset 40 without a ZIP64 extra field");
    }

    @Test
    void checkZipWhenTwoZip64ExtraFieldsThenRefused() throws IOException {
        assertRefused(new RawZip().stored("a.txt", "alpha", e -> {
            e.centralSizeSentinel = 1;
            e.centralExtra = RawZip.concat(RawZip.zip64Extra(5), RawZip.zip64Extra(5));
        }), "a.txt: several ZIP64 extra fields in the central directory record at offset 40");
    }

    @Test
    void checkZipWhenExtraFieldRunsPastItsDataThenRefused() throws IOException {
        assertRefused(new RawZip().stored("a.txt", "alpha", e -> e.centralExtra = new byte[] {9, 0, 10, 0, 1}),
                "a.txt: extra field 0x9 of 10 bytes runs past the extra data in the central directory record at offset 40");
    }

    @Test
    void checkZipWhenEntryIsEncryptedThenRefused() throws IOException {
        assertRefused(new RawZip().stored("a.txt", "alpha", e -> e.flags = 1),
                "a.txt: encrypted (flags 0x1 in the central directory record at offset 40)");
    }

    @Test
    void checkZipWhenMethodIsBzip2ThenUnsupported() throws IOException {
        assertRefused(new RawZip().stored("a.txt", "alpha", e -> e.method = 12),
                "a.txt: unsupported compression method 12 in the central directory record at offset 40");
    }

    @Test
    void checkZipWhenDeclaredSizeExceedsDeflatesMaximumRatioThenZipBomb() throws IOException {
        // fixture: 1 MiB of zeros deflates to ~1 KiB; the headers declare 2 GiB - 1
        RawZip zip = new RawZip().deflated("bomb.bin", new byte[1 << 20], e -> {
            e.size = 0x7FFF_FFFFL;
            e.localSize = 0x7FFF_FFFFL;
        });
        Path file = write(zip);
        assertThatThrownBy(() -> Archive.checkZip(file)).isInstanceOf(ArchiveFormatException.class)
                .hasMessageStartingWith(file + ": bomb.bin: declares 2147483647 bytes from ")
                .hasMessageEndingWith(" compressed bytes, more than deflate's maximum ratio of 1032:1 (a zip bomb)");
    }

    // ---- prefixes

    @Test
    void checkZipWhenALaunchScriptIsPrependedWithOffsetsAdjustedThenPasses() throws IOException {
        // fixture: as `zip -A` makes it: a script, then a zip whose offsets count the script
        RawZip zip = two();
        zip.prefix = "#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n".getBytes(UTF_8);
        Path file = write(zip);
        assertThatCode(() -> Archive.checkZip(file)).doesNotThrowAnyException();
    }

    @Test
    void checkZipWhenALaunchScriptIsPrependedWithOffsetsUnadjustedThenPasses() throws IOException {
        // fixture: as `cat script zip` makes it: the zip's offsets do not count the script
        RawZip zip = two();
        zip.prefix = "#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n".getBytes(UTF_8);
        zip.adjustOffsetsForPrefix = false;
        Path file = write(zip);
        assertThatCode(() -> Archive.checkZip(file)).doesNotThrowAnyException();
    }

    @Test
    void checkZipWhenTheprefixIsAnotherZipThenSeveralZips() throws IOException {
        // fixture: a whole zip, then another zip (as `cat a.zip b.zip` makes it, offsets unadjusted)
        RawZip zip = two();
        zip.prefix = new RawZip().stored("hidden.class", "x").toBytes();
        zip.adjustOffsetsForPrefix = false;
        assertRefused(zip, "the 123 bytes before the first entry hold a zip signature at offset 0: several zips in one file");
    }

    // ---- a Hermetic archive: prefix, nesting

    private TestArchives.Builder hermetic() {
        Map<String, byte[]> lib = new LinkedHashMap<>();
        lib.put("lib/inner.jar", TestArchives.jar(Map.of("deep/Deep.class", new byte[] {1, 2, 3})));
        lib.put("lib/R.txt", "resource".getBytes(UTF_8));
        return TestArchives.archive("app.Main").launcherManifest()
                .app("app/Main.class", "main".getBytes(UTF_8))
                .lib("dep.jar", TestArchives.jar(lib, "lib/inner.jar"));
    }

    @Test
    void openWhenALaunchScriptWasPrependedThenServedThroughTheCentralDirectory() throws IOException {
        // fixture: a sealed archive with a shell script prepended by concatenation (offsets unadjusted)
        Path packed = hermetic().write(dir.resolve("packed.jar")).path();
        Path script = dir.resolve("app.run");
        Files.write(script, RawZip.concat("#!/bin/sh\nexec java -jar \"$0\"\n".getBytes(UTF_8), Files.readAllBytes(packed)));

        Archive.checkStrictly(script);
        try (Archive archive = Archive.open(script)) {
            assertThat(archive.trustBound()).isFalse();
            assertThat(archive.read(archive.find("app/Main.class"))).isEqualTo("main".getBytes(UTF_8));
            assertThat(archive.read(archive.find("lib/R.txt"))).isEqualTo("resource".getBytes(UTF_8));
        }
    }

    @Test
    void openWhenANestedJarHoldsAJarThenThatJarIsOnlyAResource() throws IOException {
        // fixture: dep.jar holds lib/inner.jar, which holds deep/Deep.class
        Path packed = hermetic().write(dir.resolve("packed.jar")).path();
        try (Archive archive = Archive.open(packed)) {
            assertThat(archive.find("deep/Deep.class")).isNull();
            assertThat(archive.containers()).hasSize(2);
            assertThat(archive.read(archive.find("lib/inner.jar"))).startsWith(0x50, 0x4b, 3, 4);
        }
    }

    @Test
    void checkStrictlyWhenAJarLiesBelowASubdirectoryOfLibThenNestedTooDeep() throws IOException {
        // fixture: a zip with HERMETIC-INF/lib/x/y.jar, stored
        RawZip zip = new RawZip().stored("HERMETIC-INF/lib/x/y.jar", "not read");
        Path file = write(zip);
        assertThatThrownBy(() -> Archive.checkStrictly(file)).isInstanceOf(ArchiveFormatException.class)
                .hasMessage(file + ": HERMETIC-INF/lib/x/y.jar: nested deeper than one level; nested jars lie directly in HERMETIC-INF/lib/");
    }

    @Test
    void checkStrictlyWhenANestedJarIsMalformedThenNamesTheNestedJarAndEntry() throws IOException {
        // fixture: dep.jar (stored) whose own zip has a name with a ".." segment
        RawZip inner = new RawZip().stored("../x.class", "x");
        RawZip zip = new RawZip().stored("HERMETIC-INF/lib/dep.jar", "", e -> e.data = inner.toBytes());
        Path file = write(zip);
        assertThatThrownBy(() -> Archive.checkStrictly(file)).isInstanceOf(ArchiveFormatException.class)
                .hasMessage(file + ": nested jar HERMETIC-INF/lib/dep.jar: unsafe entry name \"../x.class\" in the central"
                        + " directory record at offset 41: \"..\" segment");
    }

    @Test
    void checkStrictlyWhenPackedByTestArchivesThenPasses() throws IOException {
        Path packed = hermetic().write(dir.resolve("packed.jar")).path();
        assertThatCode(() -> Archive.checkStrictly(packed)).doesNotThrowAnyException();
    }

    @Test
    void checkZipWhenTheFileIsASingleByteMutationOfAValidZipThenOnlyArchiveFormatExceptions() throws IOException {
        // fixture: every byte of a small valid zip set in turn to 0, its value +1 and -1, and 0xFF
        byte[] valid = two().deflated("c.txt", "gamma".getBytes(UTF_8), e -> e.flags = 8).toBytes();
        int refused = 0;
        for (int i = 0; i < valid.length; i++) {
            for (int delta : new int[] {1, -1, 0x100, 0xFF}) {
                byte[] mutated = valid.clone();
                mutated[i] = (byte) (delta == 0x100 ? 0 : delta == 0xFF ? 0xFF : mutated[i] + delta);
                if (Arrays.equals(mutated, valid)) {
                    continue;
                }
                Path file = Files.write(dir.resolve("m.zip"), mutated);
                try {
                    Archive.checkZip(file);
                } catch (ArchiveFormatException expected) {
                    refused++;
                }
            }
        }
        assertThat(refused).isGreaterThan(valid.length * 2);
    }
}
