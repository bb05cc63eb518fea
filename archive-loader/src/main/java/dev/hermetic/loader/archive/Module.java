package dev.hermetic.loader.archive;

import java.util.Arrays;

/**
 * One compilation unit: a {@code .java} source and the class files compiled from it (its caches, which
 * point back here through {@link IndexedEntry#module()}).
 *
 * @param id              position in the index's module table
 * @param source          the source's path relative to the source root ({@code com/example/Main.java})
 * @param sourceOffset    where the source's bytes start in the archive file (stored uncompressed, under
 *                        {@link ArchiveLayout#SOURCES}), or -1 when the archive does not ship the source
 * @param mode            how the loader validates the caches
 * @param sourceSha256    SHA-256 of the source bytes ({@value #HASH_LENGTH} bytes; all zero without
 *                        a source). SHA-256 because it is in every JDK, hardware-accelerated on current
 *                        CPUs and collision-resistant: a match means the source is the one compiled.
 * @param sourceSize      the source's size in bytes
 * @param sourceTime      the source's modification time in epoch milliseconds, for
 *                        {@link ValidationMode#TIMESTAMP}
 * @param classVersion    the caches' class-file major version (61 for Java 17)
 * @param release         the {@code --release} the caches were compiled for, or 0 when unknown
 * @param compilerOptions the compiler options they were compiled with, or "" when unknown
 */
public record Module(int id, String source, long sourceOffset, ValidationMode mode, byte[] sourceSha256,
                     long sourceSize, long sourceTime, int classVersion, int release,
                     String compilerOptions) {
    /** Length of {@link #sourceSha256()}. */
    public static final int HASH_LENGTH = 32;

    public Module {
        if (sourceSha256.length != HASH_LENGTH) {
            throw new IllegalArgumentException("source hash of " + source + " must be " + HASH_LENGTH
                    + " bytes, not " + sourceSha256.length);
        }
        sourceSha256 = sourceSha256.clone();
    }

    @Override
    public byte[] sourceSha256() {
        return sourceSha256.clone();
    }

    /** @return whether the archive ships this module's source */
    public boolean hasSource() {
        return sourceOffset >= 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Module m && id == m.id && source.equals(m.source)
                && sourceOffset == m.sourceOffset && mode == m.mode
                && Arrays.equals(sourceSha256, m.sourceSha256) && sourceSize == m.sourceSize
                && sourceTime == m.sourceTime && classVersion == m.classVersion
                && release == m.release && compilerOptions.equals(m.compilerOptions);
    }

    @Override
    public int hashCode() {
        return 31 * id + source.hashCode();
    }

    @Override
    public String toString() {
        return "Module[" + id + " " + source + " " + mode.label() + "]";
    }
}
