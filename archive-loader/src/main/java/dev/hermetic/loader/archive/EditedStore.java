package dev.hermetic.loader.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;

/**
 * A zip edited after packing (its seal no longer matches): the index still says which modules exist
 * and what was packed, but not where anything is now, so names and offsets come from the central
 * directory and from each nested jar's own central directory, read once at open. This costs time
 * proportional to the entries, which is why it is only the fallback.
 *
 * <p>An application entry keeps the CRC-32 the index recorded when the index has it, so a caller can
 * tell a cache that was replaced from one that was not; entries the edit added carry their own.
 */
final class EditedStore implements Store {
    private final FileBlock file;
    private final String identity;
    private final Container[] containers;
    private final Map<String, List<IndexedEntry>> names = new HashMap<>();
    private final Map<String, CentralDirectory.Record> sources = new HashMap<>();

    private EditedStore(FileBlock file, String identity, Container[] containers) {
        this.file = file;
        this.identity = identity;
        this.containers = containers;
    }

    /**
     * Finds the index through the central directory.
     *
     * @throws ArchiveFormatException when the archive has no index entry, or its nested jars cannot be
     *                                read in place any more
     */
    static Archive open(FileBlock file, EndRecord end) throws IOException {
        Map<String, CentralDirectory.Record> outer = new HashMap<>();
        List<CentralDirectory.Record> records = CentralDirectory.read(file, end);
        for (CentralDirectory.Record r : records) {
            if (outer.putIfAbsent(r.name(), r) != null) {
                throw new ArchiveFormatException(file.path(), "entry " + r.name() + " is in the central directory twice");
            }
        }
        CentralDirectory.Record indexRecord = outer.get(ArchiveLayout.INDEX);
        if (indexRecord == null) {
            throw new ArchiveFormatException(file.path(), "not a Hermetic archive: no seal in its comment and no "
                    + ArchiveLayout.INDEX + " entry");
        }
        IndexReader index = new IndexReader(file.path(), Archive.inflate(file.path(), ArchiveLayout.INDEX,
                file.read(CentralDirectory.dataOffset(file, indexRecord), Archive.intSize(file.path(), ArchiveLayout.INDEX,
                        indexRecord.compressedSize())), indexRecord.method(), indexRecord.size()));
        Container[] packed = index.containers();
        Container[] now = new Container[packed.length];
        now[0] = packed[0];
        for (int id = 1; id < packed.length; id++) {
            CentralDirectory.Record r = outer.get(packed[id].entry());
            if (r == null) {
                now[id] = new Container(id, packed[id].entry(), 0, 0); // removed by the edit: serves nothing
            } else if (r.method() != ZipEntry.STORED) {
                throw new ArchiveFormatException(file.path(), packed[id].entry()
                        + " is compressed now; a nested jar must be stored to be read in place");
            } else {
                now[id] = new Container(id, packed[id].entry(), CentralDirectory.dataOffset(file, r), r.size());
            }
        }
        EditedStore store = new EditedStore(file, "edited crc32c=" + Integer.toHexString(Seal.centralCrc(file, end)), now);
        for (CentralDirectory.Record r : records) {
            if (r.name().startsWith(ArchiveLayout.CLASSES)) {
                store.addApplicationEntry(index, r);
            } else if (r.name().startsWith(ArchiveLayout.SOURCES)) {
                store.sources.put(r.name().substring(ArchiveLayout.SOURCES.length()), r);
            }
        }
        for (int id = 1; id < now.length; id++) {
            if (now[id].size() > 0) {
                store.addNestedEntries(now[id]);
            }
        }
        return new Archive(store, index);
    }

    private void addApplicationEntry(IndexReader index, CentralDirectory.Record r) throws IOException {
        String name = r.name().substring(ArchiveLayout.CLASSES.length());
        if (name.isEmpty()) {
            return;
        }
        int crc = r.crc32();
        int module = -1;
        int id = index.find(name);
        if (id >= 0) {
            module = index.module(id);
            for (IndexedEntry packed : index.entries(id)) {
                if (packed.container() == 0) {
                    crc = packed.crc32();
                }
            }
        }
        add(new IndexedEntry(name, 0, CentralDirectory.dataOffset(file, r), r.method(), r.compressedSize(), r.size(),
                crc, module));
    }

    private void addNestedEntries(Container container) throws IOException {
        FileBlock jar = file.slice(container.offset(), container.size());
        for (CentralDirectory.Record r : CentralDirectory.read(jar, EndRecord.read(jar))) {
            add(new IndexedEntry(r.name(), container.id(), container.offset() + CentralDirectory.dataOffset(jar, r),
                    r.method(), r.compressedSize(), r.size(), r.crc32(), -1));
        }
    }

    /** Keeps each name's entries in class-path order: application first, then containers in id order. */
    private void add(IndexedEntry entry) {
        List<IndexedEntry> all = names.computeIfAbsent(entry.name(), n -> new ArrayList<>(1));
        if (all.isEmpty() || all.get(all.size() - 1).container() != entry.container()) {
            all.add(entry); // a name twice in one jar: the first wins, as in the JDK's ZipFile
        }
    }

    @Override
    public boolean exploded() {
        return false;
    }

    @Override
    public boolean trustBound() {
        return false;
    }

    @Override
    public String identity() {
        return identity;
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
    public IndexedEntry find(String name) {
        List<IndexedEntry> all = names.get(name);
        return all == null ? null : all.get(0);
    }

    @Override
    public List<IndexedEntry> findAll(String name) {
        List<IndexedEntry> all = names.get(name);
        return all == null ? List.of() : List.copyOf(all);
    }

    @Override
    public List<IndexedEntry> entries() {
        List<IndexedEntry> all = new ArrayList<>();
        for (List<IndexedEntry> named : names.values()) {
            all.addAll(named);
        }
        all.sort((a, b) -> a.name().equals(b.name()) ? Integer.compare(a.container(), b.container())
                : a.name().compareTo(b.name()));
        return all;
    }

    @Override
    public byte[] readStored(IndexedEntry entry, int count) throws IOException {
        return file.read(entry.dataOffset(), count);
    }

    @Override
    public byte[] readSource(Module module) throws IOException {
        CentralDirectory.Record r = sources.get(module.source());
        if (r == null) {
            return null;
        }
        String name = ArchiveLayout.SOURCES + module.source();
        byte[] stored = file.read(CentralDirectory.dataOffset(file, r), Archive.intSize(file.path(), name, r.compressedSize()));
        return Archive.inflate(file.path(), name, stored, r.method(), r.size());
    }

    @Override
    public Archive.Stamp sourceStamp(Module module) {
        CentralDirectory.Record r = sources.get(module.source());
        return r == null ? null : new Archive.Stamp(r.size(), r.timeMillis());
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
