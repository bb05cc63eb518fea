package dev.hermetic.loader.archive;

/**
 * One element of the archive's class path, in class-path order: the application's classes first
 * (id 0), then each nested dependency jar in {@code --lib} order.
 *
 * @param id       position in the class path
 * @param entry    the outer entry: {@link ArchiveLayout#CLASSES} for the application, else the nested
 *                 jar's entry name
 * @param offset   where the nested jar's bytes start in the archive file (0 for the application)
 * @param size     the nested jar's size in bytes (0 for the application)
 */
public record Container(int id, String entry, long offset, long size) {
    /** @return whether this is a nested jar rather than the application's own classes */
    public boolean nested() {
        return id != 0;
    }
}
