package dev.hermetic.loader.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * How one way of opening an archive finds names and reads bytes: a sealed zip through its index
 * ({@link SealedStore}), a zip edited after packing through its central directories
 * ({@link EditedStore}), or an exploded directory through its index and files ({@link ExplodedStore}).
 * Module metadata always comes from the index, which all three share; the class path, as it is now,
 * is held here.
 */
abstract class Store implements Closeable {
    /** The class path as it is now, application first. */
    final Container[] containers;
    /** The index: module metadata, and for a sealed or exploded archive every name. */
    final IndexReader index;

    Store(Container[] containers, IndexReader index) {
        this.containers = containers;
        this.index = index;
    }

    final Container container(int id) {
        return containers[id];
    }

    final int containerCount() {
        return containers.length;
    }

    /** @return whether this is an exploded directory rather than a zip */
    abstract boolean exploded();

    /** @return whether the index's trust flags may be honoured, as far as this store knows */
    abstract boolean trustBound();

    /**
     * @return whether a nested jar may be a multi-release jar: it has entries under META-INF/versions/, as
     *         the index records (an edited zip's store says yes for every jar, which an edit may have
     *         replaced: its manifest then tells)
     */
    boolean versioned(int container) throws IOException {
        return index.versioned(container);
    }

    /** @return a string that changes whenever the class path the archive serves may have changed */
    abstract String identity() throws IOException;

    /** @return the first entry of the name in class-path order, or null */
    abstract IndexedEntry find(String name) throws IOException;

    abstract List<IndexedEntry> findAll(String name) throws IOException;

    abstract List<IndexedEntry> entries() throws IOException;

    /** @return the entry's bytes as stored: {@code entry.compressedSize()} bytes */
    abstract byte[] readStored(IndexedEntry entry, int count) throws IOException;

    /**
     * @return the zip CRC-32 the bytes {@link #readStored} returns must have once inflated, or null when
     *         the store has none to check them against (an exploded directory's files)
     */
    abstract Integer zipCrc(IndexedEntry entry);

    /** @return the module's source as the archive holds it now, or null when it holds none */
    abstract byte[] readSource(Module module) throws IOException;

    /** @return the size and time of the module's source as the archive holds it now, or null */
    abstract Archive.Stamp sourceStamp(Module module) throws IOException;

    /** @return a nested jar's bytes, as a stream holding a file handle of its own */
    abstract InputStream openContainer(Container container) throws IOException;
}
