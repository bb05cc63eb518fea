package dev.hermetic.packer;

import dev.hermetic.loader.archive.Sha256;

import java.nio.file.Path;

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
        return new SourceFile(name, bytes, path, Sha256.of(bytes));
    }
}
