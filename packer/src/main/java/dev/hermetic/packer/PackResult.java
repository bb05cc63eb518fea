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
 */
public record PackResult(Path archive, long size, int entries, int modules, int nestedJars, String mainClass) {
}
