package dev.hermetic.packer;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.Container;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.loader.archive.ValidationMode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the loader would serve a class or resource from, and how it would validate it
 * ({@code packer explain FILE CLASS}): read through the archive's index exactly as the loader looks a
 * name up (one hash probe), so what this says is what the loader does.
 *
 * @param archive    the archive (a zip or an exploded directory)
 * @param query      the name asked about, as given
 * @param entryName  the entry name it stands for ({@code com.example.Main} is {@code com/example/Main.class})
 * @param locations  every container holding that name, in class-path order: the first is served, the
 *                   others are shadowed; empty when no container has it
 * @param module     the module the name belongs to (an application class's, or a class declared without
 *                   a cache), if any
 * @param trustBound whether the archive's trust flags are honoured (false for a zip edited after packing:
 *                   {@code trusted} modules are then checked)
 */
public record Explanation(Path archive, String query, String entryName, List<Location> locations,
                          Optional<Module> module, boolean trustBound) {
    public Explanation {
        locations = List.copyOf(locations);
    }

    /**
     * One place the name is found.
     *
     * @param container the class-path element: {@code HERMETIC-INF/classes/} or a nested jar
     * @param entry     the entry in it
     */
    public record Location(Container container, IndexedEntry entry) {
    }

    /** @return whether the archive serves the name at all (from a cache, or compiled from its source) */
    public boolean found() {
        return !locations.isEmpty() || module.isPresent();
    }

    /**
     * Looks a name up.
     *
     * @param name a binary class name ({@code com.example.Main}, {@code com.example.Main$Inner}), or an
     *             entry name ({@code com/example/Main.class}, {@code META-INF/services/x.Y})
     * @throws IOException when the archive cannot be read or is not a valid Hermetic archive
     */
    public static Explanation of(Path archive, String name) throws IOException {
        String entryName = entryName(name);
        try (Archive a = Archive.open(archive)) {
            List<Location> locations = new ArrayList<>();
            for (IndexedEntry e : a.findAll(entryName)) {
                locations.add(new Location(a.container(e.container()), e));
            }
            int moduleId = !locations.isEmpty() ? locations.get(0).entry().module() : a.moduleOf(entryName);
            Optional<Module> module = moduleId >= 0 ? Optional.of(a.module(moduleId)) : Optional.empty();
            return new Explanation(archive, name, entryName, locations, module, a.trustBound());
        }
    }

    /** {@code com.example.Main} to {@code com/example/Main.class}; a name with a slash or a file extension other than a class name's is taken as it is. */
    static String entryName(String name) {
        String trimmed = name.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("no class name given");
        }
        if (trimmed.contains("/") || trimmed.endsWith(".class")) {
            return trimmed;
        }
        return trimmed.replace('.', '/') + ".class";
    }

    /**
     * @return how the loader decides, at load time, whether to serve the name as it is: one sentence
     */
    public String decision() {
        if (!found()) {
            return "not in the archive: the loader answers from its index that it has no such entry, and only"
                    + " the parent class loader (the JDK) can supply it";
        }
        if (module.isEmpty()) {
            Container served = locations.get(0).container();
            return served.nested()
                    ? "a library entry: served as it is from the nested jar (validation modes apply to application modules)"
                    : "an application entry with no module (a resource, or a class without a source): served as it is";
        }
        Module m = module.get();
        if (locations.isEmpty()) {
            return "no cache: compiled in memory from " + ArchiveLayout.SOURCES + m.source() + " on first use,"
                    + " then kept in the compile cache directory";
        }
        ValidationMode effective = m.mode() == ValidationMode.TRUSTED && !trustBound && m.hasSource()
                ? ValidationMode.CHECKED : m.mode();
        String edited = effective != m.mode()
                ? " (the archive was edited after packing, so its trusted modules are checked instead)" : "";
        return switch (effective) {
            case TRUSTED -> m.hasSource()
                    ? "trusted: served from its cache without reading, stating or hashing the source"
                    : "trusted: served from its cache (no source is shipped, so there is nothing to check it against)";
            case CHECKED -> "checked: served from its cache if the SHA-256 of " + ArchiveLayout.SOURCES + m.source()
                    + " equals the recorded one, else recompiled from that source" + edited;
            case TIMESTAMP -> "timestamp: served from its cache if the size and time of " + ArchiveLayout.SOURCES
                    + m.source() + " equal the recorded ones, else recompiled from that source";
        };
    }
}
