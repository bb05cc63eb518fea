package dev.hermetic.packer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code --sources} directories: their {@code .java} files, and the other files beside them, which
 * become resources when the packer compiles the sources itself.
 */
final class SourceRoots {
    private final Map<String, SourceFile> sources = new TreeMap<>();
    private final List<InputFile> resources = new ArrayList<>();

    static SourceRoots read(Collection<Path> roots) throws IOException {
        SourceRoots read = new SourceRoots();
        for (Path root : roots) {
            InputTrees.requireExists(root, "--sources");
            if (!Files.isDirectory(root)) {
                throw new PackException(root, "--sources: not a directory (give the root of the package tree)");
            }
            for (InputTrees.Node node : InputTrees.walk(root)) {
                if (node.name().endsWith(".java") && !node.isDirectory()) {
                    SourceFile source = SourceFile.of(node.name(), Files.readAllBytes(node.path()), node.path());
                    SourceFile earlier = read.sources.putIfAbsent(node.name(), source);
                    if (earlier != null) {
                        throw new PackException(node.path(), "--sources: " + node.name() + " is also in "
                                + earlier.path() + "; each source may come from one root only");
                    }
                } else {
                    read.resources.add(InputFile.of(node, root));
                }
            }
        }
        return read;
    }

    /** @return the sources by name, in name order */
    Map<String, SourceFile> sources() {
        return sources;
    }

    /** @return the other files and the directories, in root order then name order */
    List<InputFile> resources() {
        return resources;
    }
}
