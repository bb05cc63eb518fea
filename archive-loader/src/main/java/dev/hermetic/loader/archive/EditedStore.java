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
final class EditedStore extends Store {
    private final FileBlock file;
    private final String identity;
    private final Map<String, List<IndexedEntry>> names = new HashMap<>();
    private final Map<String, ZipChecks.Entry> sources = new HashMap<>();
    /** The CRC-32 the central directory gives each application entry, by data offset. */
    private final Map<Long, Integer> zipCrcs = new HashMap<>();

    private EditedStore(FileBlock file, String identity, Container[] containers, IndexReader index) {
        super(containers, index);
        this.file = file;
        this.identity = identity;
    }

    /**
     * Finds the index through the central directory. Typed {@code Store}, so that verifying a caller
     * does not load this class on a sealed archive's launch path.
     *
     * @throws ArchiveFormatException when the archive has no index entry, or its nested jars cannot be
     *                                read in place any more
     */
    static Store open(FileBlock file, EndRecord end) throws IOException {
        Map<String, ZipChecks.Entry> outer = new HashMap<>();
        List<ZipChecks.Entry> records = checkOuter(file, end);
        for (ZipChecks.Entry r : records) {
            outer.put(r.record().name(), r);
        }
        ZipChecks.Entry indexRecord = outer.get(ArchiveLayout.INDEX);
        if (indexRecord == null) {
            throw new ArchiveFormatException(file.path(), "not a Hermetic archive: no seal in its comment and no "
                    + ArchiveLayout.INDEX + " entry");
        }
        CentralDirectory.Record ir = indexRecord.record();
        IndexReader index = new IndexReader(file.path(), Inflating.inflate(file.path(), ArchiveLayout.INDEX,
                file.read(indexRecord.dataOffset(), Archive.intSize(file.path(), ArchiveLayout.INDEX, ir.compressedSize())),
                ir.method(), ir.size()));
        Container[] packed = index.containers();
        Container[] now = new Container[packed.length];
        now[0] = packed[0];
        for (int id = 1; id < packed.length; id++) {
            ZipChecks.Entry r = outer.get(packed[id].entry());
            if (r == null) {
                now[id] = new Container(id, packed[id].entry(), 0, 0); // removed by the edit: serves nothing
            } else {
                now[id] = new Container(id, packed[id].entry(), r.dataOffset(), r.record().size());
            }
        }
        EditedStore store = new EditedStore(file, "edited crc32=" + Integer.toHexString(Seal.centralCrc(file, end)), now,
                index);
        for (ZipChecks.Entry r : records) {
            if (r.record().name().startsWith(ArchiveLayout.CLASSES)) {
                store.addApplicationEntry(index, r);
            } else if (r.record().name().startsWith(ArchiveLayout.SOURCES)) {
                store.sources.put(r.record().name().substring(ArchiveLayout.SOURCES.length()), r);
            }
        }
        for (int id = 1; id < now.length; id++) {
            if (now[id].size() > 0) {
                store.addNestedEntries(now[id]);
            }
        }
        return store;
    }

    /**
     * The strict check of an archive's own zip ({@link ZipChecks}) and of its layout: entries under
     * {@link ArchiveLayout#LIB} are nested jars directly in that directory ({@code HERMETIC-INF/lib/x.jar},
     * not {@code HERMETIC-INF/lib/a/x.jar}: one level of nesting), STORED so that they are read in place.
     */
    static List<ZipChecks.Entry> checkOuter(FileBlock file, EndRecord end) throws IOException {
        List<ZipChecks.Entry> records = ZipChecks.check(file, end);
        for (ZipChecks.Entry e : records) {
            String name = e.record().name();
            if (name.startsWith(ArchiveLayout.LIB) && !name.equals(ArchiveLayout.LIB)) {
                String jar = name.substring(ArchiveLayout.LIB.length());
                if (jar.indexOf('/') >= 0) {
                    throw new ArchiveFormatException(file.path(), name + ": nested deeper than one level; nested jars lie"
                            + " directly in " + ArchiveLayout.LIB);
                }
                if (e.record().method() != ZipEntry.STORED) {
                    throw new ArchiveFormatException(file.path(), name
                            + " is compressed; a nested jar must be stored to be read in place");
                }
            }
        }
        return records;
    }

    /** Checks every nested jar of a checked outer archive strictly. */
    static void checkNested(FileBlock file, List<ZipChecks.Entry> records) throws IOException {
        for (ZipChecks.Entry e : records) {
            String name = e.record().name();
            if (name.startsWith(ArchiveLayout.LIB) && !name.equals(ArchiveLayout.LIB)) {
                try {
                    ZipChecks.check(file.slice(e.dataOffset(), e.record().size()));
                } catch (ArchiveFormatException bad) {
                    throw new ArchiveFormatException(file.path(), "nested jar " + name + ": "
                            + bad.getMessage().substring(file.path().toString().length() + 2));
                }
            }
        }
    }

    private void addApplicationEntry(IndexReader index, ZipChecks.Entry e) throws IOException {
        CentralDirectory.Record r = e.record();
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
        IndexedEntry entry = new IndexedEntry(name, 0, e.dataOffset(), r.method(), r.compressedSize(), r.size(), crc, module);
        zipCrcs.put(entry.dataOffset(), r.crc32());
        add(entry);
    }

    private void addNestedEntries(Container container) throws IOException {
        FileBlock jar = file.slice(container.offset(), container.size());
        List<ZipChecks.Entry> entries;
        try {
            entries = ZipChecks.check(jar);
        } catch (ArchiveFormatException bad) {
            throw new ArchiveFormatException(file.path(), "nested jar " + container.entry() + ": "
                    + bad.getMessage().substring(file.path().toString().length() + 2));
        }
        for (ZipChecks.Entry e : entries) {
            CentralDirectory.Record r = e.record();
            add(new IndexedEntry(r.name(), container.id(), container.offset() + e.dataOffset(),
                    r.method(), r.compressedSize(), r.size(), r.crc32(), -1));
        }
    }

    /** Keeps each name's entries in class-path order: application first, then containers in id order. */
    private void add(IndexedEntry entry) {
        List<IndexedEntry> all = names.computeIfAbsent(entry.name(), n -> new ArrayList<>(1));
        if (all.isEmpty() || all.get(all.size() - 1).container() != entry.container()) {
            all.add(entry); // a name is once in each zip: the strict check refuses duplicates
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

    /** Every nested jar: the index's flags describe the jars as packed, which an edit may have replaced. */
    @Override
    boolean versioned(int container) {
        return true;
    }

    @Override
    public String identity() {
        return identity;
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
    public Integer zipCrc(IndexedEntry entry) {
        Integer crc = entry.container() == 0 ? zipCrcs.get(entry.dataOffset()) : null;
        return crc != null ? crc : entry.crc32();
    }

    @Override
    public byte[] readSource(Module module) throws IOException {
        ZipChecks.Entry e = sources.get(module.source());
        if (e == null) {
            return null;
        }
        CentralDirectory.Record r = e.record();
        String name = ArchiveLayout.SOURCES + module.source();
        byte[] stored = file.read(e.dataOffset(), Archive.intSize(file.path(), name, r.compressedSize()));
        return Inflating.inflate(file.path(), name, stored, r.method(), r.size());
    }

    @Override
    public Archive.Stamp sourceStamp(Module module) {
        ZipChecks.Entry e = sources.get(module.source());
        return e == null ? null : new Archive.Stamp(e.record().size(), e.record().timeMillis());
    }

    @Override
    public InputStream openContainer(Container container) throws IOException {
        return SliceInputStream.open(file.path(), container.offset(), container.size());
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
