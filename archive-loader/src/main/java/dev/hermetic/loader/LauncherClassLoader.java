package dev.hermetic.loader;

import dev.hermetic.loader.archive.ArchiveLayout;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.HashSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipException;

/**
 * The loader of the launcher's own classes in a launch ({@link Launcher}): defines them from the
 * archive's {@value #ENTRY} entry, which the packer writes STORED, third after {@code META-INF/} and the
 * manifest, with every class of this library. A launch finds it by reading those local headers (in an
 * archive a zip tool rewrote, through the JDK's {@code JarFile}, and reads it whole), reads
 * its table of classes (a {@link LauncherClassTable}: a lookup is a binary search of the names' hashes in
 * memory, nothing is built per class), then each class file as it defines it. The JDK's application
 * class loader would look each class up in the archive, read it, define its package and protection
 * domain, and answer every JDK class a loader class names through its own delegation, all of it
 * interpreted code. This loader asks the boot loader directly for {@code java.*} classes and the
 * platform class loader for other JDK classes; it is parallel capable, so the launch's second thread
 * defines classes while the launch does. Its classes get the archive's protection domain, as from the
 * application class loader, and the JDK's class-data sharing (a dynamic CDS archive, the JDK 25 AOT
 * cache) archives and serves them. It has no resources of its own (the launcher reads none through
 * it): {@code getResource} answers what the platform class loader has. An exploded archive directory
 * holds the same table as a file of the entry's name, which this loader reads the same way.
 *
 * <p>Costs: five reads of the archive at {@link #of} (three local headers, then the entry's header, and
 * its rows and names, some 60 bytes a class; two reads of a directory's file); then one read per class
 * defined, of its class file. An entry out of its place costs a look-up in the JDK's {@code JarFile} and
 * the whole entry read and kept in memory.
 */
final class LauncherClassLoader extends ClassLoader implements Closeable, Consumer<Object> {
    /** The archive entry holding the launcher's classes: a {@link LauncherClassTable}. */
    static final String ENTRY = ArchiveLayout.LAUNCHER_CLASSES;
    /** The entry's place among the archive's entries, counted from 0; a launch looks no further. */
    static final int POSITION = ArchiveLayout.LAUNCHER_CLASSES_POSITION;

    /** {@link Launch}'s name, which {@code Launch.class} would load in the application class loader. */
    static final String LAUNCH = "dev.hermetic.loader.Launch";

    // the table's layout (LauncherClassTable): constants, which javac copies here, so that class stays unloaded
    private static final int MAGIC = LauncherClassTable.MAGIC;
    private static final int VERSION = LauncherClassTable.VERSION;
    private static final int HEADER = LauncherClassTable.HEADER;
    private static final int ROW = LauncherClassTable.ROW;
    /** More than any table of this library's classes takes for its rows and names (some 4 KiB). */
    private static final int MAX_TABLE = 1 << 20;
    /** More than any whole entry of this library's classes takes (some 300 KB), for one read whole. */
    private static final int MAX_ENTRY = 16 << 20;
    private static final int LOCAL_HEADER = 30;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    /** A local header's size fields hold this when the real sizes are in a zip64 extra field. */
    private static final long ZIP64_SIZE = 0xFFFFFFFFL;

    static {
        registerAsParallelCapable();
    }

    /**
     * The archive, or an exploded archive's file of the table, open for the JVM's life as the application
     * class loader holds the archive; reads synchronise on it. Null when the whole entry is in {@link #table}.
     */
    private final RandomAccessFile file;
    /** Where the entry starts in the file. */
    private final long start;
    /** The entry's header, rows and names; the whole entry when it was {@linkplain #read read whole}. */
    private final byte[] table;
    private final int count;
    private final ProtectionDomain domain;
    /** The archive and the entry, for messages. */
    private final String what;
    /** {@link Launch}'s entry point, which its static initialiser hands over ({@link #accept}). */
    private volatile Consumer<Object> launch;
    /** The launch's {@link MainCallClass}, defined by the archive's loader, which the launch hands over. */
    private volatile Class<?> mainCall;
    /**
     * Per row, what defining its class synchronises on, and the class once defined: the JDK's lock per
     * name and {@code findLoadedClass} are each a few interpreted calls per class a launch defines.
     */
    private final Object[] locks;
    private final Class<?>[] defined;

    private LauncherClassLoader(RandomAccessFile file, long start, byte[] table, ProtectionDomain domain, String what) {
        super(getPlatformClassLoader());
        this.file = file;
        this.start = start;
        this.table = table;
        this.count = u16(table, 6);
        this.domain = domain;
        this.what = what;
        this.locks = new Object[count];
        for (int i = 0; i < count; i++) {
            locks[i] = new Object();
        }
        this.defined = new Class<?>[count];
    }

    /**
     * The loader of the launcher classes of the archive, or exploded archive directory, {@code launcher}
     * was loaded from: from {@value #ENTRY} in its place, or {@linkplain #read read whole} from elsewhere in
     * the archive, or from the file of that name in a directory.
     *
     * @return the loader, or null when there is none (an archive or a directory of an older packer, whose
     *         root holds every class of the launch, or a directory without the file)
     * @throws IOException when the archive cannot be read or the entry is malformed
     * @throws URISyntaxException when the class's code source is not a URI (the JDK's always is)
     */
    static LauncherClassLoader of(Class<?> launcher) throws IOException, URISyntaxException {
        URL location = Launcher.location(launcher);
        if (location == null || !"file".equals(location.getProtocol())) {
            return null;
        }
        File archive = Launcher.file(location);
        ProtectionDomain domain = launcher.getProtectionDomain();
        if (domain.getCodeSource() == null || location != domain.getCodeSource().getLocation()) {
            // the launcher's classes get the archive's location all the same, where the launch looks for it
            domain = new ProtectionDomain(new CodeSource(location, (CodeSigner[]) null), domain.getPermissions(),
                    domain.getClassLoader(), domain.getPrincipals());
        }
        LauncherClassLoader loader;
        if (archive.isFile()) { // first: one file-system query on the way every archive launches
            loader = open(archive, domain);
            if (loader == null) {
                loader = read(archive, domain);
            }
        } else if (archive.isDirectory()) {
            File table = new File(archive, ENTRY);
            loader = table.isFile() ? open(table, true, domain) : null;
        } else {
            return null;
        }
        if (loader == null) {
            verbose(archive);
        }
        return loader;
    }

    /** Says, under {@code -Dhermetic.verbose}, that the launch runs in the application class loader. */
    private static void verbose(File archive) {
        verbose("no " + ENTRY + " in " + archive + ": the launcher's classes come from the application class loader");
    }

    private static void verbose(String message) {
        if (Boolean.getBoolean("hermetic.verbose")) {
            System.err.println("[hermetic] " + message);
        }
    }

    /**
     * The loader of the launcher classes in that archive, its classes in that protection domain.
     *
     * @return the loader, or null when the archive has no {@value #ENTRY} among its first entries
     * @throws IOException when the archive cannot be read or the entry is malformed
     */
    static LauncherClassLoader open(File archive, ProtectionDomain domain) throws IOException {
        return open(archive, false, domain);
    }

    /** The loader of the entry in its place in an archive, or of a file that is the table alone. */
    private static LauncherClassLoader open(File in, boolean table, ProtectionDomain domain) throws IOException {
        RandomAccessFile file = new RandomAccessFile(in, "r");
        LauncherClassLoader loader = null;
        try {
            long[] entry = table ? new long[] {0, file.length()} : locate(file);
            if (entry != null) {
                String what = table ? in.toString() : in + ": " + ENTRY;
                loader = new LauncherClassLoader(file, entry[0], table(file, entry[0], entry[1], what), domain, what);
            }
            return loader;
        } finally {
            if (loader == null) {
                file.close();
            }
        }
    }

    /**
     * The loader of the entry wherever the archive holds it, read whole through the JDK's {@link JarFile}
     * (which {@code java -jar} holds open already, its central directory read): for an archive a zip tool
     * rewrote, its entries moved, compressed or signed. Some 300 KB read and kept in memory where
     * {@link #open} reads the rows and names alone. In a signed archive the JDK checks the entry against
     * its signature as it reads it, and the entry must be signed as the launcher that reads it is: its
     * classes get the launcher's signers.
     *
     * @return the loader, or null when the archive has no such entry
     * @throws IOException when the archive cannot be read, or the entry is malformed, too large, fails its
     *                     signature or is signed otherwise than the launcher
     */
    static LauncherClassLoader read(File archive, ProtectionDomain domain) throws IOException {
        String what = archive + ": " + ENTRY;
        byte[] entry;
        CodeSigner[] signers;
        try (JarFile jar = new JarFile(archive, true)) {
            JarEntry found = jar.getJarEntry(ENTRY);
            if (found == null) {
                return null;
            }
            try (InputStream in = jar.getInputStream(found)) {
                entry = in.readNBytes(MAX_ENTRY + 1); // to its end, where a signed jar's digest is checked
            } catch (SecurityException e) {
                ZipException failed = new ZipException(what + ": " + e.getMessage());
                failed.initCause(e);
                throw failed;
            }
            signers = found.getCodeSigners();
        }
        if (entry.length > MAX_ENTRY) {
            throw new ZipException(what + ": more than " + MAX_ENTRY + " bytes: not a table of launcher classes");
        }
        CodeSigner[] launcher = domain.getCodeSource() == null ? null : domain.getCodeSource().getCodeSigners();
        if (launcher != null && (signers == null
                || !new HashSet<>(Arrays.asList(signers)).equals(new HashSet<>(Arrays.asList(launcher))))) {
            throw new ZipException(what + ": not signed as the launcher is, whose classes it holds");
        }
        checkRows(entry, entry.length, checkHeader(entry, entry.length, what), what);
        verbose(ENTRY + " is not in its place in " + archive + " (did a zip tool rewrite it?): read whole");
        return new LauncherClassLoader(null, 0, entry, domain, what);
    }

    /**
     * @return where the entry's bytes start and how many there are, when it is STORED among the first
     *         {@link #POSITION} + 1 entries; else null
     */
    private static long[] locate(RandomAccessFile file) throws IOException {
        byte[] header = new byte[LOCAL_HEADER + ENTRY.length()];
        long length = file.length();
        long at = 0;
        for (int i = 0; i <= POSITION; i++) {
            if (at > length - header.length) {
                return null;
            }
            file.seek(at);
            file.readFully(header);
            long compressed = Integer.toUnsignedLong(le32(header, 18));
            int nameLength = le16(header, 26);
            if (le32(header, 0) != LOCAL_SIGNATURE || (le16(header, 6) & 9) != 0 || compressed == ZIP64_SIZE) {
                return null; // no local header, or encrypted, sizes after the data or in zip64: not as packed
            }
            long data = at + LOCAL_HEADER + nameLength + le16(header, 28);
            if (nameLength == ENTRY.length() && named(ENTRY, header, LOCAL_HEADER)) {
                boolean stored = le16(header, 8) == 0 && compressed == Integer.toUnsignedLong(le32(header, 22));
                return stored && compressed <= length - data ? new long[] {data, compressed} : null;
            }
            at = data + compressed;
        }
        return null;
    }

    /**
     * Reads the entry's header and rows, checking that every row's name and class file lie inside the
     * entry.
     */
    private static byte[] table(RandomAccessFile file, long start, long size, String what) throws IOException {
        byte[] header = new byte[HEADER];
        if (size >= HEADER) {
            file.seek(start);
            file.readFully(header);
        }
        int names = checkHeader(header, size, what);
        byte[] table = Arrays.copyOf(header, names);
        file.readFully(table, HEADER, names - HEADER);
        checkRows(table, size, names, what);
        return table;
    }

    /**
     * Checks the header of a table of {@code size} bytes: its magic, version and where its names end.
     *
     * @return where the names end, the rows and names lying before that
     */
    private static int checkHeader(byte[] header, long size, String what) throws ZipException {
        if (size < HEADER || u32(header, 0) != MAGIC || u16(header, 4) != VERSION) {
            throw new ZipException(what + ": not a table of launcher classes of version " + VERSION);
        }
        int count = u16(header, 6);
        int rows = HEADER + count * ROW;
        int names = u32(header, 8);
        if (names < rows || names > size || names > MAX_TABLE) {
            throw new ZipException(what + ": " + count + " classes and their names in " + names
                    + " bytes: not a table of an entry of " + size + " bytes");
        }
        return names;
    }

    /** Checks that every row's name and class file lie inside their parts of the entry, in hash order. */
    private static void checkRows(byte[] table, long size, int names, String what) throws ZipException {
        int count = u16(table, 6);
        int rows = HEADER + count * ROW;
        for (int i = 0, row = HEADER; i < count; i++, row += ROW) {
            int nameAt = u32(table, row + 4);
            int classAt = u32(table, row + 10);
            if (nameAt < rows || outside(names, nameAt, u16(table, row + 8))
                    || classAt < names || outside(size, classAt, u32(table, row + 14))) {
                throw new ZipException(what + ": class " + i + " of " + count + " lies outside its part of the entry's "
                        + size + " bytes");
            }
            if (i > 0 && u32(table, row) < u32(table, row - ROW)) {
                throw new ZipException(what + ": class " + i + " of " + count + " is out of hash order");
            }
        }
    }

    private static boolean outside(long size, int offset, int length) {
        return offset < 0 || length < 0 || offset > size - length;
    }

    /**
     * @return the launch of this loader, which takes the application's arguments: {@link Launch}
     *         initialised, which hands itself over ({@link #accept}), so that the front calls it with neither
     *         reflection nor a method handle (from JDK 18 on either initialises {@code java.lang.invoke})
     * @throws IOException naming the archive and the entry when the table holds no launch that links and
     *                     hands itself over
     */
    Consumer<Object> entryPoint() throws IOException {
        try {
            Class.forName(LAUNCH, true, this);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ZipException(what + ": no launch to run: " + e);
        }
        if (launch == null) {
            throw new ZipException(what + ": no launch to run: " + LAUNCH + " handed over no entry point");
        }
        return launch;
    }

    /**
     * Takes what this loader's launch classes hand over, once each, JDK types being all that both sides of
     * this loader share: {@link Launch}'s entry point (a {@code Consumer} of the arguments), then the
     * launch's {@link MainCallClass} (a {@code Class}), which {@link #loadClass} then answers its name with.
     *
     * @throws IllegalArgumentException when handed anything else, or either a second time
     */
    @Override
    @SuppressWarnings("unchecked")
    public synchronized void accept(Object handed) {
        if (handed instanceof Class && mainCall == null) {
            mainCall = (Class<?>) handed;
        } else if (handed instanceof Consumer && launch == null) {
            launch = (Consumer<Object>) handed;
        } else {
            throw new IllegalArgumentException("not a launch's entry point or main call to take: " + handed);
        }
    }

    /**
     * @return a static method of one of this loader's launch classes, accessible, its class initialised
     * @throws IOException naming the archive and the entry when the table holds no such method that links
     */
    Method launchMethod(String className, String name, Class<?>... parameters) throws IOException {
        try {
            Method method = Class.forName(className, true, this).getDeclaredMethod(name, parameters);
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ZipException(what + ": no launch to run: " + e);
        }
    }

    /**
     * Closes the archive: no class can be read from it afterwards (an entry {@linkplain #read read whole}
     * still serves).
     */
    @Override
    public void close() throws IOException {
        if (file != null) {
            synchronized (file) {
                file.close();
            }
        }
    }

    /**
     * Defines the launcher's classes from the entry; asks the boot loader for {@code java.*} classes and
     * the platform class loader for the others, as the application class loader would; answers
     * {@link MainCallClass#NAME} with the class the launch handed over.
     */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        Class<?> call = mainCall;
        if (call != null && name.equals(MainCallClass.NAME)) {
            return call;
        }
        boolean jdk = name.startsWith("java.");
        int row = jdk ? -1 : find(name);
        if (row < 0) {
            if (jdk) {
                try {
                    return Class.forName(name, false, null);
                } catch (ClassNotFoundException | SecurityException e) {
                    // java.sql and a few others are the platform class loader's; code a security manager
                    // denies the boot loader is served by the platform loader, which asks it privileged
                }
            }
            // the parent through ClassLoader's own field: getParent() checks a permission sandboxed code lacks
            return super.loadClass(name, resolve);
        }
        int index = (row - HEADER) / ROW;
        synchronized (locks[index]) {
            Class<?> loaded = defined[index];
            if (loaded == null) {
                byte[] bytes = new byte[u32(table, row + 14)];
                try {
                    read(u32(table, row + 10), bytes);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name + ": cannot read it from " + what, e);
                }
                loaded = defineClass(name, bytes, 0, bytes.length, domain);
                defined[index] = loaded;
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    /** @return the row of that class, or -1 */
    private int find(String name) {
        int hash = name.hashCode();
        int low = 0;
        int high = count;
        while (low < high) { // the first row whose hash is not below the name's
            int middle = (low + high) >>> 1;
            if (u32(table, HEADER + middle * ROW) < hash) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        for (int row = HEADER + low * ROW; low < count && u32(table, row) == hash; low++, row += ROW) {
            if (named(name, row)) {
                return row;
            }
        }
        return -1;
    }

    /** Whether the row names that class: a hash match is no proof. */
    private boolean named(String name, int row) {
        return name.length() == u16(table, row + 8) && named(name, table, u32(table, row + 4));
    }

    /** Whether the ASCII bytes at that offset spell the name (no charset: its classes cost a launch time). */
    private static boolean named(String name, byte[] bytes, int offset) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) != bytes[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /** Fills {@code into} from that offset of the entry. */
    private void read(int offset, byte[] into) throws IOException {
        if (file == null) {
            System.arraycopy(table, offset, into, 0, into.length);
            return;
        }
        synchronized (file) {
            file.seek(start + offset);
            file.readFully(into);
        }
    }

    private static int le16(byte[] b, int at) {
        return (b[at + 1] & 0xFF) << 8 | b[at] & 0xFF;
    }

    private static int le32(byte[] b, int at) {
        return (b[at + 3] & 0xFF) << 24 | (b[at + 2] & 0xFF) << 16 | (b[at + 1] & 0xFF) << 8 | b[at] & 0xFF;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    private static int u32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }
}
