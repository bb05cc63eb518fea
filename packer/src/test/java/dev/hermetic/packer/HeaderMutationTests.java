package dev.hermetic.packer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveFormatException;
import dev.hermetic.loader.archive.IndexedEntry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The header-field corpus: a packer-made archive (application classes and a resource, shipped sources, a
 * nested jar with STORED and DEFLATED entries) in which every field of the end record, of every central
 * directory record and of every local header is set in turn to its value +1, its value -1, 0 and its
 * maximum (all bytes 0xFF). Each mutant must either open and serve every entry with exactly its packed
 * bytes, or be refused with an {@link ArchiveFormatException}, by the loader's reader and by the strict
 * check behind {@code inspect} and {@code verify}: never another exception, never other bytes. The
 * loader's reader is asked twice: as opened (a sealed archive is read through its index, its central
 * directory unread), then after {@link Archive#trustBound()}, the question a module with a source asks,
 * which reads the central directory and serves a mismatching archive through it.
 */
class HeaderMutationTests {
    /** Field widths of the end record, a central directory record and a local header, in order. */
    private static final int[] END_FIELDS = {4, 2, 2, 2, 2, 4, 4, 2};
    private static final int[] CENTRAL_FIELDS = {4, 2, 2, 2, 2, 2, 2, 4, 4, 4, 2, 2, 2, 2, 2, 4, 4};
    private static final int[] LOCAL_FIELDS = {4, 2, 2, 2, 2, 2, 4, 4, 4, 2, 2};

    @TempDir
    static Path dir;

    static byte[] packed;
    static Map<String, byte[]> contents;

    @BeforeAll
    static void pack() throws IOException {
        Path src = dir.resolve("src");
        TestFixtures.writeSource(src, "app.Main", "package app; public class Main { public static void main(String[] a) {} }");
        TestFixtures.write(src.resolve("app/notes.txt"), "a resource");
        Path lib = TestFixtures.jar().stored("lib/stored.txt", "stored in the jar")
                .deflated("lib/deflated.txt", "deflated in the jar ".repeat(20)).write(dir.resolve("lib.jar"));
        Path out = dir.resolve("app.jar");
        Packer.pack(PackOptions.builder().out(out).addSources(src).addLib(lib).mainClass("app.Main").build());
        packed = Files.readAllBytes(out);
        contents = new LinkedHashMap<>();
        try (Archive archive = Archive.open(out)) {
            for (IndexedEntry entry : archive.entries()) {
                contents.put(entry.container() + "/" + entry.name(), archive.read(entry));
            }
        }
        assertThat(contents).containsKeys("0/app/Main.class", "0/app/notes.txt", "1/lib/deflated.txt");
    }

    @Test
    void openWhenAnyHeaderFieldIsMutatedThenTheSameBytesOrArchiveFormatException() throws IOException {
        List<int[]> fields = fields();
        int mutants = 0;
        int refusedByLoader = 0;
        int refusedStrictly = 0;
        Path file = dir.resolve("mutant.jar");
        for (int[] field : fields) {
            for (long value : mutations(field)) {
                byte[] mutant = packed.clone();
                put(mutant, field[0], field[1], value);
                if (Arrays.equals(mutant, packed)) {
                    continue;
                }
                mutants++;
                Files.write(file, mutant);
                String what = "field of " + field[1] + " bytes at offset " + field[0] + " set to " + value;
                if (!servesPackedBytesOrRefuses(file, what)) {
                    refusedByLoader++;
                }
                try {
                    Archive.checkStrictly(file);
                } catch (ArchiveFormatException refused) {
                    refusedStrictly++;
                } catch (IOException | RuntimeException | Error other) {
                    throw new AssertionError("strict check of " + what + " threw " + other, other);
                }
            }
        }
        assertThat(fields.size()).as("fields mutated").isGreaterThan(100);
        assertThat(refusedByLoader).as("of %d mutants, refused by the loader", mutants).isGreaterThan(mutants / 3);
        assertThat(refusedStrictly).as("of %d mutants, refused strictly", mutants).isGreaterThanOrEqualTo(refusedByLoader / 2);
    }

    /** @return false when the loader refused the mutant; fails the test on any other outcome but the packed bytes */
    private static boolean servesPackedBytesOrRefuses(Path file, String what) {
        try (Archive archive = Archive.open(file)) {
            servesPackedBytes(archive, what + ", as opened");
            archive.trustBound();
            servesPackedBytes(archive, what + ", once its trust was asked");
            return true;
        } catch (ArchiveFormatException refused) {
            return false;
        } catch (IOException | RuntimeException | Error other) {
            if (other instanceof AssertionError) {
                throw (AssertionError) other;
            }
            throw new AssertionError("loader on the mutant with " + what + " threw " + other, other);
        }
    }

    private static void servesPackedBytes(Archive archive, String what) throws IOException {
        for (Map.Entry<String, byte[]> expected : contents.entrySet()) {
            String name = expected.getKey().substring(expected.getKey().indexOf('/') + 1);
            int container = Integer.parseInt(expected.getKey().substring(0, expected.getKey().indexOf('/')));
            IndexedEntry found = null;
            for (IndexedEntry e : archive.findAll(name)) {
                if (e.container() == container) {
                    found = e;
                }
            }
            if (found == null) {
                continue; // an entry an edit removed is missing, not wrong
            }
            assertThat(archive.read(found)).as("%s of the mutant with %s", expected.getKey(), what)
                    .isEqualTo(expected.getValue());
        }
    }

    /** Every header field as {offset, width}: the end record's, each central record's, each local header's. */
    private static List<int[]> fields() {
        ByteBuffer zip = ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN);
        int end = packed.length - 22;
        while (zip.getInt(end) != 0x06054b50) {
            end--;
        }
        List<int[]> fields = new ArrayList<>();
        add(fields, end, END_FIELDS);
        int at = zip.getInt(end + 16);
        for (int i = 0, n = Short.toUnsignedInt(zip.getShort(end + 10)); i < n; i++) {
            add(fields, at, CENTRAL_FIELDS);
            add(fields, zip.getInt(at + 42), LOCAL_FIELDS);
            at += 46 + Short.toUnsignedInt(zip.getShort(at + 28)) + Short.toUnsignedInt(zip.getShort(at + 30))
                    + Short.toUnsignedInt(zip.getShort(at + 32));
        }
        return fields;
    }

    private static void add(List<int[]> fields, int start, int[] widths) {
        for (int width : widths) {
            fields.add(new int[] {start, width});
            start += width;
        }
    }

    private static long[] mutations(int[] field) {
        long value = get(packed, field[0], field[1]);
        long max = field[1] == 4 ? 0xFFFF_FFFFL : 0xFFFFL;
        return new long[] {(value + 1) & max, (value - 1) & max, 0, max};
    }

    private static long get(byte[] bytes, int at, int width) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return width == 4 ? Integer.toUnsignedLong(b.getInt(at)) : Short.toUnsignedInt(b.getShort(at));
    }

    private static void put(byte[] bytes, int at, int width, long value) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (width == 4) {
            b.putInt(at, (int) value);
        } else {
            b.putShort(at, (short) value);
        }
    }
}
