package dev.hermetic.loader.archive;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * A Hermetic archive opened for reading through its index: the front door of this package.
 *
 * <p>Three ways in, chosen by {@link #open}:
 * <ul>
 * <li>a <em>sealed</em> zip, as packed: opening costs a few small reads whatever the entry count
 *     (the end record with the seal; the index's header and page table, in one; the index pages that
 *     hold the nested jars and the main class's name); no per-entry objects,
 *     and nested jars' own directories are never read. Each {@link #find} is a hash probe over index
 *     pages read and CRC-checked at first use (a few 4 KiB pages); each {@link #read} one positional
 *     read, plus inflating for compressed entries of nested jars. The central directory is read and
 *     checked against the seal only at the first {@link #trustBound()}, {@link #readSource} or
 *     {@link #sourceStamp}: the questions whose answer an edit in place would change;</li>
 * <li>a zip <em>edited</em> after packing (its seal no longer matches): {@link #trustBound()} is false,
 *     and names come from the central directories, read whole at open, or at that first check when
 *     only the central directory's checksum gave the edit away (time proportional to the
 *     entries);</li>
 * <li>an <em>exploded</em> directory with the archive's layout: names from its index, bytes from its
 *     files.</li>
 * </ul>
 * Instances are thread-safe; reads of one file are serialised.
 *
 * <p>{@link Integrity} decides what each read checks; under {@link Integrity#DIGEST} a sealed zip also
 * costs reading the whole index and its SHA-256 at open, one SHA-256 of each application entry or
 * source read, and one of each nested jar whole at the first read from it.
 *
 * <p>Limits: entries up to 4 GiB (2 GiB to read into memory), 65535 locations per name.
 */
public final class Archive implements Closeable {
    /** How names are found now: a sealed store is replaced by an edited one if its check fails. */
    private volatile Store store;
    private final String mainClass;
    private volatile Integrity integrity = Integrity.DEFAULT;
    /**
     * Under {@link Integrity#DIGEST} for a sealed zip: which nested jars were hashed whole already. Read
     * without a lock: a stale false only sends a thread to the synchronized check, which sees true.
     */
    private final boolean[] containersVerified;

    /**
     * The size and modification time of a source file.
     *
     * @param size       bytes
     * @param timeMillis modification time in epoch milliseconds
     */
    public record Stamp(long size, long timeMillis) {
    }

    Archive(Store store) throws IOException {
        this.store = store;
        this.mainClass = store.index.mainClass();
        this.containersVerified = new boolean[store.containerCount()];
    }

    /**
     * Opens a packed archive, or an exploded one when {@code path} is a directory, checking the bytes it
     * reads at the {@link Integrity#DEFAULT} level.
     *
     * @throws ArchiveFormatException when it is not a Hermetic archive or its index is corrupt
     * @throws IOException            when it cannot be read
     */
    public static Archive open(Path path) throws IOException {
        return open(path, Integrity.DEFAULT);
    }

    /**
     * Opens a packed archive, or an exploded one when {@code path} is a directory.
     *
     * <p>Malformed input of any kind ends in an {@link ArchiveFormatException}, here and in every later
     * {@link #find} and {@link #read}: a parser error that would surface as an unchecked exception is
     * wrapped into one naming the archive (never an {@code Error}: sizes are checked before memory is
     * allocated for them).
     *
     * @param integrity how much to check the bytes of each entry read
     * @throws ArchiveFormatException when it is not a Hermetic archive or its index is corrupt
     * @throws IOException            when it cannot be read
     */
    public static Archive open(Path path, Integrity integrity) throws IOException {
        Archive archive;
        try {
            archive = openUnguarded(path, integrity);
        } catch (RuntimeException e) {
            throw malformed(path, e);
        }
        archive.integrity = integrity;
        return archive;
    }

    private static Archive openUnguarded(Path path, Integrity integrity) throws IOException {
        if (Files.isDirectory(path)) {
            return ExplodedStore.open(path);
        }
        FileBlock file = FileBlock.open(path);
        try {
            EndRecord end = EndRecord.readWithComment(file, Seal.LENGTH);
            Seal seal = end == null ? null : Seal.parse(end.comment());
            if (seal == null || end.base() != 0 || !seal.locates(end)) {
                return new Archive(EditedStore.open(file, EndRecord.read(file)));
            }
            if (seal.indexOffset() < 0 || seal.indexOffset() > end.centralOffset() - seal.indexLength()) {
                throw new ArchiveFormatException(path, "index of " + seal.indexLength() + " bytes at offset "
                        + seal.indexOffset() + " does not lie before the central directory");
            }
            IndexBytes indexBytes;
            if (integrity == Integrity.DIGEST) {
                byte[] whole = file.read(seal.indexOffset(), seal.indexLength());
                seal.checkIndex(path, whole);
                indexBytes = IndexBytes.of(path, whole);
            } else {
                indexBytes = IndexBytes.read(path, file, seal.indexOffset(), seal.indexLength());
            }
            IndexReader index = new IndexReader(path, indexBytes);
            if (integrity == Integrity.DIGEST && !index.hasDigests()) {
                throw new ArchiveFormatException(path, ArchiveLayout.INDEX + ": the index has no digest section (packed"
                        + " without digests), so -Dhermetic.verify=digest cannot check this archive");
            }
            return new Archive(new SealedStore(file, end, index, seal));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Checks a whole Hermetic archive strictly, as {@code inspect} and {@code verify} do before reading
     * it: its zip and every nested jar's (see the package's {@code ZipChecks}: headers, names, duplicates,
     * overlaps, methods, encryption, ZIP64, ratios), and that nested jars are STORED and lie directly in
     * {@link ArchiveLayout#LIB}. Time proportional to the entries; the loader does not do this on its fast
     * path, where the index, bound to the archive by the seal, already records what was checked when packing.
     *
     * @throws ArchiveFormatException naming the archive, the entry and the field or offset
     */
    public static void checkStrictly(Path path) throws IOException {
        try (FileBlock file = FileBlock.open(path)) {
            EndRecord end = EndRecord.read(file);
            EditedStore.checkNested(file, EditedStore.checkOuter(file, end));
        } catch (RuntimeException e) {
            throw malformed(path, e);
        }
    }

    /**
     * Checks a plain zip or jar strictly (a {@code --lib} jar before it is nested): see
     * {@link #checkStrictly}. A jar inside it is only a resource: the class path has one level of nesting.
     * Returns what the check read, so that a packer need not parse the jar's headers again.
     *
     * @return the entries in central-directory order, as a jar's entries before it is nested: container
     *         and module -1 (no index accepts them as they are), data offsets from the jar's first byte
     * @throws ArchiveFormatException naming the jar, the entry and the field or offset
     */
    public static List<IndexedEntry> checkZip(Path path) throws IOException {
        try (FileBlock file = FileBlock.open(path)) {
            List<ZipChecks.Entry> checked = ZipChecks.check(file);
            List<IndexedEntry> entries = new ArrayList<>(checked.size());
            for (ZipChecks.Entry e : checked) {
                CentralDirectory.Record r = e.record();
                entries.add(new IndexedEntry(r.name(), -1, e.dataOffset(), r.method(), r.compressedSize(), r.size(),
                        r.crc32(), -1));
            }
            return entries;
        } catch (RuntimeException e) {
            throw malformed(path, e);
        }
    }

    /** A parser error on malformed input, as the checked exception malformed input always ends in. */
    private static ArchiveFormatException malformed(Path path, RuntimeException e) {
        if (e instanceof IllegalStateException && e.getMessage() != null && e.getMessage().endsWith(" is closed")) {
            throw e; // a caller error: the archive was closed
        }
        ArchiveFormatException wrapped = new ArchiveFormatException(path, "malformed archive (" + e + ")");
        wrapped.initCause(e);
        return wrapped;
    }

    /** @return how much this archive checks the bytes it reads */
    public Integrity integrity() {
        return integrity;
    }

    /** @return the archive file, or the directory of an exploded archive */
    public Path path() {
        return store.index.file();
    }

    /** @return whether this is an exploded directory rather than a zip */
    public boolean exploded() {
        return store.exploded();
    }

    /**
     * Whether the index's trust flags may be honoured. For a sealed zip the first call reads the central
     * directory and compares its CRC-32 with the seal's (time proportional to the entries, once); when
     * they differ, the archive is served through its central directories from then on.
     *
     * @return false for a zip edited after packing, whose caches must then be checked
     */
    public boolean trustBound() throws IOException {
        return bound().trustBound();
    }

    /**
     * @return whether this archive is served through its central directories because it was edited
     *         after packing, as found at open or by a {@link #trustBound()} since: no checking is done here
     */
    public boolean edited() {
        return !store.trustBound();
    }

    /**
     * The store whose trust is settled: a sealed zip's central directory is read and checked against the
     * seal once, at the first call; if it was edited in place, the archive is served through its central
     * directories from then on (entries already served were checked against the index as they were read).
     */
    private Store bound() throws IOException {
        Store s = store;
        return s instanceof SealedStore sealed && !sealed.centralChecked() ? checkCentral(sealed) : s;
    }

    private synchronized Store checkCentral(SealedStore sealed) throws IOException {
        if (store == sealed && !sealed.centralMatches()) {
            store = sealed.edited();
        }
        return store;
    }

    /**
     * @return a string that differs whenever the classes this archive serves may differ; for an
     *         exploded directory this walks its files
     */
    public String identity() throws IOException {
        // through the trust check: an archive edited in place must not pass for the sealed one
        return bound().identity();
    }

    /** @return the application's entry point, as a binary name */
    public String mainClass() {
        return mainClass;
    }

    /** @return the class path, application first */
    public List<Container> containers() {
        List<Container> all = new ArrayList<>(store.containerCount());
        for (int i = 0; i < store.containerCount(); i++) {
            all.add(store.container(i));
        }
        return all;
    }

    /** @return how many containers the class path has: the application's, then each nested jar */
    public int containerCount() {
        return store.containerCount();
    }

    /** @return the container with this id */
    public Container container(int id) {
        return store.container(id);
    }

    /**
     * @return whether a nested jar may be a multi-release jar: it has entries under
     *         {@code META-INF/versions/} (recorded in the index when packing, so answering reads no manifest)
     */
    public boolean versioned(int container) throws IOException {
        return store.versioned(container);
    }

    /**
     * The first of a name's entries in class-path order: what {@code getResource} serves.
     *
     * @return the entry, or null when the archive has none of that name
     */
    public IndexedEntry find(String name) throws IOException {
        try {
            return store.find(name);
        } catch (RuntimeException e) {
            throw malformed(path(), e);
        }
    }

    /** @return all entries of a name in class-path order: what {@code getResources} serves */
    public List<IndexedEntry> findAll(String name) throws IOException {
        try {
            return store.findAll(name);
        } catch (RuntimeException e) {
            throw malformed(path(), e);
        }
    }

    /**
     * The module a name belongs to: the module of an application class's cache, or the module a name was
     * declared for ({@link IndexWriter#declare}), such as a source name.
     *
     * @return the module id, or -1
     */
    public int moduleOf(String name) throws IOException {
        int id = store.index.find(name);
        return id < 0 ? -1 : store.index.module(id);
    }

    /** @return every entry of every container, by name, each name's entries in class-path order */
    public List<IndexedEntry> entries() throws IOException {
        try {
            return store.entries();
        } catch (RuntimeException e) {
            throw malformed(path(), e);
        }
    }

    /** @return the modules, in id order */
    public List<Module> modules() throws IOException {
        List<Module> all = new ArrayList<>(store.index.moduleCount());
        for (int id = 0; id < store.index.moduleCount(); id++) {
            all.add(store.index.moduleRecord(id));
        }
        return all;
    }

    /** @return how many modules the index lists */
    public int moduleCount() {
        return store.index.moduleCount();
    }

    /** @return the module with this id */
    public Module module(int id) throws IOException {
        return store.index.moduleRecord(id);
    }

    /** @return the index's size in bytes */
    public int indexSize() {
        return store.index.size();
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
        try {
            return readUnguarded(entry);
        } catch (RuntimeException e) {
            throw malformed(path(), e);
        }
    }

    private byte[] readUnguarded(IndexedEntry entry) throws IOException {
        checkEntry(entry);
        // one store for the whole read: another thread's trust check may swap in the edited one meanwhile
        Store s = store;
        byte[] stored = s.readStored(entry, (int) entry.compressedSize());
        // a class that compressed entries alone need: a STORED archive never loads it
        byte[] bytes = entry.stored() ? stored
                : Inflating.inflate(path(), describe(entry), stored, entry.method(), entry.size());
        SealedStore sealed = integrity == Integrity.DIGEST && s instanceof SealedStore ss ? ss : null;
        if (sealed != null && entry.container() == 0) {
            byte[] recorded = sealed.index.applicationDigest(entry.name());
            if (recorded == null) {
                throw new ArchiveFormatException(path(), describe(entry) + ": the index has no digest of it");
            }
            checkDigest(describe(entry), bytes, entry.dataOffset(), recorded);
            return bytes;
        }
        if (sealed != null) {
            verifyContainer(sealed, entry.container());
        }
        Integer expected;
        if (integrity != Integrity.NONE && (expected = s.zipCrc(entry)) != null) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            if ((int) crc.getValue() != expected) {
                throw new ArchiveFormatException(path(), describe(entry) + ": CRC-32 of the " + bytes.length + " bytes read at offset "
                        + entry.dataOffset() + " is " + Long.toHexString(crc.getValue()) + ", the archive records "
                        + Integer.toHexString(expected) + " (corrupt, or changed in place)");
            }
        }
        return bytes;
    }

    /**
     * The checks every read makes before reading: sizes that fit in memory, a known method, a ratio
     * deflate can produce. The entry's name for the message is built only when one fails.
     */
    private void checkEntry(IndexedEntry entry) throws ArchiveFormatException {
        int method = entry.method();
        long compressed = entry.compressedSize();
        long size = entry.size();
        boolean fits = size >= 0 && size <= MAX_READ && compressed >= 0 && compressed <= MAX_READ;
        if (fits && (method == ZipEntry.STORED ? compressed == size
                : method == ZipEntry.DEFLATED && size / MAX_RATIO <= compressed + 1)) {
            return;
        }
        String name = describe(entry);
        intSize(path(), name, size);
        if (method == ZipEntry.STORED && compressed != size) {
            throw new ArchiveFormatException(path(), name + " is stored but its sizes differ: " + compressed + " and " + size);
        }
        if (method != ZipEntry.STORED && method != ZipEntry.DEFLATED) {
            throw new ArchiveFormatException(path(), name + " uses unsupported compression method " + method);
        }
        checkRatio(path(), name, method, compressed, size);
        intSize(path(), name, compressed);
    }

    private void checkDigest(String name, byte[] bytes, long offset, byte[] recorded) throws ArchiveFormatException {
        byte[] actual = Sha256.of(bytes);
        if (!java.security.MessageDigest.isEqual(actual, recorded)) {
            throw new ArchiveFormatException(path(), name + ": SHA-256 of the " + bytes.length + " bytes read at offset "
                    + offset + " is " + Sha256.hex(actual) + ", the index records " + Sha256.hex(recorded)
                    + " (corrupt, or changed after packing)");
        }
    }

    /**
     * Under {@link Integrity#DIGEST}, hashes a nested jar whole the first time an entry of it is read (one
     * read of the jar; a thread reading another jar is not held up).
     */
    private void verifyContainer(SealedStore sealed, int id) throws IOException {
        if (containersVerified[id]) {
            return;
        }
        Container container = sealed.container(id);
        synchronized (container) {
            if (containersVerified[id]) {
                return;
            }
            byte[] recorded = sealed.index.containerDigest(id);
            byte[] actual = sealed.sha256(container);
            if (!java.security.MessageDigest.isEqual(actual, recorded)) {
                throw new ArchiveFormatException(path(), container.entry() + ": SHA-256 of the nested jar's "
                        + container.size() + " bytes at offset " + container.offset() + " is " + Sha256.hex(actual)
                        + ", the index records " + Sha256.hex(recorded) + " (corrupt, or changed after packing)");
            }
            containersVerified[id] = true;
        }
    }

    /** Opens an entry's bytes as a stream (read whole: entries served by a class loader are small). */
    public InputStream open(IndexedEntry entry) throws IOException {
        return new ByteArrayInputStream(read(entry));
    }

    /** @return a nested jar's bytes as a stream, which holds a file handle of its own */
    public InputStream open(Container container) throws IOException {
        if (!container.nested()) {
            throw new IllegalArgumentException("the application's classes are not one file");
        }
        return store.openContainer(container);
    }

    /**
     * Reads a module's source as the archive holds it now.
     *
     * @return the source, or null when the archive holds none
     */
    public byte[] readSource(Module module) throws IOException {
        try {
            Store s = bound();
            byte[] source = s.readSource(module);
            if (source != null && integrity == Integrity.DIGEST && s instanceof SealedStore) {
                checkDigest(ArchiveLayout.SOURCES + module.source(), source, module.sourceOffset(), module.sourceSha256());
            }
            return source;
        } catch (RuntimeException e) {
            throw malformed(path(), e);
        }
    }

    /** @return the size and time of the module's source as the archive holds it now, or null */
    public Stamp sourceStamp(Module module) throws IOException {
        return bound().sourceStamp(module);
    }

    /** The entry's full name in the archive, for messages: the nested jar, then the inner name. */
    public String describe(IndexedEntry entry) {
        Container c = store.container(entry.container());
        return c.nested() ? c.entry() + "!/" + entry.name() : c.entry() + entry.name();
    }

    /** The largest entry read into one array. */
    private static final long MAX_READ = Integer.MAX_VALUE - 8;

    static int intSize(Path file, String name, long size) throws ArchiveFormatException {
        if (size < 0 || size > MAX_READ) {
            throw new ArchiveFormatException(file, name + " is too large to read into memory: " + size + " bytes");
        }
        return (int) size;
    }

    /** Deflate cannot expand more than about 1032:1; a larger declared ratio is not a genuine entry. */
    static final long MAX_RATIO = 1032;

    /**
     * Refuses a declared size deflate cannot produce from the compressed size: a zip bomb. Here, not in
     * {@link ZipChecks}, because every read makes this check and the strict checks stay off the launch path.
     */
    static void checkRatio(Path file, String name, int method, long compressed, long size) throws ArchiveFormatException {
        if (method == ZipEntry.STORED ? compressed != size : size / MAX_RATIO > compressed + 1) {
            throw new ArchiveFormatException(file, name + ": declares " + size + " bytes from " + compressed + " "
                    + (method == ZipEntry.STORED ? "stored bytes" : "compressed bytes, more than deflate's maximum ratio of "
                    + MAX_RATIO + ":1 (a zip bomb)"));
        }
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
