package dev.hermetic.loader.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A zip whose seal locates its central directory: every name and offset comes from the index, as
 * packed. Whether the central directory's bytes are still the ones sealed is checked once, when a
 * trust decision first needs it ({@link #centralMatches}), because that reads it whole.
 */
final class SealedStore extends Store {
    private final FileBlock file;
    private final EndRecord endRecord;
    private final Seal seal;
    /** Whether {@link #centralMatches} found the central directory as sealed. */
    private volatile boolean centralChecked;

    SealedStore(FileBlock file, EndRecord end, IndexReader index, Seal seal) throws IOException {
        super(index.containers(), index);
        this.file = file;
        this.endRecord = end;
        this.seal = seal;
        checkContainers();
    }

    /** @return whether the central directory's CRC-32 was found to be the sealed one (checked once) */
    boolean centralChecked() {
        return centralChecked;
    }

    /**
     * Reads the central directory whole and compares its CRC-32 with the seal's: the check of an entry
     * replaced in place by one of the same size, which moves nothing.
     */
    boolean centralMatches() throws IOException {
        centralChecked = seal.centralMatches(file, endRecord);
        return centralChecked;
    }

    /**
     * @return the store of the same file read through its central directories, for an archive edited in
     *         place: its end record read again with every check (the seal no longer vouches for the one
     *         found next to it)
     */
    Store edited() throws IOException {
        return EditedStore.open(file, EndRecord.read(file));
    }

    /**
     * Nested jars must lie before the central directory and apart from each other: one level of nesting
     * only, a jar's bytes never inside another's. O(c) for c containers in offset order (as the packer
     * writes them), O(c log c) otherwise, at open.
     */
    private void checkContainers() throws ArchiveFormatException {
        Container[] sorted = containers;
        for (int i = 2; i < containers.length && sorted == containers; i++) {
            if (containers[i].offset() < containers[i - 1].offset()) {
                sorted = containers.clone(); // the packer writes them in order: sorting is for other writers
                java.util.Arrays.sort(sorted, 1, sorted.length, new ByOffset());
            }
        }
        long end = 0;
        for (int i = 1; i < sorted.length; i++) {
            Container c = sorted[i];
            if (c.offset() < 0 || c.size() < 0 || c.offset() > seal.indexOffset() - c.size()) {
                throw new ArchiveFormatException(file.path(), ArchiveLayout.INDEX + ": nested jar " + c.entry() + " of "
                        + c.size() + " bytes at offset " + c.offset() + " does not lie before the index");
            }
            if (c.offset() < end) {
                throw new ArchiveFormatException(file.path(), ArchiveLayout.INDEX + ": nested jar " + c.entry()
                        + " at offset " + c.offset() + " overlaps another nested jar, which ends at offset " + end);
            }
            end = c.offset() + c.size();
        }
    }

    /**
     * The cheap check of the fast path, O(1) per read: an entry's bytes lie inside its container (the
     * application's: before the central directory).
     */
    private void checkBounds(IndexedEntry entry, long count) throws ArchiveFormatException {
        Container c = containers[entry.container()];
        long start = c.nested() ? c.offset() : 0;
        long end = c.nested() ? c.offset() + c.size() : seal.indexOffset();
        if (entry.dataOffset() < start || count < 0 || entry.dataOffset() > end - count) {
            throw new ArchiveFormatException(file.path(), ArchiveLayout.INDEX + ": " + (c.nested() ? c.entry() + "!/" : "")
                    + entry.name() + ": " + count + " bytes at offset " + entry.dataOffset() + " lie outside "
                    + (c.nested() ? "its nested jar (offset " + start + ", " + c.size() + " bytes)"
                    : "the entries before the index (offset " + end + ")"));
        }
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
    public IndexedEntry find(String name) throws IOException {
        int id = index.find(name);
        return id < 0 || index.locationCount(id) == 0 ? null : index.entry(id, 0, name);
    }

    @Override
    public List<IndexedEntry> findAll(String name) throws IOException {
        int id = index.find(name);
        return id < 0 ? List.of() : index.entries(id, name);
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
        checkBounds(entry, count);
        return file.read(entry.dataOffset(), count);
    }

    @Override
    public Integer zipCrc(IndexedEntry entry) {
        return entry.crc32();
    }

    @Override
    public byte[] readSource(Module module) throws IOException {
        if (!module.hasSource()) {
            return null;
        }
        if (module.sourceSize() > Integer.MAX_VALUE - 8) {
            throw new ArchiveFormatException(file.path(), ArchiveLayout.SOURCES + module.source() + " is too large");
        }
        if (module.sourceOffset() < 0 || module.sourceOffset() > seal.indexOffset() - module.sourceSize()) {
            throw new ArchiveFormatException(file.path(), ArchiveLayout.INDEX + ": source " + module.source() + " of "
                    + module.sourceSize() + " bytes at offset " + module.sourceOffset() + " does not lie before the index");
        }
        return file.read(module.sourceOffset(), (int) module.sourceSize());
    }

    @Override
    public Archive.Stamp sourceStamp(Module module) {
        // a sealed archive holds its sources exactly as packed
        return module.hasSource() ? new Archive.Stamp(module.sourceSize(), module.sourceTime()) : null;
    }

    /** @return the SHA-256 of a nested jar's bytes, read in chunks through the archive's own handle */
    byte[] sha256(Container container) throws IOException {
        java.security.MessageDigest digest = Sha256.newDigest();
        byte[] chunk = new byte[(int) Math.min(Math.max(container.size(), 1), 1 << 16)];
        for (long done = 0; done < container.size(); ) {
            int count = (int) Math.min(chunk.length, container.size() - done);
            file.read(container.offset() + done, chunk, 0, count);
            digest.update(chunk, 0, count);
            done += count;
        }
        return digest.digest();
    }

    @Override
    public InputStream openContainer(Container container) throws IOException {
        return SliceInputStream.open(file.path(), container.offset(), container.size());
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    /** Not a lambda: its bootstrap would cost milliseconds on the launch path. */
    private static final class ByOffset implements java.util.Comparator<Container> {
        @Override
        public int compare(Container a, Container b) {
            return Long.compare(a.offset(), b.offset());
        }
    }
}
