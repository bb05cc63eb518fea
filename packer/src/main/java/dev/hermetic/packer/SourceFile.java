package dev.hermetic.packer;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A {@code .java} source as read once: the bytes hashed are the bytes compiled and shipped.
 *
 * @param name   its path below its source root ({@code com/example/Main.java})
 * @param bytes  its content
 * @param path   the file it was read from
 * @param sha256 SHA-256 of {@code bytes}
 */
record SourceFile(String name, byte[] bytes, Path path, byte[] sha256) {
    static SourceFile of(String name, byte[] bytes, Path path) {
        try {
            return new SourceFile(name, bytes, path, MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
