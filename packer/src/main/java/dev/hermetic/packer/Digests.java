package dev.hermetic.packer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32;

/**
 * The checksums the packer computes: the SHA-256 digests it gives the index for
 * {@code -Dhermetic.verify=digest}, of each application entry's bytes (as served, before any
 * compression) and of each nested jar whole, and a nested jar's CRC-32 for its zip entry.
 *
 * <p>Costs: a file is read once per checksum, in 1 MiB chunks (usually from the page cache); SHA-256
 * runs at about 1 GB/s, CRC-32 several times faster. The two are separate reads so that they can run on
 * two threads while the jar is copied.
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

    private interface Chunks {
        void update(byte[] bytes, int offset, int length);
    }

    private static void read(Path file, Chunks to) throws IOException {
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                to.update(buffer, 0, n);
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
