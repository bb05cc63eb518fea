package dev.hermetic.packer;

import dev.hermetic.loader.archive.Sha256;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * The checksums the packer computes of a nested jar whole: its SHA-256, which the index records for
 * {@code -Dhermetic.verify=digest}, and its CRC-32 for its zip entry (an application entry's bytes are
 * in memory: {@link dev.hermetic.loader.archive.Sha256#of}).
 *
 * <p>Costs: a file is read once per checksum, 1 MiB at a time into native memory (usually from the page
 * cache; a heap array would cost one more copy); SHA-256 runs at about 1 GB/s, CRC-32 several times
 * faster. The two are separate reads so that they can run on two threads while the jar is copied.
 */
final class Digests {
    private static final int CHUNK = 1 << 20;

    private Digests() {
    }

    /** @return the SHA-256 of a file's bytes */
    static byte[] of(Path file) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        read(file, digest::update);
        return digest.digest();
    }

    /** @return the CRC-32 of a file's bytes */
    static int crc32(Path file) throws IOException {
        CRC32 crc = new CRC32();
        read(file, crc::update);
        return (int) crc.getValue();
    }

    /**
     * @throws PackException naming the file when it cannot be read: the failure is the input's, not the
     *                       archive's being written
     */
    private static void read(Path file, Consumer<ByteBuffer> to) throws PackException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        try (FileChannel in = FileChannel.open(file)) {
            while (in.read(chunk) >= 0) {
                to.accept(chunk.flip());
                chunk.clear();
            }
        } catch (IOException e) {
            throw new PackException(file, "cannot read it: " + e, e);
        }
    }
}
