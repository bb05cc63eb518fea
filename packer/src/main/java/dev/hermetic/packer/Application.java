package dev.hermetic.packer;

import dev.hermetic.loader.archive.ValidationMode;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Manifest;

/**
 * The application as it goes into the archive: its class-path files (caches and resources), its
 * sources, and which source each cache was compiled from ({@link #modules}).
 *
 * <p>Default validation modes (options may override them, see {@link PackOptions}): caches the packer
 * compiled itself are {@code trusted} (it saw the bytes it compiled); caches given with {@code --app}
 * whose source is shipped too are {@code checked}, since the packer cannot vouch that they were
 * compiled from that source; caches without a source are {@code trusted}, there being nothing to check
 * them against.
 *
 * <p>Compiled without caches, the class files are not shipped: {@link #uncached()} names each class and
 * its source instead.
 *
 * <p>Costs: the files are listed, not read: the pack reads them on its threads ({@link PreparedFiles}),
 * and the caches' class files give the modules only then. The {@code --app} jars stay open until
 * {@link #close()}.
 */
final class Application implements Closeable {
    private final Map<String, InputFile> files;
    /** The compiler's: the source of each shipped class it compiled; empty for caches given with --app. */
    private final Map<String, String> compiledSourceOf;
    private final Map<String, String> uncached;
    private final Map<String, SourceFile> sources;
    private final Optional<Manifest> manifest;
    private final boolean compiled;
    private final int release;
    private final String compilerOptions;
    private final Closeable inputs;

    private Application(Map<String, InputFile> files, Map<String, String> compiledSourceOf, Map<String, String> uncached,
                        Map<String, SourceFile> sources, Optional<Manifest> manifest, boolean compiled, int release,
                        String compilerOptions, Closeable inputs) {
        this.files = files;
        this.compiledSourceOf = compiledSourceOf;
        this.uncached = uncached;
        this.sources = sources;
        this.manifest = manifest;
        this.compiled = compiled;
        this.release = release;
        this.compilerOptions = compilerOptions;
        this.inputs = inputs;
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
        String options = String.join(" ", SourceCompiler.options(release));
        if (!caches) {
            return new Application(files, Map.of(), compiled.sourceOf(), roots.sources(), Optional.empty(), true,
                    release, options, () -> { });
        }
        for (Map.Entry<String, byte[]> c : compiled.classes().entrySet()) {
            files.put(c.getKey(), InputFile.of(c.getKey(), c.getValue(), null));
        }
        return new Application(files, compiled.sourceOf(), Map.of(), roots.sources(), Optional.empty(), true, release,
                options, () -> { });
    }

    /**
     * Takes the given caches: every class file outside {@code META-INF/}; {@link #modules} traces each to
     * its source.
     *
     * @param inputs closed with this application
     */
    static Application read(AppInputs inputs, SourceRoots roots) {
        return new Application(inputs.files(), Map.of(), Map.of(), roots.sources(), inputs.firstJarManifest(), false, 0, "",
                inputs);
    }

    /**
     * Whether the file is a cache, whose class file the packer reads for its module
     * ({@link PreparedFile#source()}): a class the packer compiled, or any class file outside
     * {@code META-INF/} given with {@code --app}.
     */
    boolean isCache(InputFile file) {
        return compiled ? compiledSourceOf.containsKey(file.name())
                : file.isClass() && !file.name().startsWith("META-INF/");
    }

    /**
     * The source a cache was compiled from: the compiler's record, or for a given cache its
     * {@code SourceFile} attribute in its package, or the source its top-level class name implies when it
     * has none. Safe to call on any thread.
     *
     * @param name  the cache's class file name ({@link #isCache})
     * @param info  its class file
     */
    String sourceOf(String name, ClassFileInfo info) {
        if (compiled) {
            return compiledSourceOf.get(name);
        }
        String sourceFile = info.sourceFile();
        int slash = name.lastIndexOf('/');
        if (sourceFile == null) {
            String simple = name.substring(slash + 1, name.length() - ".class".length());
            int nested = simple.indexOf('$');
            sourceFile = (nested > 0 ? simple.substring(0, nested) : simple) + ".java";
        }
        return name.substring(0, slash + 1) + sourceFile;
    }

    /** The caches' class-file versions by source, gathered as the files are written, in any order. */
    static final class Caches {
        private final Map<String, Integer> classVersions = new HashMap<>();

        /** Takes a file's version when it is a cache. */
        void add(PreparedFile file) {
            if (file.source() != null) {
                classVersions.merge(file.source(), file.classVersion(), Math::max);
            }
        }
    }

    /** @param caches every cache ({@link #isCache}) */
    Modules modules(Caches caches) {
        Set<String> all = new TreeSet<>(sources.keySet());
        all.addAll(caches.classVersions.keySet());
        all.addAll(uncached.values());
        return new Modules(caches.classVersions, all);
    }

    /**
     * The application's modules: its sources and, per source, the class-file version of its caches.
     *
     * @param classVersions the highest class-file version among each source's caches (none without caches)
     * @param sources       every module's source name, shipped or not, in name order
     */
    record Modules(Map<String, Integer> classVersions, Set<String> sources) {
        /** @return the highest class-file version among the source's caches, or 0 without caches */
        int classVersionOf(String source) {
            return classVersions.getOrDefault(source, 0);
        }
    }

    /** @return the class-path files by name: caches, resources and directories */
    Map<String, InputFile> files() {
        return files;
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

    /** @return the default mode of a module, when options do not choose one */
    ValidationMode defaultModeOf(String source) {
        return !compiled && sources.containsKey(source) ? ValidationMode.CHECKED : ValidationMode.TRUSTED;
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

    @Override
    public void close() throws IOException {
        inputs.close();
    }
}
