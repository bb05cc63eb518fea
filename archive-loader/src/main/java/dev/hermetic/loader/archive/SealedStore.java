package dev.hermetic.loader.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** A zip whose seal matches: every name and offset comes from the index, as packed. */
final class SealedStore implements Store {
    private final FileBlock file;
    private final IndexReader index;
    private final Seal seal;
    private final Container[] containers;

    SealedStore(FileBlock file, IndexReader index, Seal seal) throws ArchiveFormatException {
        this.file = file;
        this.index = index;
        this.seal = seal;
        this.containers = index.containers();
    }

    @Override
    public boolean exploded() {
        return false;
    }

    @Override
    public boolean trustBound() {
        return true;
    }

    @Override
    public String identity() {
        return "sealed " + seal.toComment();
    }

    @Override
    public Container container(int id) {
        return containers[id];
    }

    @Override
    public int containerCount() {
        return containers.length;
    }

    @Override
    public IndexedEntry find(String name) throws IOException {
        int id = index.find(name);
        return id < 0 || index.locationCount(id) == 0 ? null : index.entry(id, 0);
    }

    @Override
    public List<IndexedEntry> findAll(String name) throws IOException {
        int id = index.find(name);
        return id < 0 ? List.of() : index.entries(id);
    }

    @Override
    public List<IndexedEntry> entries() throws IOException {
        List<IndexedEntry> all = new ArrayList<>(index.locationCount());
        for (int id = 0; id < index.nameCount(); id++) {
            all.addAll(index.entries(id));
        }
        return all;
    }

    @Override
    public byte[] readStored(IndexedEntry entry, int count) throws IOException {
        return file.read(entry.dataOffset(), count);
    }

    @Override
    public byte[] readSource(Module module) throws IOException {
        if (!module.hasSource()) {
            return null;
        }
        if (module.sourceSize() > Integer.MAX_VALUE - 8) {
            throw new ArchiveFormatException(file.path(), ArchiveLayout.SOURCES + module.source() + " is too large");
        }
        return file.read(module.sourceOffset(), (int) module.sourceSize());
    }

    @Override
    public Archive.Stamp sourceStamp(Module module) {
        // a sealed archive holds its sources exactly as packed
        return module.hasSource() ? new Archive.Stamp(module.sourceSize(), module.sourceTime()) : null;
    }

    @Override
    public InputStream openContainer(Container container) throws IOException {
        return Archive.openSlice(file.path(), container.offset(), container.size());
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
