package dev.hermetic.loader.archive;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipEntry;

/**
 * A packed Hermetic archive, opened for reading through its index: the front door of this package.
 *
 * <p>Cost of {@link #open}: three reads (the end record with the seal, the index, the central
 * directory for the seal's checksum), and a CRC-32C over the index and the central directory; no
 * per-entry objects, and nested jars' own directories are never read. Each {@link #find} is a hash
 * probe in memory; each {@link #read} one positional read, plus inflating for compressed entries of
 * nested jars. Instances are thread-safe; reads are serialised on the one open file.
 *
 * <p>Limits: entries up to 4 GiB, 65535 locations per name.
 */
public final class Archive implements Closeable {
    private final FileBlock file;
    private final IndexReader index;
    private final String mainClass;
    private final Container[] containers;

    private Archive(FileBlock file, IndexReader index) throws IOException {
        this.file = file;
        this.index = index;
        this.mainClass = index.mainClass();
        this.containers = new Container[index.containerCount()];
        for (int i = 0; i < containers.length; i++) {
            containers[i] = index.container(i);
        }
    }

    /**
     * Opens a packed archive.
     *
     * @throws ArchiveFormatException when the file is not a Hermetic archive, its index is corrupt, or
     *                                it was modified after packing (its seal does not match)
     * @throws IOException            when it cannot be read
     */
    public static Archive open(Path path) throws IOException {
        FileBlock file = new FileBlock(path);
        try {
            EndRecord end = EndRecord.read(file);
            Seal seal = Seal.parse(end.comment());
            if (seal == null) {
                throw new ArchiveFormatException(path, "not a Hermetic archive: its comment holds no seal");
            }
            if (!seal.matches(file, end)) {
                throw new ArchiveFormatException(path, "modified after packing: its central directory no"
                        + " longer matches the seal, so its trust flags cannot be honoured; pack it again");
            }
            if (seal.indexOffset() < 0 || seal.indexOffset() > end.centralOffset() - seal.indexLength()) {
                throw new ArchiveFormatException(path, "index of " + seal.indexLength() + " bytes at offset "
                        + seal.indexOffset() + " does not lie before the central directory");
            }
            IndexReader index = new IndexReader(path, file.read(seal.indexOffset(), seal.indexLength()));
            return new Archive(file, index);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** @return the archive file */
    public Path path() {
        return file.path();
    }

    /** @return the application's entry point, as a binary name */
    public String mainClass() {
        return mainClass;
    }

    /** @return the class path, application first */
    public List<Container> containers() {
        return List.of(containers);
    }

    /** @return the container with this id */
    public Container container(int id) {
        return containers[id];
    }

    /**
     * The first of a name's entries in class-path order: what {@code getResource} serves.
     *
     * @return the entry, or null when the archive has none of that name
     */
    public IndexedEntry find(String name) throws ArchiveFormatException {
        int id = index.find(name);
        return id < 0 || index.locationCount(id) == 0 ? null : index.entry(id, 0);
    }

    /** @return all entries of a name in class-path order: what {@code getResources} serves */
    public List<IndexedEntry> findAll(String name) throws ArchiveFormatException {
        int id = index.find(name);
        if (id < 0) {
            return List.of();
        }
        int count = index.locationCount(id);
        List<IndexedEntry> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(index.entry(id, i));
        }
        return all;
    }

    /**
     * The module a name belongs to: the module of an application class's cache, or the module a name was
     * declared for ({@link IndexWriter#declare}), such as a source name.
     *
     * @return the module id, or -1
     */
    public int moduleOf(String name) throws ArchiveFormatException {
        int id = index.find(name);
        return id < 0 ? -1 : index.module(id);
    }

    /** @return every entry of every container, by name, each name's entries in class-path order */
    public List<IndexedEntry> entries() throws ArchiveFormatException {
        List<IndexedEntry> all = new ArrayList<>(index.locationCount());
        for (int id = 0; id < index.nameCount(); id++) {
            for (int i = 0, count = index.locationCount(id); i < count; i++) {
                all.add(index.entry(id, i));
            }
        }
        return all;
    }

    /** @return the modules, in id order */
    public List<Module> modules() throws ArchiveFormatException {
        List<Module> all = new ArrayList<>(index.moduleCount());
        for (int id = 0; id < index.moduleCount(); id++) {
            all.add(index.moduleRecord(id));
        }
        return all;
    }

    /** @return the module with this id */
    public Module module(int id) throws ArchiveFormatException {
        return index.moduleRecord(id);
    }

    /** @return the index's size in bytes */
    public int indexSize() {
        return index.size();
    }

    /** @return the index format version this archive uses */
    public static int indexVersion() {
        return IndexLayout.VERSION;
    }

    /**
     * Reads an entry's bytes, inflated.
     *
     * @throws ArchiveFormatException when the bytes are not what the index says
     */
    public byte[] read(IndexedEntry entry) throws IOException {
        int size = checkedSize(entry, entry.size());
        if (entry.method() == ZipEntry.STORED) {
            if (entry.compressedSize() != entry.size()) {
                throw error(entry, "is stored but its sizes differ: " + entry.compressedSize() + " and " + entry.size());
            }
            return file.read(entry.dataOffset(), size);
        }
        if (entry.method() != ZipEntry.DEFLATED) {
            throw error(entry, "uses unsupported compression method " + entry.method());
        }
        byte[] compressed = file.read(entry.dataOffset(), checkedSize(entry, entry.compressedSize()));
        byte[] inflated = new byte[size];
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed);
            int done = 0;
            while (done < size) {
                int n = inflater.inflate(inflated, done, size - done);
                if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                done += n;
            }
            if (done != size) {
                throw error(entry, "inflates to " + done + " bytes, not the " + size + " recorded");
            }
            if (!inflater.finished() && inflater.inflate(new byte[1]) > 0) {
                throw error(entry, "inflates to more than the " + size + " bytes recorded");
            }
        } catch (DataFormatException e) {
            throw error(entry, "has corrupt deflate data: " + e.getMessage());
        } finally {
            inflater.end();
        }
        return inflated;
    }

    /** Opens an entry's bytes as a stream (read whole: entries served by a class loader are small). */
    public InputStream open(IndexedEntry entry) throws IOException {
        return new ByteArrayInputStream(read(entry));
    }

    /**
     * Streams {@code size} bytes at {@code offset} of a file, such as a nested jar whole. The stream
     * holds a file handle of its own, released by {@link InputStream#close()}.
     */
    public static InputStream openSlice(Path file, long offset, long size) throws IOException {
        FileChannel channel = FileChannel.open(file);
        if (offset < 0 || size < 0 || offset > channel.size() - size) {
            channel.close();
            throw new ArchiveFormatException(file, size + " bytes at offset " + offset + " lie outside the file");
        }
        return new SliceInputStream(Channels.newInputStream(channel.position(offset)), size);
    }

    /**
     * Reads a module's source.
     *
     * @throws IllegalArgumentException when the archive does not ship it
     */
    public byte[] readSource(Module module) throws IOException {
        if (!module.hasSource()) {
            throw new IllegalArgumentException(module.source() + " is not in " + path());
        }
        if (module.sourceSize() > Integer.MAX_VALUE - 8) {
            throw new ArchiveFormatException(path(), ArchiveLayout.SOURCES + module.source() + " is too large");
        }
        return file.read(module.sourceOffset(), (int) module.sourceSize());
    }

    private int checkedSize(IndexedEntry entry, long size) throws ArchiveFormatException {
        if (size > Integer.MAX_VALUE - 8) {
            throw error(entry, "is too large to read into memory: " + size + " bytes");
        }
        return (int) size;
    }

    /** The entry's full name in the archive, for messages: the nested jar, then the inner name. */
    public String describe(IndexedEntry entry) {
        Container c = containers[entry.container()];
        return c.nested() ? c.entry() + "!/" + entry.name() : c.entry() + entry.name();
    }

    private ArchiveFormatException error(IndexedEntry entry, String what) {
        return new ArchiveFormatException(path(), describe(entry) + " " + what);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
