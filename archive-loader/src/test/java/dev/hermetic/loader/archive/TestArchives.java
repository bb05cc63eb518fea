package dev.hermetic.loader.archive;

import dev.hermetic.loader.LauncherClassTable;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds genuine Hermetic archives for tests, with nothing but the JDK, the way the packer does.
 *
 * <p>How a fixture is made ({@link Builder#write}):
 * <ol>
 *   <li>{@link ZipOutputStream} writes the archive through a byte-counting stream: first the root
 *       entries (not indexed: {@code META-INF/}, the manifest, the table of the launcher's classes and
 *       those classes, as {@link Builder#launcher} adds them), then each module's source under
 *       {@link ArchiveLayout#SOURCES}, the application entries under {@link ArchiveLayout#CLASSES} and
 *       the nested jars under {@link ArchiveLayout#LIB}, all STORED with size and CRC-32 set up front so
 *       that no data descriptor follows them. After each {@code putNextEntry} the counter stands at the
 *       first data byte (local header offset + 30 + name length + extra length): that is the absolute
 *       data offset the index records.</li>
 *   <li>Nested jars are built in memory by {@link #jar} with {@link ZipOutputStream}, mixing DEFLATED
 *       and STORED entries. Their entries' offsets are found by reading the jar's own central directory
 *       and each entry's local header ({@link #scan}); the index records them as absolute offsets in the
 *       outer file (nested jar's data offset + inner data offset).</li>
 *   <li>{@link IndexWriter} gets the containers (application first, then the jars in order), the
 *       modules and every entry, optionally edited by {@link Builder#editEntries} (to make wrong
 *       indexes on purpose), with the SHA-256 of each application entry and nested jar as the packer
 *       gives them (unless {@link Builder#withoutDigests}). Its bytes, optionally edited by {@link Builder#editIndex}, become the last
 *       entry {@link ArchiveLayout#INDEX}, STORED.</li>
 *   <li>The zip comment is {@link SealWriter#placeholder()}; once the file is closed,
 *       {@link SealWriter#write} overwrites it with the seal.</li>
 * </ol>
 * Entry times are fixed ({@link #TIME}), so the same inputs give the same bytes.
 *
 * <p>{@link #compile} compiles small Java sources with the system compiler, so that class loaders define
 * real classes. Public only because the tests of {@code dev.hermetic.loader} use it too.
 */
public final class TestArchives {
    /** The fixed modification time of every entry and source. */
    public static final long TIME = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();

    private TestArchives() {
    }

    /** @return a builder of an archive whose index names {@code mainClass} as the entry point */
    public static Builder archive(String mainClass) {
        return new Builder(mainClass);
    }

    /**
     * Builds a jar in memory, its entries in map order: directories ({@code dir/}) and the names given
     * in {@code stored} are STORED, everything else DEFLATED.
     */
    public static byte[] jar(Map<String, byte[]> entries, String... stored) {
        List<String> storedNames = List.of(stored);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                boolean store = storedNames.contains(e.getKey()) || e.getKey().endsWith("/");
                zip.putNextEntry(entry(e.getKey(), e.getValue(), store));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Compiles Java sources ({@code "app/Main.java" -> text}) with {@code --release 17} and the
     * default debug information (source file and line numbers, as a build gives).
     *
     * @param workDir a directory for the sources and class files
     * @return the class files by name ({@code "app/Main.class"}), sorted
     */
    public static Map<String, byte[]> compile(Path workDir, Map<String, String> sources) throws IOException {
        Path dir = Files.createTempDirectory(Files.createDirectories(workDir), "javac");
        Path src = dir.resolve("src");
        Path out = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-encoding", "UTF-8", "-d", out.toString()));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, args.toArray(new String[0]));
        if (status != 0) {
            throw new AssertionError("javac failed: " + diagnostics.toString(StandardCharsets.UTF_8));
        }
        return readTree(out);
    }

    /** @return every regular file under {@code dir} by its relative name with {@code /}, sorted */
    public static Map<String, byte[]> readTree(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(dir.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        return files;
    }

    /**
     * Explodes an archive into a directory with its layout, as {@code unzip} would (JDK {@link ZipFile}, no
     * external tool): every file entry becomes a file, nested jars whole.
     *
     * @return the directory
     */
    public static Path explode(Path archive, Path directory) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                Path file = directory.resolve(entry.getName()).normalize();
                if (!file.startsWith(directory)) {
                    throw new IOException(entry.getName() + " lies outside " + directory);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                    continue;
                }
                Files.createDirectories(file.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, file);
                }
            }
        }
        return directory;
    }

    /**
     * @return a copy of an index (or of any bytes at least a header long) with a page count that fits
     *         its length and every page's CRC-32 and the header's recomputed, as after a deliberate edit
     */
    public static byte[] withChecksums(byte[] index) {
        byte[] copy = index.clone();
        ByteBuffer header = ByteBuffer.wrap(copy);
        int pages = 0;
        while (IndexLayout.bodyStart(pages) + (long) pages * IndexLayout.PAGE_SIZE < copy.length) {
            pages++;
        }
        header.putInt(IndexLayout.H_PAGES, pages).putInt(IndexLayout.H_PAGE_SIZE, IndexLayout.PAGE_SIZE);
        int start = IndexLayout.bodyStart(pages);
        CRC32 crc = new CRC32();
        for (int page = 0; page < pages; page++) {
            crc.reset();
            int at = start + page * IndexLayout.PAGE_SIZE;
            crc.update(copy, at, Math.min(IndexLayout.PAGE_SIZE, copy.length - at));
            header.putInt(IndexLayout.HEADER_SIZE + page * IndexLayout.PAGE_CRC_SIZE, (int) crc.getValue());
        }
        header.putInt(IndexLayout.H_CRC, IndexLayout.headerCrc(copy, pages));
        return copy;
    }

    /** @return the SHA-256 of the bytes */
    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static ZipEntry entry(String name, byte[] bytes, boolean stored) {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(TIME);
        if (stored) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(bytes.length);
            entry.setCompressedSize(bytes.length);
            entry.setCrc(crc.getValue());
        } else {
            entry.setMethod(ZipEntry.DEFLATED);
        }
        return entry;
    }

    /**
     * One entry of a zip as its central directory and local header give it.
     *
     * @param dataOffset where its data starts, relative to the zip's first byte
     */
    record Scanned(String name, int method, long compressedSize, long size, int crc32, long dataOffset) {
    }

    /** Lists a (non-ZIP64) zip's entries from its central directory, in directory order. */
    static List<Scanned> scan(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        while (end >= 0 && b.getInt(end) != 0x06054b50) {
            end--;
        }
        if (end < 0) {
            throw new IllegalArgumentException("no end of central directory record");
        }
        int count = Short.toUnsignedInt(b.getShort(end + 10));
        int at = b.getInt(end + 16);
        List<Scanned> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (b.getInt(at) != 0x02014b50) {
                throw new IllegalArgumentException("no central directory header at " + at);
            }
            int nameLength = Short.toUnsignedInt(b.getShort(at + 28));
            int extraLength = Short.toUnsignedInt(b.getShort(at + 30));
            int commentLength = Short.toUnsignedInt(b.getShort(at + 32));
            int local = b.getInt(at + 42);
            if (b.getInt(local) != 0x04034b50) {
                throw new IllegalArgumentException("no local header at " + local);
            }
            long data = local + 30L + Short.toUnsignedInt(b.getShort(local + 26))
                    + Short.toUnsignedInt(b.getShort(local + 28));
            entries.add(new Scanned(new String(zip, at + 46, nameLength, StandardCharsets.UTF_8),
                    Short.toUnsignedInt(b.getShort(at + 10)), Integer.toUnsignedLong(b.getInt(at + 20)),
                    Integer.toUnsignedLong(b.getInt(at + 24)), b.getInt(at + 16), data));
            at += 46 + nameLength + extraLength + commentLength;
        }
        return entries;
    }

    /**
     * What was packed, as it was given to {@link IndexWriter} (before {@link Builder#editEntries}).
     *
     * @param path        the archive
     * @param containers  the class path
     * @param modules     the modules
     * @param entries     every indexed entry, in the order added
     * @param indexOffset where the index entry's bytes start
     * @param indexLength the index entry's length
     */
    public record Packed(Path path, List<Container> containers, List<Module> modules, List<IndexedEntry> entries,
                         long indexOffset, int indexLength) {
    }

    /** Collects what goes into an archive; {@link #write} makes it. */
    public static final class Builder {
        private final String mainClass;
        private final Map<String, byte[]> root = new LinkedHashMap<>();
        private final Map<String, byte[]> sources = new LinkedHashMap<>();
        private final List<ValidationMode> modes = new ArrayList<>();
        private final Map<String, byte[]> app = new LinkedHashMap<>();
        private final Map<String, Integer> appModules = new LinkedHashMap<>();
        private final Map<String, byte[]> libs = new LinkedHashMap<>();
        private UnaryOperator<IndexedEntry> entryEdit = UnaryOperator.identity();
        private UnaryOperator<byte[]> indexEdit = UnaryOperator.identity();
        private boolean digests = true;

        private Builder(String mainClass) {
            this.mainClass = mainClass;
        }

        /** Adds a root entry (manifest, launcher class), not indexed. */
        public Builder root(String name, byte[] bytes) {
            root.put(name, bytes);
            return this;
        }

        /** Adds every file under a directory as root entries, sorted by name. */
        public Builder rootTree(Path dir) throws IOException {
            root.putAll(readTree(dir));
            return this;
        }

        /**
         * Adds what the packer puts at an archive's root by default: {@code META-INF/}, the
         * {@linkplain #launcherManifest launcher manifest}, the table ({@link ArchiveLayout#LAUNCHER_CLASSES}) of
         * the classes of {@code dev/hermetic/loader/} under the directory of the launcher's classes, then of
         * those the launcher's front ({@link ArchiveLayout#LAUNCHER_FRONT}) and the service registration.
         */
        public Builder launcher(Path loaderClasses) throws IOException {
            return launcher(loaderClasses, false);
        }

        /** The same with every one of those classes at the root, as the packer's {@code --launcher-at-root}. */
        public Builder launcherAtRoot(Path loaderClasses) throws IOException {
            return launcher(loaderClasses, true);
        }

        private Builder launcher(Path loaderClasses, boolean all) throws IOException {
            Map<String, byte[]> tree = new TreeMap<>();
            // what the packer takes: the package of the launcher's classes, and the service registration
            readTree(loaderClasses).forEach((name, bytes) -> {
                if (name.startsWith("dev/hermetic/loader/") || name.startsWith("META-INF/")) {
                    tree.put(name, bytes);
                }
            });
            root("META-INF/", new byte[0]);
            launcherManifest();
            root(ArchiveLayout.LAUNCHER_CLASSES, LauncherClassTable.write(tree));
            tree.forEach((name, bytes) -> {
                if (all || !name.endsWith(".class") || ArchiveLayout.LAUNCHER_FRONT.contains(name)) {
                    root.put(name, bytes);
                }
            });
            return this;
        }

        /** Adds a manifest starting the launcher, with {@code Start-Class} naming the main class. */
        public Builder launcherManifest() {
            return root("META-INF/MANIFEST.MF", ("Manifest-Version: 1.0\r\nMain-Class: dev.hermetic.loader.Launcher\r\n"
                    + ArchiveLayout.START_CLASS + ": " + mainClass + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Adds a module whose source the archive ships.
         *
         * @return the module's id, for {@link #app(String, byte[], int)}
         */
        public int module(String source, byte[] bytes, ValidationMode mode) {
            return declare(source, Objects.requireNonNull(bytes, "bytes"), mode);
        }

        private int declare(String source, byte[] bytes, ValidationMode mode) {
            sources.put(source, bytes);
            modes.add(mode);
            return modes.size() - 1;
        }

        /**
         * Adds a module whose source the archive does not ship, trusted, as the packer records classes
         * packed without their sources.
         *
         * @return the module's id, for {@link #app(String, byte[], int)}
         */
        public int moduleWithoutSource(String source) {
            return declare(source, null, ValidationMode.TRUSTED);
        }

        /** Adds an application class or resource ({@code app/Main.class}) without a module. */
        public Builder app(String name, byte[] bytes) {
            return app(name, bytes, -1);
        }

        /** Adds an application class or resource belonging to a module. */
        public Builder app(String name, byte[] bytes, int module) {
            app.put(name, bytes);
            appModules.put(name, module);
            return this;
        }

        /** Adds every entry of a map as application entries. */
        public Builder app(Map<String, byte[]> entries) {
            entries.forEach(this::app);
            return this;
        }

        /** Adds a nested jar ({@code dep.jar}, stored as {@code HERMETIC-INF/lib/dep.jar}), see {@link #jar}. */
        public Builder lib(String name, byte[] jar) {
            libs.put(name, jar);
            return this;
        }

        /** Edits each entry before it goes to the index (to record wrong sizes, say). */
        public Builder editEntries(UnaryOperator<IndexedEntry> edit) {
            entryEdit = edit;
            return this;
        }

        /** Writes the index without its digest section (as before {@code hermetic.verify=digest} existed). */
        public Builder withoutDigests() {
            digests = false;
            return this;
        }

        /** Edits the index bytes before they are written. */
        public Builder editIndex(UnaryOperator<byte[]> edit) {
            indexEdit = edit;
            return this;
        }

        /** Writes and seals the archive. */
        public Packed write(Path file) throws IOException {
            List<Container> containers = new ArrayList<>();
            List<Module> modules = new ArrayList<>();
            List<IndexedEntry> entries = new ArrayList<>();
            containers.add(new Container(0, ArchiveLayout.CLASSES, 0, 0));
            long indexOffset;
            byte[] index;
            try (Counting counter = new Counting(new BufferedOutputStream(Files.newOutputStream(file)));
                 ZipOutputStream zip = new ZipOutputStream(counter)) {
                for (Map.Entry<String, byte[]> e : root.entrySet()) {
                    put(zip, counter, e.getKey(), e.getValue());
                }
                for (Map.Entry<String, byte[]> e : sources.entrySet()) {
                    int id = modules.size();
                    byte[] source = e.getValue(); // null: not shipped, as the packer records such a module
                    long offset = source == null ? -1 : put(zip, counter, ArchiveLayout.SOURCES + e.getKey(), source);
                    modules.add(new Module(id, e.getKey(), offset, modes.get(id),
                            source == null ? new byte[Module.HASH_LENGTH] : sha256(source),
                            source == null ? 0 : source.length, source == null ? 0 : TIME, 61, 17, "--release 17"));
                }
                for (Map.Entry<String, byte[]> e : app.entrySet()) {
                    long offset = put(zip, counter, ArchiveLayout.CLASSES + e.getKey(), e.getValue());
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entries.add(new IndexedEntry(e.getKey(), 0, offset, ZipEntry.STORED, e.getValue().length,
                            e.getValue().length, (int) crc.getValue(), appModules.get(e.getKey())));
                }
                for (Map.Entry<String, byte[]> e : libs.entrySet()) {
                    String name = ArchiveLayout.LIB + e.getKey();
                    long offset = put(zip, counter, name, e.getValue());
                    int id = containers.size();
                    containers.add(new Container(id, name, offset, e.getValue().length));
                    for (Scanned s : scan(e.getValue())) {
                        entries.add(new IndexedEntry(s.name(), id, offset + s.dataOffset(), s.method(),
                                s.compressedSize(), s.size(), s.crc32(), -1));
                    }
                }
                IndexWriter writer = new IndexWriter(mainClass);
                for (Container c : containers) {
                    if (digests && c.nested()) {
                        writer.add(c, sha256(libs.get(c.entry().substring(ArchiveLayout.LIB.length()))));
                    } else {
                        writer.add(c);
                    }
                }
                modules.forEach(writer::add);
                for (IndexedEntry e : entries) {
                    if (digests && e.container() == 0) {
                        writer.add(entryEdit.apply(e), sha256(app.get(e.name())));
                    } else {
                        writer.add(entryEdit.apply(e));
                    }
                }
                index = indexEdit.apply(writer.toBytes());
                indexOffset = put(zip, counter, ArchiveLayout.INDEX, index);
                zip.setComment(SealWriter.placeholder());
            }
            SealWriter.write(file, indexOffset, index.length, Instant.ofEpochMilli(TIME));
            return new Packed(file, List.copyOf(containers), List.copyOf(modules), List.copyOf(entries),
                    indexOffset, index.length);
        }

        /** Writes a STORED entry. @return the entry's data offset */
        private static long put(ZipOutputStream zip, Counting counter, String name, byte[] bytes) throws IOException {
            zip.closeEntry();
            zip.putNextEntry(entry(name, bytes, true));
            long offset = counter.count;
            zip.write(bytes);
            zip.closeEntry();
            return offset;
        }
    }

    /** Counts the bytes written through it. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Defines classes from a map of class-path names ({@code "app/Main.class"}), the platform loader first. */
    public static class MapClassLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        public MapClassLoader(Map<String, byte[]> classes) {
            super(getPlatformClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name.replace('.', '/') + ".class");
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
