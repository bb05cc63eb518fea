package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.IndexWriter;
import dev.hermetic.loader.archive.IndexedEntry;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArchiveWriter}: copying a file whose CRC-32 was computed beforehand (on another thread, while
 * other entries were written), where a file that is no longer what its CRC-32 says is refused; and ZIP64
 * where the zip format needs it, read back by the JDK, Commons Compress, Zip4j and the loader.
 */
class ArchiveWriterTests {
    @TempDir
    Path tmp;

    private static int crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    @Test
    void writeWhenTheFileMatchesItsCrcThenCopiesItStoredWhereTheWrittenRecordSays() throws IOException {
        byte[] bytes = "the nested jar's bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path file = write(tmp.resolve("lib.jar"), bytes);
        Path out = tmp.resolve("out.zip");
        ArchiveWriter.Written written;
        try (ArchiveWriter zip = new ArchiveWriter(out, PackOptions.DEFAULT_TIMESTAMP)) {
            zip.write("first", new byte[] {1, 2, 3});
            written = zip.write("lib/lib.jar", file, crc32(bytes));
        }
        byte[] archive = Files.readAllBytes(out);
        assertThat(written).isEqualTo(new ArchiveWriter.Written(written.offset(), bytes.length, crc32(bytes),
                ZipEntry.STORED, bytes.length));
        assertThat(java.util.Arrays.copyOfRange(archive, (int) written.offset(), (int) written.offset() + bytes.length))
                .isEqualTo(bytes);
    }

    @Test
    void writeWhenTheFileChangedSinceItsCrcWasComputedThenFailsNamingIt() throws IOException {
        Path file = tmp.resolve("lib.jar");
        // the same size with other bytes, a shorter file and a longer one
        for (String after : List.of("after!", "after", "after!!")) {
            write(file, "before");
            int before = crc32(Files.readAllBytes(file));
            write(file, after);
            ArchiveWriter zip = new ArchiveWriter(tmp.resolve("out.zip"), PackOptions.DEFAULT_TIMESTAMP);
            assertThatThrownBy(() -> zip.write("lib/lib.jar", file, before)).as(after)
                    .isExactlyInstanceOf(PackException.class)
                    .hasMessage(file + ": changed while being packed");
            zip.close(); // the pack deletes the unfinished archive
        }
    }

    @Test
    void writeWhenANameIsLongerThanAZipAllowsThenFailsNamingIt() throws IOException {
        String longest = "HERMETIC-INF/classes/" + "a".repeat(0xFFFF - 21);
        String name = longest.substring(0, longest.length() - 1) + "é"; // one byte too many in UTF-8
        try (ArchiveWriter zip = new ArchiveWriter(tmp.resolve("out.zip"), PackOptions.DEFAULT_TIMESTAMP)) {
            assertThatThrownBy(() -> zip.write(name, new byte[1]))
                    .isExactlyInstanceOf(PackException.class)
                    .hasMessage("entry name of 65536 bytes is longer than a zip allows (65,535): "
                            + name.substring(0, 64) + "...");
            zip.write(longest, new byte[1]);
        }
    }

    /**
     * Reads an archive with the JDK's {@code ZipFile}, Commons Compress, Zip4j and the loader's strict check,
     * and asserts they all list these entries with these sizes and CRC-32s.
     */
    private static void assertEveryReaderLists(Path archive, Map<String, ArchiveWriter.Written> expected) throws IOException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        expected.forEach((name, w) -> sizes.put(name, w.size()));
        Map<String, Long> jdk = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            zip.stream().forEach(e -> jdk.put(e.getName(), e.getSize()));
            assertThat(zip.getComment()).hasSize(IndexWriter.SEAL_LENGTH).startsWith("hermetic-seal/3 ");
        }
        assertThat(jdk).as("JDK ZipFile").containsExactlyEntriesOf(sizes);
        Map<String, Long> commons = new LinkedHashMap<>();
        try (org.apache.commons.compress.archivers.zip.ZipFile zip =
                     org.apache.commons.compress.archivers.zip.ZipFile.builder().setPath(archive).get()) {
            zip.getEntries().asIterator().forEachRemaining(e -> commons.put(e.getName(), e.getSize()));
        }
        assertThat(commons).as("Commons Compress").containsExactlyEntriesOf(sizes);
        Map<String, Long> zip4j = new LinkedHashMap<>();
        try (net.lingala.zip4j.ZipFile zip = new net.lingala.zip4j.ZipFile(archive.toFile())) {
            zip.getFileHeaders().forEach(h -> zip4j.put(h.getFileName(), h.getUncompressedSize()));
        }
        assertThat(zip4j).as("Zip4j").containsExactlyEntriesOf(sizes);
        List<IndexedEntry> checked = Archive.checkZip(archive);
        assertThat(checked).hasSize(expected.size());
        for (IndexedEntry e : checked) {
            ArchiveWriter.Written w = expected.get(e.name());
            assertThat(new ArchiveWriter.Written(e.dataOffset(), e.size(), e.crc32(), e.method(), e.compressedSize()))
                    .as(e.name()).isEqualTo(w);
        }
    }

    @Test
    void finishWhenThereAre65535EntriesOrMoreThenWritesZip64EndRecordsThatEveryReaderReads() throws IOException {
        Path out = tmp.resolve("many.zip");
        Map<String, ArchiveWriter.Written> written = new LinkedHashMap<>();
        try (ArchiveWriter zip = new ArchiveWriter(out, PackOptions.DEFAULT_TIMESTAMP)) {
            for (int i = 0; i < 0xFFFF; i++) {
                String name = "e/" + i;
                written.put(name, zip.write(name, Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
            }
            zip.finish(0, new byte[0]);
        }
        byte[] tail = Arrays.copyOfRange(Files.readAllBytes(out), (int) Files.size(out) - 98 - IndexWriter.SEAL_LENGTH,
                (int) Files.size(out));
        assertThat(ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN).getInt(0)).as("ZIP64 end record").isEqualTo(0x06064b50);
        assertEveryReaderLists(out, written);
    }

    @Test
    void writeWhenAnEntryReachesPast4GiBThenZip64FieldsCarryItsSizeAndTheNextOffsetForEveryReader() throws IOException {
        Path big = tmp.resolve("big.jar");
        long size = (1L << 32) + 3; // sparse: holes read as zeros, so only the archive takes disk space
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(size);
        }
        CRC32 crc = new CRC32();
        byte[] zeros = new byte[1 << 20];
        for (long left = size; left > 0; left -= zeros.length) {
            crc.update(zeros, 0, (int) Math.min(left, zeros.length));
        }
        Path out = tmp.resolve("large.zip");
        Map<String, ArchiveWriter.Written> written = new LinkedHashMap<>();
        try (ArchiveWriter zip = new ArchiveWriter(out, PackOptions.DEFAULT_TIMESTAMP)) {
            written.put("a", zip.write("a", new byte[] {1}));
            written.put("lib/big.jar", zip.write("lib/big.jar", big, (int) crc.getValue()));
            written.put("after", zip.write("after", new byte[] {2, 3}));
            zip.finish(0, new byte[0]);
        }
        Files.delete(big);
        assertThat(written.get("after").offset()).isGreaterThan(size);
        assertEveryReaderLists(out, written);
    }
}
