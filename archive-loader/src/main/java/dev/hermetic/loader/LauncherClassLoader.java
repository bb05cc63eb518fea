package dev.hermetic.loader;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.spi.URLStreamHandlerProvider;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * The loader of the launcher's own classes in a launch ({@link Launcher}): defines them from the
 * archive's {@value #ENTRY} entry, which the packer writes STORED, third after {@code META-INF/} and the
 * manifest, with every class of this library: a launch finds it by reading those local headers, reads
 * its table of classes, then each class file as it is defined. The JDK's application class loader would look each class up in the
 * archive, read it, define its package and protection domain, and answer every JDK class a loader class
 * names through its own delegation, all of it interpreted code, about 0.3 ms a class. This loader asks
 * the boot loader directly for {@code java.*} classes and the platform class loader for other JDK
 * classes; it is parallel capable, so the launch's second thread defines classes while the launch does.
 * Its classes get the archive's protection domain, as from the application class loader, and the JDK's
 * class-data sharing archives and serves them.
 *
 * <p>The entry, all numbers big-endian: magic {@code "HRML"}, version u16 (1), class count u16; per
 * class, sorted by the {@link String#hashCode} of its binary name and then by the name, that hash, the
 * name's offset (u32) and length (u16), the class file's offset and length (u32 each), offsets from the
 * entry's start; then the names (ASCII) and the class files. A lookup is a binary search of the hashes:
 * nothing is built per class when the loader is made.
 *
 * <p>Costs: five reads of the archive at {@link #of} (three local headers, the entry's header and its
 * rows, 18 bytes a class); then two small reads per class defined, its name and its class file.
 */
public final class LauncherClassLoader extends ClassLoader {
    /** The archive entry holding the launcher's classes. */
    public static final String ENTRY = "HERMETIC-INF/loader.classes";
    /**
     * The entry's place among the archive's entries, counted from 0, as the packer writes it: after
     * {@code META-INF/} and the manifest. A launch looks no further.
     */
    public static final int POSITION = 2;

    /** {@link Launch}'s name, which {@code Launch.class} would load in the application class loader. */
    static final String LAUNCH = "dev.hermetic.loader.Launch";

    private static final int MAGIC = 0x48524D4C; // "HRML"
    private static final int VERSION = 1;
    private static final int HEADER = 8;
    private static final int ROW = 18;
    private static final int LOCAL_HEADER = 30;
    private static final int LOCAL_SIGNATURE = 0x04034b50;

    static {
        registerAsParallelCapable();
    }

    /** The archive, open for the JVM's life as the application class loader holds it; reads synchronise on it. */
    private final RandomAccessFile file;
    /** Where the entry starts in the archive. */
    private final long start;
    /** The entry's header and rows. */
    private final byte[] table;
    private final int count;
    private final ProtectionDomain domain;

    private LauncherClassLoader(RandomAccessFile file, long start, byte[] table, ProtectionDomain domain) {
        super(getPlatformClassLoader());
        this.file = file;
        this.start = start;
        this.table = table;
        this.count = u16(table, 6);
        this.domain = domain;
    }

    /**
     * The loader of the launcher classes of the archive {@code launcher} was loaded from.
     *
     * @return the loader, or null when that is not an archive file with a {@value #ENTRY} in its place
     *         (an exploded archive directory, or an archive a zip tool rewrote)
     * @throws IOException when the archive cannot be read or the entry is malformed
     */
    static LauncherClassLoader of(Class<?> launcher) throws IOException {
        ProtectionDomain domain = launcher.getProtectionDomain();
        CodeSource source = domain.getCodeSource();
        if (source == null || !"file".equals(source.getLocation().getProtocol())) {
            return null;
        }
        File archive;
        try {
            archive = new File(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            return null;
        }
        return archive.isFile() ? open(archive, domain) : null;
    }

    /**
     * The loader of the launcher classes in that archive, its classes in that protection domain.
     *
     * @return the loader, or null when the archive has no {@value #ENTRY} among its first entries
     * @throws IOException when the archive cannot be read or the entry is malformed
     */
    static LauncherClassLoader open(File archive, ProtectionDomain domain) throws IOException {
        RandomAccessFile file = new RandomAccessFile(archive, "r");
        try {
            long[] entry = locate(file);
            if (entry == null) {
                file.close();
                return null;
            }
            byte[] table = table(file, entry[0], entry[1], archive + ": " + ENTRY);
            return new LauncherClassLoader(file, entry[0], table, domain);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
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
            if (le32(header, 0) != LOCAL_SIGNATURE || (le16(header, 6) & 8) != 0) {
                return null; // no local header here, or sizes only after the data: not as packed
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
        if (size < HEADER || u32(header, 0) != MAGIC || u16(header, 4) != VERSION) {
            throw new ZipException(what + ": not a table of launcher classes of version " + VERSION);
        }
        int count = u16(header, 6);
        if (count > (size - HEADER) / ROW) {
            throw new ZipException(what + ": " + count + " classes do not fit in " + size + " bytes");
        }
        byte[] table = Arrays.copyOf(header, HEADER + count * ROW);
        file.readFully(table, HEADER, count * ROW);
        for (int i = 0, row = HEADER; i < count; i++, row += ROW) {
            if (outside(size, u32(table, row + 4), u16(table, row + 8))
                    || outside(size, u32(table, row + 10), u32(table, row + 14))) {
                throw new ZipException(what + ": class " + i + " of " + count + " lies outside the entry's "
                        + size + " bytes");
            }
        }
        return table;
    }

    private static boolean outside(long size, int offset, int length) {
        return offset < 0 || length < 0 || offset > size - length;
    }

    /**
     * The entry's bytes for these class files.
     *
     * @param classFiles per binary name ({@code dev.hermetic.loader.Launcher}), the class file
     * @throws IllegalArgumentException for more than 65,535 classes or a name that is not ASCII
     */
    public static byte[] write(Map<String, byte[]> classFiles) {
        if (classFiles.size() > 0xFFFF) {
            throw new IllegalArgumentException(classFiles.size() + " classes: at most 65535");
        }
        List<String> names = new ArrayList<>(classFiles.keySet());
        for (String name : names) {
            if (!StandardCharsets.US_ASCII.newEncoder().canEncode(name)) {
                throw new IllegalArgumentException("not an ASCII class name: " + name);
            }
        }
        names.sort(new ByHash());
        int size = HEADER + ROW * names.size();
        for (String name : names) {
            size += name.length() + classFiles.get(name).length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(MAGIC).putShort((short) VERSION).putShort((short) names.size());
        int at = HEADER + ROW * names.size();
        for (String name : names) {
            int length = classFiles.get(name).length;
            out.putInt(name.hashCode()).putInt(at).putShort((short) name.length()).putInt(at + name.length()).putInt(length);
            at += name.length() + length;
        }
        for (String name : names) {
            out.put(name.getBytes(StandardCharsets.US_ASCII)).put(classFiles.get(name));
        }
        return out.array();
    }

    /** The order of the rows: by hash, then by name. */
    private static final class ByHash implements Comparator<String> {
        @Override
        public int compare(String a, String b) {
            int byHash = Integer.compare(a.hashCode(), b.hashCode());
            return byHash != 0 ? byHash : a.compareTo(b);
        }
    }

    /** @return this loader's {@link Launch#main}, accessible */
    Method launchMain() throws ReflectiveOperationException {
        Method main = Class.forName(LAUNCH, false, this).getMethod("main", String[].class);
        main.setAccessible(true);
        return main;
    }

    /** @return a {@link HermeticUrlStreamHandlerProvider} of this loader */
    URLStreamHandlerProvider urlStreamHandlerProvider() {
        try {
            return (URLStreamHandlerProvider) Class.forName(HermeticUrlStreamHandlerProvider.class.getName(), true, this)
                    .getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make the URL handler provider of the launcher's loader", e);
        }
    }

    /**
     * Defines the launcher's classes from the entry; asks the boot loader for {@code java.*} classes and
     * the platform class loader for the others, as the application class loader would.
     */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        int row = name.startsWith("java.") ? -1 : find(name);
        if (row < 0) {
            if (name.startsWith("java.")) {
                try {
                    return Class.forName(name, false, null);
                } catch (ClassNotFoundException e) {
                    // java.sql and a few others are the platform class loader's
                }
            }
            return getParent().loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded != null) {
                return loaded;
            }
            byte[] bytes = new byte[u32(table, row + 14)];
            try {
                read(u32(table, row + 10), bytes);
            } catch (IOException e) {
                throw new ClassNotFoundException(name + ": cannot read it from the archive's " + ENTRY, e);
            }
            return defineClass(name, bytes, 0, bytes.length, domain);
        }
    }

    /** @return the row of that class, or -1 */
    private int find(String name) throws ClassNotFoundException {
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
    private boolean named(String name, int row) throws ClassNotFoundException {
        if (name.length() != u16(table, row + 8)) {
            return false;
        }
        byte[] bytes = new byte[name.length()];
        try {
            read(u32(table, row + 4), bytes);
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": cannot read it from the archive's " + ENTRY, e);
        }
        return named(name, bytes, 0);
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
