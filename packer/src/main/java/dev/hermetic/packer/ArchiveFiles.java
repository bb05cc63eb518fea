package dev.hermetic.packer;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * An archive's files by their entry names, independent of its index: a zip's entries (through its
 * central directory), or the files of an exploded directory. What {@code verify} reads, so that it sees
 * what is really there even when the index no longer says so.
 */
abstract class ArchiveFiles implements Closeable {
    /** Opens a zip's entries, or a directory's files. */
    static ArchiveFiles open(Path path) throws IOException {
        return Files.isDirectory(path) ? new Directory(path) : new Zip(path);
    }

    /** @return the names of the regular files (not directories), in the archive's order */
    abstract List<String> names() throws IOException;

    /** @return a file's bytes, or null when there is no such file */
    abstract byte[] read(String name) throws IOException;

    /** Copies a file to {@code target}, which must not exist; returns false when there is no such file. */
    abstract boolean copy(String name, Path target) throws IOException;

    private static final class Zip extends ArchiveFiles {
        private final ZipFile zip;

        Zip(Path path) throws IOException {
            this.zip = new ZipFile(path.toFile());
        }

        @Override
        List<String> names() {
            List<String> names = new ArrayList<>();
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (!entry.isDirectory()) {
                    names.add(entry.getName());
                }
            }
            return names;
        }

        @Override
        byte[] read(String name) throws IOException {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null || entry.isDirectory()) {
                return null;
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return in.readAllBytes();
            }
        }

        @Override
        boolean copy(String name, Path target) throws IOException {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null || entry.isDirectory()) {
                return false;
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, target);
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    private static final class Directory extends ArchiveFiles {
        private final Path root;

        Directory(Path root) {
            this.root = root.toAbsolutePath().normalize();
        }

        @Override
        List<String> names() throws IOException {
            List<String> names = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                    StringBuilder name = new StringBuilder();
                    for (Path part : root.relativize(p)) {
                        name.append(name.length() == 0 ? "" : "/").append(part);
                    }
                    names.add(name.toString());
                });
            }
            Collections.sort(names);
            return names;
        }

        private Path file(String name) throws PackException {
            Path file = Exploder.resolveInside(root, root, name);
            return Files.isRegularFile(file) ? file : null;
        }

        @Override
        byte[] read(String name) throws IOException {
            Path file = file(name);
            return file == null ? null : Files.readAllBytes(file);
        }

        @Override
        boolean copy(String name, Path target) throws IOException {
            Path file = file(name);
            if (file == null) {
                return false;
            }
            Files.copy(file, target);
            return true;
        }

        @Override
        public void close() {
        }
    }
}
