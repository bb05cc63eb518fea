package dev.hermetic.loader.archive;

import java.util.zip.ZipEntry;

/**
 * Where the bytes of one class or resource are, as the index records them. Offsets are absolute in
 * the archive file, also for entries of nested jars, so that reading one costs one positional read.
 *
 * @param name           the class-path name ({@code com/example/Main.class}), without container prefix
 * @param container      the {@link Container#id()} holding it
 * @param dataOffset     where its (possibly compressed) bytes start in the archive file
 * @param method         {@link ZipEntry#STORED} or {@link ZipEntry#DEFLATED}
 * @param compressedSize bytes stored at {@code dataOffset}
 * @param size           bytes after inflating
 * @param crc32          the zip CRC-32 of the inflated bytes
 * @param module         the {@link Module#id()} this cache belongs to, or -1
 */
public record IndexedEntry(String name, int container, long dataOffset, int method, long compressedSize,
                           long size, int crc32, int module) {
    /** @return whether the bytes are stored as they are */
    public boolean stored() {
        return method == ZipEntry.STORED;
    }

    /** @return whether this is a directory entry */
    public boolean directory() {
        return name.endsWith("/");
    }
}
