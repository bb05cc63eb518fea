package dev.hermetic.packer;

/**
 * Told how far a pack has got, in bytes of input written to the archive: application classes and
 * resources, sources and dependency jars (the launcher, manifest and index are not counted). Called
 * on the packing thread; {@link #start} once, after the inputs were read (and compiled), then
 * {@link #advance} after each entry, then {@link #finish} when the archive is complete.
 */
public interface PackProgress {
    /** Reports nothing. */
    PackProgress NONE = new PackProgress() {
        @Override
        public void start(long totalBytes) {
        }

        @Override
        public void advance(long bytes) {
        }
    };

    /** @param totalBytes how many input bytes the archive will hold */
    void start(long totalBytes);

    /** @param bytes how many more input bytes were written */
    void advance(long bytes);

    /** The archive is complete (before it is renamed into place). */
    default void finish() {
    }
}
