package dev.hermetic.packer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lists a directory tree with class-path names, in name order whatever the file system's order. Symbolic
 * links are followed, the root included (as {@code javac} and {@code jar} do), so that a linked class
 * directory or a tree of links, as build sandboxes make, packs like the files it points to.
 */
final class InputTrees {
    private InputTrees() {
    }

    /** A file or directory below a root, with its {@code /}-separated name (directories end in /). */
    record Node(String name, Path path) {
        boolean isDirectory() {
            return name.endsWith("/");
        }
    }

    static List<Node> walk(Path root) throws IOException {
        List<Node> nodes = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
            paths.filter(p -> !p.equals(root)).forEach(p -> {
                StringBuilder name = new StringBuilder();
                for (Path part : root.relativize(p)) {
                    if (name.length() > 0) {
                        name.append('/');
                    }
                    name.append(part);
                }
                if (Files.isDirectory(p)) {
                    name.append('/');
                }
                nodes.add(new Node(name.toString(), p));
            });
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof FileSystemLoopException loop) {
                throw new PackException(Path.of(loop.getFile()), "symbolic link loop: it leads back to a directory containing it");
            }
            throw e.getCause();
        } catch (NoSuchFileException e) {
            throw new PackException(root, "no such file or directory");
        }
        nodes.sort((a, b) -> a.name().compareTo(b.name()));
        return nodes;
    }

    /** @throws PackException when the input does not exist */
    static void requireExists(Path input, String option) throws PackException {
        if (!Files.exists(input)) {
            throw new PackException(input, option + ": no such file or directory");
        }
    }
}
