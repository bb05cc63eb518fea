package dev.hermetic.loader;

import dev.hermetic.loader.archive.Sha256;
import dev.hermetic.loader.compile.CompileCache;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Native libraries packed in an archive, for {@code System.loadLibrary}: the operating system loads
 * libraries from files only, so a library is extracted once to a directory named by the SHA-256 of its
 * bytes, {@code DIR/SHA-256/libNAME.so}, written to a temporary file there and renamed into place, so
 * that JVMs sharing the directory never see half a file and never overwrite one in use. A file found
 * there is used when its bytes are the library's (else it is written again).
 *
 * <p>{@code DIR} is {@code -Dhermetic.native.dir}, else {@code native} beside the compile cache's
 * default directory ({@code ~/.cache/hermetic/native} on Linux).
 */
final class NativeLibraries {
    private NativeLibraries() {
    }

    static Path directory() {
        String configured = System.getProperty("hermetic.native.dir");
        return configured != null && !configured.isEmpty() ? Path.of(configured)
                : CompileCache.defaultDirectory().resolveSibling("native");
    }

    /** @return the absolute path of the library's file, extracted if needed */
    static Path extract(Path directory, String fileName, byte[] bytes) throws IOException {
        Path dir = directory.resolve(Sha256.hex(Sha256.of(bytes)));
        Path file = dir.resolve(fileName);
        if (Files.isRegularFile(file) && Files.size(file) == bytes.length
                && Arrays.equals(Files.readAllBytes(file), bytes)) {
            return file.toAbsolutePath();
        }
        Files.createDirectories(dir);
        Path temporary = Files.createTempFile(dir, "." + fileName + ".", ".tmp");
        try {
            Files.write(temporary, bytes);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        return file.toAbsolutePath();
    }
}
