package dev.hermetic.loader.archive;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Jazzer fuzz tests of the archive reader and the index reader. In the normal suite (no
 * {@code JAZZER_FUZZ}) each runs as a regression test over its seed corpus in
 * {@code src/test/resources/dev/hermetic/loader/archive/ArchiveFuzzTestsInputs/METHOD/} (made by
 * {@link FuzzSeeds}, plus every finding, kept there as a regression input); {@code -Pfuzz} fuzzes each
 * for {@code maxDuration}. A finding is any exception other than {@link ArchiveFormatException} (or an
 * {@link IOException} the file system gives), and any {@link Error}.
 */
class ArchiveFuzzTests {
    /** The names a fuzz run tries besides those the archive lists: present in the seeds. */
    private static final List<String> NAMES = List.of("app/Main.class", "shared.txt", "a/big.txt", "lib/R.txt",
            "missing/Nothing.class", "META-INF/MANIFEST.MF");
    private static final int MAX_READS = 64;

    @FuzzTest(maxDuration = "5m")
    void openWhenBytesAreArbitraryThenReadsOrArchiveFormatException(byte[] bytes) throws IOException {
        Path file = Files.createTempFile("fuzz", ".jar");
        try {
            Files.write(file, bytes);
            exercise(file);
            try {
                Archive.checkStrictly(file);
            } catch (ArchiveFormatException expected) {
                // refused: fine
            }
        } finally {
            Files.delete(file);
        }
    }

    /**
     * Opens, finds and reads as a class loader would, at the default level and under {@code digest};
     * only {@link ArchiveFormatException} may end it.
     */
    static void exercise(Path file) throws IOException {
        exercise(file, Integrity.DEFAULT);
        exercise(file, Integrity.DIGEST);
    }

    private static void exercise(Path file, Integrity integrity) throws IOException {
        try (Archive archive = Archive.open(file, integrity)) {
            int reads = 0;
            for (String name : NAMES) {
                for (IndexedEntry e : archive.findAll(name)) {
                    reads++;
                    read(archive, e);
                }
            }
            archive.mainClass();
            archive.modules();
            for (IndexedEntry e : archive.entries()) {
                if (reads++ > MAX_READS) {
                    break;
                }
                read(archive, e);
                archive.find(e.name());
                archive.moduleOf(e.name());
            }
            for (Module m : archive.modules()) {
                archive.readSource(m);
            }
        } catch (ArchiveFormatException expected) {
            // refused: fine
        }
    }

    private static void read(Archive archive, IndexedEntry e) throws IOException {
        try {
            archive.read(e);
        } catch (ArchiveFormatException expected) {
            // this entry is refused, the others may still be read
        }
    }

    @FuzzTest(maxDuration = "5m")
    void indexReaderWhenBytesAreArbitraryThenLooksUpOrArchiveFormatException(byte[] bytes) {
        // the page count and checksums are made right, or nearly every input would stop at them
        byte[] index = bytes.length >= IndexLayout.HEADER_SIZE ? TestArchives.withChecksums(bytes) : bytes;
        try {
            IndexReader reader = new IndexReader(Path.of("fuzz.jar"), index);
            reader.mainClass();
            reader.containers();
            for (int m = 0; m < Math.min(reader.moduleCount(), MAX_READS); m++) {
                reader.moduleRecord(m);
            }
            for (int id = 0; id < Math.min(reader.nameCount(), MAX_READS); id++) {
                String name = reader.name(id);
                reader.find(name);
                reader.module(id);
                reader.entries(id);
            }
            for (String name : NAMES) {
                reader.find(name);
                reader.applicationDigest(name);
            }
            if (reader.hasDigests()) {
                for (int c = 1; c < Math.min(reader.containerCount(), MAX_READS); c++) {
                    reader.containerDigest(c);
                }
            }
        } catch (ArchiveFormatException expected) {
            // refused: fine
        } catch (IOException e) {
            throw new AssertionError("an index in memory can fail only as malformed", e);
        }
    }
}
