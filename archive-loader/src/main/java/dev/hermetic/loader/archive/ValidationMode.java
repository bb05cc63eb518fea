package dev.hermetic.loader.archive;

/** How the loader decides that a module's cache may be served (DESIGN §2). */
public enum ValidationMode {
    /** Serve the cache; never read, stat or hash the source. */
    TRUSTED,
    /** Hash the source and serve the cache only if the hash equals the recorded one. */
    CHECKED,
    /** Compare the source's size and modification time with the recorded ones. */
    TIMESTAMP;

    /** The name used on the command line and in {@code inspect}: {@code trusted}, {@code checked}, ... */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
