package dev.hermetic.packer;

import dev.hermetic.loader.archive.ValidationMode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Manifest;

/**
 * The application as it goes into the archive: its class-path files (caches and resources), its
 * sources, and which source each cache was compiled from.
 *
 * <p>Default validation modes (options may override them, see {@link PackOptions}): caches the packer
 * compiled itself are {@code trusted} (it saw the bytes it compiled); caches given with {@code --app}
 * whose source is shipped too are {@code checked}, since the packer cannot vouch that they were
 * compiled from that source; caches without a source are {@code trusted}, there being nothing to check
 * them against.
 *
 * <p>Compiled without caches, the class files are not shipped: {@link #uncached()} names each class and
 * its source instead.
 */
final class Application {
    private final Map<String, InputFile> files;
    private final Map<String, String> sourceOf;
    private final Map<String, String> uncached;
    private final Map<String, SourceFile> sources;
    private final Map<String, Integer> classVersions = new TreeMap<>();
    private final Optional<Manifest> manifest;
    private final boolean compiled;
    private final int release;
    private final String compilerOptions;

    private Application(Map<String, InputFile> files, Map<String, String> sourceOf, Map<String, String> uncached,
                        Map<String, SourceFile> sources, Optional<Manifest> manifest, boolean compiled, int release,
                        String compilerOptions) throws PackException {
        this.files = files;
        this.sourceOf = sourceOf;
        this.uncached = uncached;
        this.sources = sources;
        this.manifest = manifest;
        this.compiled = compiled;
        this.release = release;
        this.compilerOptions = compilerOptions;
        for (Map.Entry<String, String> cache : sourceOf.entrySet()) {
            InputFile file = files.get(cache.getKey());
            classVersions.merge(cache.getValue(), info(file).major(), Math::max);
        }
    }

    /**
     * Compiles the sources; the other files in the source roots become resources.
     *
     * @param caches whether the class files are shipped, or only named in {@link #uncached()}
     */
    static Application compile(SourceRoots roots, List<Path> classPath, int release, boolean caches) throws IOException {
        if (roots.sources().isEmpty()) {
            throw new PackException("no --app and no .java files in --sources: nothing to pack");
        }
        SourceCompiler.Compiled compiled = SourceCompiler.compile(roots.sources().values(), classPath, release);
        Map<String, InputFile> files = new TreeMap<>();
        for (InputFile resource : roots.resources()) {
            files.putIfAbsent(resource.name(), resource);
        }
        if (!caches) {
            return new Application(files, Map.of(), compiled.sourceOf(), roots.sources(), Optional.empty(), true,
                    release, String.join(" ", SourceCompiler.options(release)));
        }
        for (Map.Entry<String, byte[]> c : compiled.classes().entrySet()) {
            files.put(c.getKey(), new InputFile(c.getKey(), c.getValue(), null));
        }
        return new Application(files, compiled.sourceOf(), Map.of(), roots.sources(), Optional.empty(), true, release,
                String.join(" ", SourceCompiler.options(release)));
    }

    /**
     * Takes the given caches; each class file is traced to its source through its {@code SourceFile}
     * attribute and package, or to the source its top-level class name implies when it has none.
     */
    static Application read(AppInputs inputs, SourceRoots roots) throws IOException {
        Map<String, InputFile> files = new TreeMap<>();
        Map<String, String> sourceOf = new TreeMap<>();
        for (InputFile file : inputs.files()) {
            files.put(file.name(), file);
            if (file.isClass() && !file.name().startsWith("META-INF/")) {
                String sourceFile = info(file).sourceFile();
                int slash = file.name().lastIndexOf('/');
                String directory = file.name().substring(0, slash + 1);
                if (sourceFile == null) {
                    String simple = file.name().substring(slash + 1, file.name().length() - ".class".length());
                    int nested = simple.indexOf('$');
                    sourceFile = (nested > 0 ? simple.substring(0, nested) : simple) + ".java";
                }
                sourceOf.put(file.name(), directory + sourceFile);
            }
        }
        return new Application(files, sourceOf, Map.of(), roots.sources(), inputs.firstJarManifest(), false, 0, "");
    }

    private static ClassFileInfo info(InputFile file) throws PackException {
        try {
            return ClassFileInfo.parse(file.bytes());
        } catch (IOException e) {
            Path origin = file.origin() == null ? Path.of(file.name()) : file.origin();
            throw new PackException(origin, file.name() + " is not a valid class file: " + e.getMessage());
        }
    }

    /** @return the class-path files by name: caches, resources and directories */
    Map<String, InputFile> files() {
        return files;
    }

    /** @return the source of each cache, by class file name */
    Map<String, String> sourceOf() {
        return sourceOf;
    }

    /**
     * @return the source of each class compiled but not shipped (compiled without caches), by class file
     *         name, in name order
     */
    Map<String, String> uncached() {
        return uncached;
    }

    /** @return whether the packer compiled the caches itself (with or without shipping them) */
    boolean compiled() {
        return compiled;
    }

    /** @return the shipped sources by name */
    Map<String, SourceFile> sources() {
        return sources;
    }

    Collection<SourceFile> shippedSources() {
        return sources.values();
    }

    /** @return every module's source name, shipped or not, in name order */
    Set<String> moduleSources() {
        Set<String> all = new TreeSet<>(sources.keySet());
        all.addAll(sourceOf.values());
        all.addAll(uncached.values());
        return all;
    }

    int moduleCount() {
        return moduleSources().size();
    }

    /** @return the default mode of a module, when options do not choose one */
    ValidationMode defaultModeOf(String source) {
        return !compiled && sources.containsKey(source) ? ValidationMode.CHECKED : ValidationMode.TRUSTED;
    }

    /** @return the highest class-file version among the source's caches, or 0 without caches */
    int classVersionOf(String source) {
        return classVersions.getOrDefault(source, 0);
    }

    int release() {
        return release;
    }

    String compilerOptions() {
        return compilerOptions;
    }

    /** @return the first {@code --app} jar's manifest, whose attributes the archive carries */
    Optional<Manifest> manifest() {
        return manifest;
    }
}
