package dev.hermetic.loader.archive;

import java.util.Locale;

/**
 * How much an {@link Archive} checks the bytes it reads ({@code -Dhermetic.verify}).
 *
 * <ul>
 * <li>{@link #NONE}: sizes and offsets only (the structural checks are always made);</li>
 * <li>{@link #CRC}: also the zip CRC-32 of every entry read, against the one the index (or, for a zip
 *     edited after packing, its central directory) records: detects accidental corruption of the bytes
 *     (a bad disk, a truncated copy, an in-place overwrite), not a forger, who recomputes CRCs. The
 *     default: it adds well under 0.1 µs to a 5 KiB read (see the README for the figures), under 0.1%
 *     of defining the class.</li>
 * <li>{@link #DIGEST}: for a sealed archive, at open the index's SHA-256 against the one the seal
 *     records (so a trust flag changed after packing is refused, even with every CRC recomputed), then
 *     the SHA-256 of every application entry read and of every module source read against the index's,
 *     and of each nested jar whole on the first read from it (then CRC-32 per entry). Any bit changed in
 *     these bytes is an {@link ArchiveFormatException} naming the archive and the entry; a forger who
 *     recomputes every SHA-256, the seal's included, is not detected. An archive edited by a zip tool
 *     (seal broken) honours no trust flags anyway and is checked as under {@link #CRC}, as is an exploded
 *     directory. Costs a SHA-256 per read (see the README).</li>
 * </ul>
 */
public enum Integrity {
    /** No check of the bytes read beyond their sizes. */
    NONE,
    /** The zip CRC-32 of every entry read. */
    CRC,
    /** The SHA-256 of the index, of every application entry and source read, and of each nested jar once. */
    DIGEST;

    /** The default level. */
    public static final Integrity DEFAULT = CRC;

    /**
     * Parses a {@code hermetic.verify} value.
     *
     * @throws IllegalArgumentException naming the values allowed
     */
    public static Integrity parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("none")) {
            return NONE;
        }
        if (v.equals("crc")) {
            return CRC;
        }
        if (v.equals("digest")) {
            return DIGEST;
        }
        throw new IllegalArgumentException("-Dhermetic.verify=" + value + ": expected none, crc or digest");
    }
}
