package dev.hermetic.packer;

import java.nio.file.Path;

/**
 * What {@link Exploder#explode} wrote.
 *
 * @param directory the exploded archive
 * @param files     regular files written
 * @param bytes     their total size
 */
public record ExplodeResult(Path directory, int files, long bytes) {
}
