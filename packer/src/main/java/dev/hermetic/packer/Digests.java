package dev.hermetic.packer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * The checksums the packer computes: the SHA-256 digests it gives the index for
 * {@code -Dhermetic.verify=digest}, of each application entry's bytes (as served, before any
 * compression) and of each nested jar whole, and a nested jar's CRC-32 for its zip entry.
 *
 * <p>Costs: a file is read once per checksum, 1 MiB at a time into native memory (usually from the page
 * cache; a heap array would cost one more copy); SHA-256 runs at about 1 GB/s, CRC-32 several times
 * faster. The two are separate reads so that they can run on two threads while the jar is copied.
 */
final class Digests {
    private static final int CHUNK = 1 << 20;

    private Digests() {
    }

    static byte[] of(byte[] bytes) {
        return sha256().digest(bytes);
    }

    /** @return the SHA-256 of a file's bytes */
    static byte[] of(Path file) throws IOException {
        MessageDigest digest = sha256();
        read(file, digest::update);
        return digest.digest();
    }

    /** @return the CRC-32 of a file's bytes */
    static int crc32(Path file) throws IOException {
        CRC32 crc = new CRC32();
        read(file, crc::update);
        return (int) crc.getValue();
    }

    private static void read(Path file, Consumer<ByteBuffer> to) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        try (FileChannel in = FileChannel.open(file)) {
            while (in.read(chunk) >= 0) {
                to.accept(chunk.flip());
                chunk.clear();
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
