package dev.hermetic.loader.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * How one way of opening an archive finds names and reads bytes: a sealed zip through its index
 * ({@link SealedStore}), a zip edited after packing through its central directories
 * ({@link EditedStore}), or an exploded directory through its index and files ({@link ExplodedStore}).
 * Module metadata always comes from the index, which all three share.
 */
interface Store extends Closeable {
    /** @return whether this is an exploded directory rather than a zip */
    boolean exploded();

    /** @return whether the index's trust flags may be honoured */
    boolean trustBound();

    /** @return a string that changes whenever the class path the archive serves may have changed */
    String identity() throws IOException;

    Container container(int id);

    int containerCount();

    /** @return the first entry of the name in class-path order, or null */
    IndexedEntry find(String name) throws IOException;

    List<IndexedEntry> findAll(String name) throws IOException;

    List<IndexedEntry> entries() throws IOException;

    /** @return the entry's bytes as stored: {@code entry.compressedSize()} bytes */
    byte[] readStored(IndexedEntry entry, int count) throws IOException;

    /**
     * @return the zip CRC-32 the bytes {@link #readStored} returns must have once inflated, or null when
     *         the store has none to check them against (an exploded directory's files)
     */
    Integer zipCrc(IndexedEntry entry);

    /** @return the module's source as the archive holds it now, or null when it holds none */
    byte[] readSource(Module module) throws IOException;

    /** @return the size and time of the module's source as the archive holds it now, or null */
    Archive.Stamp sourceStamp(Module module) throws IOException;

    /** @return a nested jar's bytes, as a stream holding a file handle of its own */
    InputStream openContainer(Container container) throws IOException;
}
