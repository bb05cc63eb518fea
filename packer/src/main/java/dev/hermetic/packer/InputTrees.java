package dev.hermetic.packer;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Lists a directory tree with class-path names, in name order whatever the file system's order. Symbolic
 * links are followed, the root included (as {@code javac} and {@code jar} do), so that a linked class
 * directory or a tree of links, as build sandboxes make, packs like the files it points to.
 *
 * <p>Costs: one walk, reading each file's attributes once; no file is read.
 */
final class InputTrees {
    private InputTrees() {
    }

    /**
     * A file or directory below a root.
     *
     * @param name its {@code /}-separated name (directories end in /)
     * @param path the file
     * @param size its size in bytes (0 for a directory)
     */
    record Node(String name, Path path, long size) {
        boolean isDirectory() {
            return name.endsWith("/");
        }
    }

    static List<Node> walk(Path root) throws IOException {
        List<Node> nodes = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                if (!directory.equals(root)) {
                    nodes.add(new Node(name(root, directory) + "/", directory, 0));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                nodes.add(new Node(name(root, file), file, attributes.size()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof FileSystemLoopException loop) {
                    throw new PackException(Path.of(loop.getFile()), "symbolic link loop: it leads back to a directory containing it");
                }
                if (e instanceof NoSuchFileException && file.equals(root)) {
                    throw new PackException(root, "no such file or directory");
                }
                throw e;
            }
        });
        nodes.sort((a, b) -> a.name().compareTo(b.name()));
        return nodes;
    }

    private static String name(Path root, Path file) {
        StringBuilder name = new StringBuilder();
        for (Path part : root.relativize(file)) {
            if (name.length() > 0) {
                name.append('/');
            }
            name.append(part);
        }
        return name.toString();
    }

    /** @throws PackException when the input does not exist */
    static void requireExists(Path input, String option) throws PackException {
        if (!Files.exists(input)) {
            throw new PackException(input, option + ": no such file or directory");
        }
    }
}
