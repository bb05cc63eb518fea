package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArchiveWriter} copying a file whose CRC-32 was computed beforehand (on another thread, while
 * other entries were written): a file that is no longer what its CRC-32 says is refused.
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
        // the same size with other bytes (Commons Compress finds the CRC-32 wrong), and a shorter file
        for (String after : List.of("after!", "after")) {
            write(file, "before");
            int before = crc32(Files.readAllBytes(file));
            write(file, after);
            ArchiveWriter zip = new ArchiveWriter(tmp.resolve("out.zip"), PackOptions.DEFAULT_TIMESTAMP);
            assertThatThrownBy(() -> zip.write("lib/lib.jar", file, before)).as(after)
                    .isExactlyInstanceOf(PackException.class)
                    .hasMessage(file + ": changed while being packed");
            // the pack discards the unfinished archive; closing it releases the file and says it is unfinished
            assertThatThrownBy(zip::close).hasMessage("This archive contains unclosed entries.");
        }
    }
}
