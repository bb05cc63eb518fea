package dev.hermetic.loader.compile;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.loader.archive.Module;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an archive offers a compiler, by package: the class files on its class path (the application's
 * caches and every nested jar's classes, the first of each name in class-path order, as the loader
 * serves them) and the sources of the modules that have no cache at all and whose source the archive holds
 * now.
 *
 * <p>Built in one pass over {@link Archive#entries()} and {@link Archive#modules()}: proportional to
 * the archive's entry count (plus a stat per uncached module of an exploded archive), so built once per
 * {@link ModuleCompiler} and only when it first compiles.
 * Skipped: directories, non-class resources, {@code module-info.class} and everything under
 * {@code META-INF/} (multi-release jars contribute their base classes). Immutable once built.
 */
final class ArchiveClassPath {
    /** Package ({@code com/example}, "" for the unnamed one) to the class files directly in it. */
    private final Map<String, List<IndexedEntry>> classes;
    /** Package to the modules whose source is offered on the source path. */
    private final Map<String, List<Module>> sources;
    /** Class binary name ({@code com.example.Main$1}) to its entry. */
    private final Map<String, IndexedEntry> classByName;
    /** Source binary name ({@code com.example.Main}) to its module. */
    private final Map<String, Module> sourceByName;

    private ArchiveClassPath(Map<String, List<IndexedEntry>> classes, Map<String, List<Module>> sources,
                             Map<String, IndexedEntry> classByName, Map<String, Module> sourceByName) {
        this.classes = classes;
        this.sources = sources;
        this.classByName = classByName;
        this.sourceByName = sourceByName;
    }

    static ArchiveClassPath of(Archive archive) throws IOException {
        Map<String, List<IndexedEntry>> classes = new HashMap<>();
        Map<String, IndexedEntry> classByName = new HashMap<>();
        BitSet cached = new BitSet();
        for (IndexedEntry entry : archive.entries()) {
            if (entry.module() >= 0) {
                cached.set(entry.module());
            }
            String name = entry.name();
            // entries() gives each name's entries in class-path order: the first one wins
            if (isClassFile(name) && classByName.putIfAbsent(binaryName(name, ".class"), entry) == null) {
                classes.computeIfAbsent(packageOf(name), p -> new ArrayList<>()).add(entry);
            }
        }
        Map<String, List<Module>> sources = new HashMap<>();
        Map<String, Module> sourceByName = new HashMap<>();
        for (Module module : archive.modules()) {
            // sourceStamp, not hasSource: an edited zip or an exploded directory may have lost or gained it
            if (!cached.get(module.id()) && module.source().endsWith(".java") && archive.sourceStamp(module) != null) {
                sources.computeIfAbsent(packageOf(module.source()), p -> new ArrayList<>()).add(module);
                sourceByName.put(binaryName(module.source(), ".java"), module);
            }
        }
        return new ArchiveClassPath(classes, sources, classByName, sourceByName);
    }

    private static boolean isClassFile(String name) {
        return name.endsWith(".class") && !name.startsWith("META-INF/") && !name.equals("module-info.class");
    }

    /** @return {@code com/example} for {@code com/example/Main.class} */
    static String packageOf(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    /** @return {@code com.example.Main$1} for {@code com/example/Main$1.class} */
    static String binaryName(String name, String extension) {
        return name.substring(0, name.length() - extension.length()).replace('/', '.');
    }

    /** @return the class files of a package ({@code com/example}), first of each name; never null */
    List<IndexedEntry> classes(String packagePath) {
        return classes.getOrDefault(packagePath, List.of());
    }

    /** @return the uncached modules whose sources are in a package; never null */
    List<Module> sources(String packagePath) {
        return sources.getOrDefault(packagePath, List.of());
    }

    /** @return every package with class files or sources, for recursive listing */
    List<String> packages() {
        List<String> all = new ArrayList<>(classes.keySet());
        for (String p : sources.keySet()) {
            if (!classes.containsKey(p)) {
                all.add(p);
            }
        }
        return all;
    }

    /** @return the class file of a binary name, or null */
    IndexedEntry classNamed(String binaryName) {
        return classByName.get(binaryName);
    }

    /** @return the uncached module whose source declares a top-level binary name, or null */
    Module sourceNamed(String binaryName) {
        return sourceByName.get(binaryName);
    }
}
