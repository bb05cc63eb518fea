package dev.hermetic.packer;

import dev.hermetic.loader.archive.Sha256;

import java.io.IOException;

/**
 * An application file made ready for the writer: everything about it that does not depend on where it
 * lands in the archive.
 *
 * @param name         its class-path name
 * @param entry        its bytes as they go into the zip, with their size and CRC-32
 * @param sha256       SHA-256 of its bytes (as served, before any compression), for the index
 * @param source       the source it was compiled from, when it is a cache ({@link Application#isCache}); else null
 * @param classVersion its class-file major version when it is a cache; else 0
 */
record PreparedFile(String name, Deflated entry, byte[] sha256, String source, int classVersion) {
    /**
     * Reads (and inflates) the file, hashes it, parses it when it is a cache, and compresses it as
     * {@code compressor} says; on any thread.
     *
     * @throws PackException naming the input and the file when a cache is not a valid class file
     */
    static PreparedFile prepare(InputFile file, Application app, ResourceCompressor compressor) throws IOException {
        byte[] bytes = file.read();
        Deflated entry = compressor.form(file, bytes);
        if (!app.isCache(file)) {
            return new PreparedFile(file.name(), entry, Sha256.of(bytes), null, 0);
        }
        ClassFileInfo info;
        try {
            info = ClassFileInfo.parse(bytes);
        } catch (IOException e) {
            throw new PackException(file.input(), file.name() + " is not a valid class file: " + e.getMessage(), e);
        }
        return new PreparedFile(file.name(), entry, Sha256.of(bytes), app.sourceOf(file.name(), info), info.major());
    }
}
