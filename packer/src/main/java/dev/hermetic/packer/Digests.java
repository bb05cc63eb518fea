package dev.hermetic.packer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SHA-256 digests the packer gives the index for {@code -Dhermetic.verify=digest}: of each
 * application entry's bytes (as served, before any compression) and of each nested jar whole (one more
 * read of the jar, usually from the page cache right after copying it).
 */
final class Digests {
    private Digests() {
    }

    static byte[] of(byte[] bytes) {
        return sha256().digest(bytes);
    }

    static byte[] of(Path file) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
