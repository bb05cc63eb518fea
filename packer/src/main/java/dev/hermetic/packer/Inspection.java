package dev.hermetic.packer;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.Container;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.loader.archive.Module;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a packed archive holds, read through its index as the loader reads it: for {@code inspect}.
 *
 * @param archive      the archive file
 * @param size         its size in bytes
 * @param indexVersion the index format version
 * @param indexSize    the index's size in bytes
 * @param mainClass    the application's entry point
 * @param classPath    the containers in class-path order, with their entries
 * @param modules      the modules, each with its caches
 */
public record Inspection(Path archive, long size, int indexVersion, int indexSize, String mainClass,
                         List<ClassPathElement> classPath, List<ModuleView> modules) {
    /**
     * A container and the entries it serves.
     *
     * @param container the container
     * @param entries   its entries in name order
     */
    public record ClassPathElement(Container container, List<IndexedEntry> entries) {
    }

    /**
     * A module and its caches.
     *
     * @param module the module
     * @param caches its class files in name order
     */
    public record ModuleView(Module module, List<String> caches) {
    }

    /**
     * Reads an archive's index.
     *
     * @throws IOException when the archive cannot be read or is not a valid Hermetic archive
     */
    public static Inspection of(Path file) throws IOException {
        if (!Files.isDirectory(file)) {
            Archive.checkStrictly(file);
        }
        try (Archive archive = Archive.open(file)) {
            List<List<IndexedEntry>> byContainer = new ArrayList<>();
            List<List<String>> caches = new ArrayList<>();
            for (int i = 0; i < archive.containerCount(); i++) {
                byContainer.add(new ArrayList<>());
            }
            List<Module> modules = archive.modules();
            for (int i = 0; i < modules.size(); i++) {
                caches.add(new ArrayList<>());
            }
            for (IndexedEntry entry : archive.entries()) {
                byContainer.get(entry.container()).add(entry);
                if (entry.module() >= 0) {
                    caches.get(entry.module()).add(entry.name());
                }
            }
            List<ClassPathElement> classPath = new ArrayList<>();
            for (Container c : archive.containers()) {
                classPath.add(new ClassPathElement(c, List.copyOf(byContainer.get(c.id()))));
            }
            List<ModuleView> views = new ArrayList<>();
            for (Module m : modules) {
                views.add(new ModuleView(m, List.copyOf(caches.get(m.id()))));
            }
            return new Inspection(file, Files.size(file), Archive.indexVersion(), archive.indexSize(),
                    archive.mainClass(), List.copyOf(classPath), List.copyOf(views));
        }
    }
}
