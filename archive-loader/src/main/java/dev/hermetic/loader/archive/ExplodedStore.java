package dev.hermetic.loader.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * An exploded archive: a directory with the archive's layout, as {@code packer explode} writes it.
 * Names come from the index; application files and sources are read from their files, which may have
 * been edited (a lookup stats the file, so an edited size is served as it is now); nested jars are
 * files read at the offsets the index records relative to the jar.
 *
 * <p>A directory has no seal: the index's trust flags are honoured as recorded, since the developer who
 * exploded the archive chose them; {@code -Dhermetic.check=always} audits every module instead.
 */
final class ExplodedStore extends Store {
    private final Path root;
    private final FileBlock[] jars;

    private ExplodedStore(Path root, IndexReader index) throws IOException {
        super(index.containers(), index);
        this.root = root;
        this.jars = new FileBlock[containers.length];
    }

    static Archive open(Path root) throws IOException {
        Path indexFile = root.resolve(ArchiveLayout.INDEX);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(indexFile);
        } catch (NoSuchFileException e) {
            throw new ArchiveFormatException(root, "not an exploded Hermetic archive: no " + ArchiveLayout.INDEX);
        }
        return new Archive(new ExplodedStore(root, new IndexReader(root, bytes)));
    }

    @Override
    public boolean exploded() {
        return true;
    }

    @Override
    public boolean trustBound() {
        return true;
    }

    /**
     * The directory, its index, and the size and time of every class-path file in it: a directory can
     * change under a running archive, and a module compiled against other classes must not be reused.
     * Walks the directory, so it is computed on the stale path only (for the compile cache's key).
     */
    @Override
    public String identity() throws IOException {
        CRC32 files = new CRC32();
        for (Path tree : List.of(root.resolve(ArchiveLayout.CLASSES), root.resolve(ArchiveLayout.LIB))) {
            if (!Files.isDirectory(tree)) {
                continue;
            }
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(tree)) {
                paths = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
            }
            for (Path file : paths) {
                files.update((root.relativize(file) + " " + Files.size(file) + " "
                        + Files.getLastModifiedTime(file).toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return "exploded " + root.toAbsolutePath() + " index crc32=" + Integer.toHexString(index.checksum())
                + " files crc32=" + Integer.toHexString((int) files.getValue());
    }



    @Override
    public IndexedEntry find(String name) throws IOException {
        int id = index.find(name);
        if (id < 0) {
            return null;
        }
        for (int i = 0, count = index.locationCount(id); i < count; i++) {
            IndexedEntry now = current(index.entry(id, i, name));
            if (now != null) {
                return now;
            }
        }
        return null;
    }

    @Override
    public List<IndexedEntry> findAll(String name) throws IOException {
        int id = index.find(name);
        return id < 0 ? List.of() : current(index.entries(id, name));
    }

    @Override
    public List<IndexedEntry> entries() throws IOException {
        List<IndexedEntry> all = new ArrayList<>(index.locationCount());
        for (int id = 0; id < index.nameCount(); id++) {
            all.addAll(current(index.entries(id)));
        }
        return all;
    }

    private List<IndexedEntry> current(List<IndexedEntry> packed) throws IOException {
        List<IndexedEntry> now = new ArrayList<>(packed.size());
        for (IndexedEntry e : packed) {
            IndexedEntry c = current(e);
            if (c != null) {
                now.add(c);
            }
        }
        return now;
    }

    /** An application entry as its file is now (null when deleted); nested entries as packed. */
    private IndexedEntry current(IndexedEntry packed) throws IOException {
        if (packed.container() != 0) {
            return packed;
        }
        Path file = root.resolve(ArchiveLayout.CLASSES + packed.name());
        if (packed.directory()) {
            return Files.isDirectory(file) ? packed : null;
        }
        if (!Files.isRegularFile(file)) {
            return null;
        }
        long size = Files.size(file);
        // the file holds the entry's bytes themselves, also when the zip held them DEFLATED (a resource)
        return new IndexedEntry(packed.name(), 0, 0, ZipEntry.STORED, size, size, packed.crc32(), packed.module());
    }

    @Override
    public byte[] readStored(IndexedEntry entry, int count) throws IOException {
        if (entry.container() == 0) {
            byte[] bytes = Files.readAllBytes(root.resolve(ArchiveLayout.CLASSES + entry.name()));
            if (bytes.length != count) {
                throw new ArchiveFormatException(root, ArchiveLayout.CLASSES + entry.name() + " changed while being read");
            }
            return bytes;
        }
        Container c = containers[entry.container()];
        return jar(c).read(entry.dataOffset() - c.offset(), count);
    }

    private FileBlock jar(Container c) throws IOException {
        synchronized (jars) {
            if (jars[c.id()] == null) {
                jars[c.id()] = FileBlock.open(root.resolve(c.entry()));
            }
            return jars[c.id()];
        }
    }

    @Override
    public Integer zipCrc(IndexedEntry entry) {
        return null; // files are read as they are now; validation compares CRCs where it must
    }

    @Override
    public byte[] readSource(Module module) throws IOException {
        Path file = sourceFile(module);
        return file == null ? null : Files.readAllBytes(file);
    }

    @Override
    public Archive.Stamp sourceStamp(Module module) throws IOException {
        Path file = sourceFile(module);
        return file == null ? null : new Archive.Stamp(Files.size(file), Files.getLastModifiedTime(file).toMillis());
    }

    /**
     * A module's source file, or null when the directory has none. Something else in its place (a
     * directory, a dangling symbolic link) is an error, not an absent source: a module to be checked
     * against its source must not be served unchecked because its source cannot be read.
     */
    private Path sourceFile(Module module) throws ArchiveFormatException {
        Path file = root.resolve(ArchiveLayout.SOURCES + module.source());
        if (Files.isRegularFile(file)) {
            return file;
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        throw new ArchiveFormatException(root, ArchiveLayout.SOURCES + module.source() + " is not a readable source file ("
                + (Files.isDirectory(file) ? "a directory" : Files.isSymbolicLink(file) ? "a dangling symbolic link"
                : "not a regular file") + ")");
    }

    @Override
    public InputStream openContainer(Container container) throws IOException {
        return Files.newInputStream(root.resolve(container.entry()));
    }

    @Override
    public void close() throws IOException {
        synchronized (jars) {
            for (FileBlock jar : jars) {
                if (jar != null) {
                    jar.close();
                }
            }
        }
    }
}
