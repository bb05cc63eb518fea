package dev.hermetic.packer;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.Module;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Writes an <em>exploded</em> archive ({@code packer explode}): a directory with exactly the archive's
 * layout, which the loader serves as it serves the archive ({@code java -cp DIR dev.hermetic.loader.Launcher}).
 *
 * <p>Every zip entry becomes a file or directory of the same name: {@code META-INF/MANIFEST.MF}, the
 * launcher classes, {@code HERMETIC-INF/classes/...}, {@code HERMETIC-INF/sources/...}, each nested jar
 * {@code HERMETIC-INF/lib/NAME.jar} as a file byte-identical to the nested jar, and
 * {@code HERMETIC-INF/index} byte-identical to the index. The archive comment (the seal) has no place in
 * a directory and is not written.
 *
 * <p>Times: each shipped source gets its module's recorded {@link Module#sourceTime()}, so that
 * {@code timestamp} validation of an unchanged exploded archive succeeds; every other file and directory
 * gets its entry's time, read as the packer writes it (DOS fields holding the packing timestamp's UTC
 * wall-clock time, so the same in every time zone); directories without an entry get the index entry's.
 *
 * <p>The directory is written beside its final place as {@code DIR.tmp-*} and renamed to {@code DIR} when
 * complete, so a failed explode leaves no half-written {@code DIR}. {@code DIR} must not exist, or be an
 * empty directory. Entry names that would escape the directory ({@code ..}, absolute names) are refused.
 */
public final class Exploder {
    private Exploder() {
    }

    /**
     * Explodes an archive into a new directory.
     *
     * @param archive   a packed Hermetic archive
     * @param directory the directory to create; it must not exist or be empty
     * @throws PackException when the directory exists and is not empty, or its parent does not exist, or
     *                       an entry's name is unsafe
     * @throws IOException   when the archive is not a valid Hermetic archive, or reading or writing fails
     */
    public static ExplodeResult explode(Path archive, Path directory) throws IOException {
        Path target = directory.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new PackException(target, "--out: directory " + parent + " does not exist");
        }
        requireAbsentOrEmpty(target);
        if (!Files.exists(archive)) {
            throw new PackException(archive, "no such file");
        }
        if (Files.isDirectory(archive)) {
            throw new PackException(archive, "is a directory (already exploded?); explode reads a packed archive");
        }
        Map<String, Long> sourceTimes = new HashMap<>();
        try (Archive opened = Archive.open(archive)) {
            for (Module module : opened.modules()) {
                if (module.hasSource()) {
                    sourceTimes.put(ArchiveLayout.SOURCES + module.source(), module.sourceTime());
                }
            }
        }
        Path temporary = Files.createTempDirectory(parent, target.getFileName() + ".tmp-");
        boolean moved = false;
        try {
            ExplodeResult result = write(archive, temporary, target, sourceTimes);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            FileTime rootTime = Files.getLastModifiedTime(temporary);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
                throw new PackException(target, "--out: exists and is not empty; explode writes a new directory");
            }
            moved = true;
            Files.setLastModifiedTime(target, rootTime);
            return result;
        } finally {
            if (!moved) {
                deleteTree(temporary);
            }
        }
    }

    private static void requireAbsentOrEmpty(Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new PackException(target, "--out: exists and is not a directory");
        }
        try (Stream<Path> children = Files.list(target)) {
            if (children.findAny().isPresent()) {
                throw new PackException(target, "--out: exists and is not empty; explode writes a new directory");
            }
        }
    }

    private static ExplodeResult write(Path archive, Path root, Path target, Map<String, Long> sourceTimes)
            throws IOException {
        int files = 0;
        long bytes = 0;
        Map<Path, FileTime> directoryTimes = new HashMap<>();
        FileTime archiveTime = null;
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            ZipEntry index = zip.getEntry(ArchiveLayout.INDEX);
            if (index != null) {
                archiveTime = timeOf(index);
            }
            for (ZipEntry entry : Collections.list(zip.entries())) {
                Path path = resolveInside(archive, root, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    directoryTimes.put(path, timeOf(entry));
                    continue;
                }
                Files.createDirectories(path.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes += Files.copy(in, path);
                } catch (FileAlreadyExistsException e) {
                    throw new PackException(archive, "entry " + entry.getName() + " is in the archive twice");
                }
                Long sourceTime = sourceTimes.get(entry.getName());
                Files.setLastModifiedTime(path, sourceTime != null ? FileTime.fromMillis(sourceTime) : timeOf(entry));
                files++;
            }
        }
        // Directories last, deepest first: writing a child changes its directory's time.
        List<Path> directories = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach(directories::add);
        }
        directories.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path directory : directories) {
            FileTime time = directoryTimes.getOrDefault(directory, archiveTime);
            if (time != null) {
                Files.setLastModifiedTime(directory, time);
            }
        }
        return new ExplodeResult(target, files, bytes);
    }

    /** An entry's time as the packer wrote it: its DOS date and time fields hold UTC wall-clock time. */
    private static FileTime timeOf(ZipEntry entry) {
        return FileTime.from(entry.getTimeLocal().toInstant(ZoneOffset.UTC));
    }

    /**
     * Where an archive entry goes below a directory.
     *
     * @throws PackException when the name is absolute, has {@code .} or {@code ..} segments, backslashes
     *                       or characters the file system refuses, so that it could land outside
     */
    static Path resolveInside(Path archive, Path root, String name) throws PackException {
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        boolean safe = !trimmed.isEmpty() && !trimmed.startsWith("/") && trimmed.indexOf('\\') < 0
                && trimmed.indexOf('\0') < 0;
        if (safe) {
            for (String segment : trimmed.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    safe = false;
                    break;
                }
            }
        }
        Path path = null;
        if (safe) {
            try {
                path = root.resolve(trimmed).normalize();
                safe = path.startsWith(root) && !path.equals(root);
            } catch (InvalidPathException e) {
                safe = false;
            }
        }
        if (!safe) {
            throw new PackException(archive, "entry '" + name + "' is not a safe relative file name");
        }
        return path;
    }

    /** Deletes a directory tree, if it exists. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = new ArrayList<>(walk.toList());
        }
        Collections.reverse(paths);
        for (Path path : paths) {
            try {
                Files.delete(path);
            } catch (NoSuchFileException gone) {
                // deleted meanwhile
            }
        }
    }
}
