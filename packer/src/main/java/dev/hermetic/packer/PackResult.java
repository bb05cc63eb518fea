package dev.hermetic.packer;

import java.nio.file.Path;

/**
 * What {@link Packer#pack} wrote.
 *
 * @param archive    the archive
 * @param size       its size in bytes
 * @param entries    class-path entries indexed (application and nested jars)
 * @param modules    modules (sources with their caches)
 * @param nestedJars dependency jars nested
 * @param mainClass  the application's entry point
 * @param deflated   application resources written DEFLATED ({@code --compress-resources})
 * @param reused     of those compressed or deliberately stored, how many were copied from {@code --reuse}
 *                   instead of being compressed again
 */
public record PackResult(Path archive, long size, int entries, int modules, int nestedJars, String mainClass,
                         int deflated, int reused) {
    /** A result of a pack that compressed nothing. */
    public PackResult(Path archive, long size, int entries, int modules, int nestedJars, String mainClass) {
        this(archive, size, entries, modules, nestedJars, mainClass, 0, 0);
    }
}
