package dev.hermetic.packer;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.Container;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.loader.archive.ValidationMode;
import dev.hermetic.packer.Verification.Kind;
import dev.hermetic.packer.Verification.Problem;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;

/**
 * Checks offline that an archive's trust flags are earned ({@code packer verify}): the front door of
 * verification, returning a {@link Verification}.
 *
 * <ol>
 *   <li><b>Every shipped source</b> is read from its zip entry ({@code HERMETIC-INF/sources/...}, found
 *       through the central directory, not through the index's offsets; or from its file in an exploded
 *       directory) and its SHA-256 and size compared with the index: a difference is
 *       {@link Kind#STALE}.</li>
 *   <li><b>{@code trusted} modules with a shipped source</b> are recompiled: all shipped sources together,
 *       in memory, with the options the index records for the module ({@code --release},
 *       {@code -encoding}, {@code -g}, ...), against the application's caches and the nested jars
 *       (extracted to a temporary directory, deleted afterwards). Each class file the module's source
 *       compiles to is compared byte for byte with the cache of that name ({@link Kind#DIFFERS},
 *       {@link Kind#CACHE_MISSING}), and each cache of the module must be one of them
 *       ({@link Kind#EXTRA_CACHE}). A class declared to the module without a cache (packed with
 *       {@code --no-caches}) is not missing: the loader compiles it on first use. When the index records
 *       no options ({@code --app} caches packed as {@code trusted}), the packer's own options for the
 *       release of the caches' class-file version are used, and a difference says so: a trusted cache is
 *       a claim that compiling its source gives it, and verify can only check that claim with options it
 *       knows.</li>
 *   <li><b>{@code checked} and {@code timestamp} modules</b> are hash-checked only: the packer did not
 *       compile them from their source (or was told not to vouch for its caches), so the archive claims
 *       nothing about their bytes beyond the recorded source, which the loader checks at every start and
 *       recompiles from when it changed.</li>
 * </ol>
 *
 * <p><b>Compiler versions.</b> javac's output for the same source and options can differ between JDK
 * feature releases, so bytes can only be compared on the feature release that packed. When the packer
 * compiled the caches it records that release in the manifest ({@code Build-Jdk-Spec}); if verify runs
 * on another release, it still compares, and a module whose bytes differ is reported as
 * {@link Kind#CANNOT_COMPARE} naming both releases (run verify on the packing JDK to decide), not as
 * {@link Kind#DIFFERS}. Either way the result is not {@link Verification#ok()}.
 *
 * <p><b>Safety.</b> The recorded options come from the archive, so only options that cannot run code or
 * write files are replayed (see {@link #REPLAYED}); {@code -proc:none} is always added, so that no
 * annotation processor from a nested jar runs. Another option makes the module
 * {@link Kind#CANNOT_COMPARE}.
 *
 * <p>Costs: every shipped source and cache is read once; one compilation per distinct set of options.
 */
public final class Verifier {
    /** Options replayed from the index, with the number of values each takes. */
    static final Map<String, Integer> REPLAYED = Map.of("--release", 1, "-encoding", 1, "-source", 1, "-target", 1,
            "-proc:none", 0, "-parameters", 0, "-nowarn", 0, "-deprecation", 0, "-g", 0, "--enable-preview", 0);
    /** Prefixes of replayed options whose value is part of the option ({@code -g:source,lines}). */
    static final List<String> REPLAYED_PREFIXES = List.of("-g:", "-Xlint");

    private Verifier() {
    }

    /**
     * Verifies an archive.
     *
     * @throws IOException when the archive cannot be read or is not a valid Hermetic archive
     */
    public static Verification verify(Path file) throws IOException {
        if (!Files.isDirectory(file)) {
            Archive.checkStrictly(file);
        }
        try (Archive archive = Archive.open(file); ArchiveFiles files = ArchiveFiles.open(file)) {
            return new Run(file, archive, files).verify();
        }
    }

    /** The options to recompile a module with, or why there are none. */
    private record Replay(List<String> options, boolean recorded, String unsupported) {
    }

    /** One verification: the archive through its index, its files by name, and what was found. */
    private static final class Run {
        private final Path file;
        private final Archive archive;
        private final ArchiveFiles files;
        private final List<Problem> problems = new ArrayList<>();
        private final Map<String, SourceFile> shipped = new TreeMap<>();
        private final int running = Runtime.version().feature();
        private Optional<Integer> packedWith = Optional.empty();
        private int compared;

        Run(Path file, Archive archive, ArchiveFiles files) {
            this.file = file;
            this.archive = archive;
            this.files = files;
        }

        Verification verify() throws IOException {
            packedWith = buildJdkSpec();
            readShippedSources();
            List<Module> modules = archive.modules();
            int hashed = 0;
            int[] modes = new int[ValidationMode.values().length];
            Map<Replay, List<Module>> groups = new LinkedHashMap<>();
            for (Module module : modules) {
                modes[module.mode().ordinal()]++;
                if (!module.hasSource()) {
                    continue;
                }
                hashed++;
                if (!checkHash(module)) {
                    // a missing source cannot be recompiled
                    continue;
                }
                if (module.mode() == ValidationMode.TRUSTED) {
                    groups.computeIfAbsent(replay(module), r -> new ArrayList<>()).add(module);
                }
            }
            if (!groups.isEmpty()) {
                recompile(groups);
            }
            List<Problem> sorted = new ArrayList<>(problems);
            sorted.sort(Comparator.comparing(Problem::module));
            return new Verification(file, archive.trustBound(), modules.size(), modes[ValidationMode.TRUSTED.ordinal()],
                    modes[ValidationMode.CHECKED.ordinal()], modes[ValidationMode.TIMESTAMP.ordinal()], hashed,
                    compared, packedWith, running, sorted);
        }

        private Optional<Integer> buildJdkSpec() throws IOException {
            byte[] manifest = files.read("META-INF/MANIFEST.MF");
            if (manifest == null) {
                return Optional.empty();
            }
            try {
                String value = new Manifest(new ByteArrayInputStream(manifest)).getMainAttributes()
                        .getValue(Packer.BUILD_JDK_SPEC);
                return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        private void readShippedSources() throws IOException {
            for (String name : files.names()) {
                if (name.startsWith(ArchiveLayout.SOURCES) && name.endsWith(".java")) {
                    Path path;
                    try {
                        path = Path.of(name);
                    } catch (InvalidPathException e) {
                        throw new PackException(file, "entry '" + name + "' is not a valid file name");
                    }
                    String source = name.substring(ArchiveLayout.SOURCES.length());
                    shipped.put(source, SourceFile.of(source, files.read(name), path));
                }
            }
        }

        /** @return whether the source is there to compile */
        private boolean checkHash(Module module) {
            SourceFile source = shipped.get(module.source());
            if (source == null) {
                problem(module.source(), Kind.STALE, "stale: source missing (the archive has no entry "
                        + ArchiveLayout.SOURCES + module.source() + ")");
                return false;
            }
            if (!Arrays.equals(source.sha256(), module.sourceSha256())) {
                String size = source.bytes().length == module.sourceSize() ? ""
                        : ", and its size: " + source.bytes().length + " bytes, not " + module.sourceSize();
                problem(module.source(), Kind.STALE, "stale: source hash differs (SHA-256 "
                        + shortHex(source.sha256()) + ", index " + shortHex(module.sourceSha256()) + size + ")");
            } else if (source.bytes().length != module.sourceSize()) {
                problem(module.source(), Kind.STALE, "stale: source size differs (" + source.bytes().length
                        + " bytes, index " + module.sourceSize() + ")");
            }
            return true;
        }

        private Replay replay(Module module) {
            if (module.release() > 0 && !module.compilerOptions().isBlank()) {
                List<String> options = new ArrayList<>(List.of(module.compilerOptions().trim().split("\\s+")));
                for (int i = 0; i < options.size(); i++) {
                    String option = options.get(i);
                    Integer values = REPLAYED.get(option);
                    if (values == null && REPLAYED_PREFIXES.stream().noneMatch(option::startsWith)) {
                        return new Replay(List.of(), true, option);
                    }
                    i += values == null ? 0 : values;
                }
                if (options.size() > 0 && REPLAYED.containsKey(options.get(options.size() - 1))
                        && REPLAYED.get(options.get(options.size() - 1)) > 0) {
                    return new Replay(List.of(), true, options.get(options.size() - 1) + " (without its value)");
                }
                if (!options.contains("-proc:none")) {
                    options.add("-proc:none");
                }
                return new Replay(List.copyOf(options), true, null);
            }
            int version = module.classVersion();
            int release = version >= 52 ? version - 44 : PackOptions.DEFAULT_RELEASE;
            return new Replay(SourceCompiler.options(release), false, null);
        }

        private void recompile(Map<Replay, List<Module>> groups) throws IOException {
            if (ToolProvider.getSystemJavaCompiler() == null) {
                for (List<Module> modules : groups.values()) {
                    for (Module module : modules) {
                        problem(module.source(), Kind.CANNOT_COMPARE,
                                "cannot compare: this Java runtime has no compiler (run verify on a JDK)");
                    }
                }
                return;
            }
            Path temporary = Files.createTempDirectory("hermetic-verify-");
            try {
                List<Path> classPath = extractClassPath(temporary);
                Map<Integer, List<String>> caches = cachesByModule();
                for (Map.Entry<Replay, List<Module>> group : groups.entrySet()) {
                    compare(group.getKey(), group.getValue(), classPath, caches);
                }
            } finally {
                Exploder.deleteTree(temporary);
            }
        }

        /** The application's class files in a directory, then each nested jar as a file, in class-path order. */
        private List<Path> extractClassPath(Path temporary) throws IOException {
            Path classes = Files.createDirectories(temporary.resolve("classes"));
            for (String name : files.names()) {
                if (name.startsWith(ArchiveLayout.CLASSES) && name.endsWith(".class")) {
                    Path target = Exploder.resolveInside(file, classes, name.substring(ArchiveLayout.CLASSES.length()));
                    Files.createDirectories(target.getParent());
                    files.copy(name, target);
                }
            }
            List<Path> classPath = new ArrayList<>(List.of(classes));
            Path libs = Files.createDirectories(temporary.resolve("lib"));
            for (Container container : archive.containers()) {
                if (!container.nested()) {
                    continue;
                }
                Path jar = libs.resolve(container.id() + ".jar");
                if (!files.copy(container.entry(), jar)) {
                    throw new PackException(file, "nested jar " + container.entry() + " is in the index but not in the archive");
                }
                classPath.add(jar);
            }
            return classPath;
        }

        private Map<Integer, List<String>> cachesByModule() throws IOException {
            Map<Integer, List<String>> caches = new TreeMap<>();
            for (IndexedEntry entry : archive.entries()) {
                if (entry.container() == 0 && entry.module() >= 0 && entry.name().endsWith(".class")) {
                    caches.computeIfAbsent(entry.module(), m -> new ArrayList<>()).add(entry.name());
                }
            }
            return caches;
        }

        private void compare(Replay replay, List<Module> modules, List<Path> classPath,
                             Map<Integer, List<String>> caches) throws IOException {
            if (replay.unsupported() != null) {
                for (Module module : modules) {
                    problem(module.source(), Kind.CANNOT_COMPARE, "cannot compare: compiler option "
                            + replay.unsupported() + " is not one verify replays (" + String.join(", ",
                            new TreeSet<>(REPLAYED.keySet())) + ", -g:..., -Xlint...)");
                }
                return;
            }
            String options = String.join(" ", replay.options());
            SourceCompiler.Compiled compiled;
            try {
                compiled = SourceCompiler.compile(shipped.values(), classPath, replay.options());
            } catch (SourceCompiler.Failure e) {
                if (e.source() != null) {
                    problem(e.source().name(), Kind.DOES_NOT_COMPILE, e.what().replaceFirst("^does not compile",
                            "does not compile with " + options));
                } else {
                    for (Module module : modules) {
                        problem(module.source(), Kind.CANNOT_COMPARE, "cannot compare: javac " + running
                                + " cannot compile with " + options + ": "
                                + e.what().replaceFirst("^cannot compile --sources: ", ""));
                    }
                }
                return;
            } catch (PackException e) {
                for (Module module : modules) {
                    problem(module.source(), Kind.CANNOT_COMPARE, "cannot compare: " + e.getMessage());
                }
                return;
            }
            Map<String, Set<String>> produced = new TreeMap<>();
            for (Map.Entry<String, String> c : compiled.sourceOf().entrySet()) {
                produced.computeIfAbsent(c.getValue(), s -> new TreeSet<>()).add(c.getKey());
            }
            for (Module module : modules) {
                compared++;
                List<Problem> found = new ArrayList<>();
                Set<String> classes = produced.getOrDefault(module.source(), Set.of());
                for (String name : classes) {
                    byte[] cache = files.read(ArchiveLayout.CLASSES + name);
                    if (cache == null) {
                        boolean declared = archive.moduleOf(name) == module.id() && archive.find(name) == null;
                        if (!declared) {
                            found.add(new Problem(module.source(), Kind.CACHE_MISSING, "cache missing: " + name));
                        }
                    } else if (!Arrays.equals(cache, compiled.classes().get(name))) {
                        found.add(new Problem(module.source(), Kind.DIFFERS, "differs: " + name));
                    }
                }
                for (String cache : caches.getOrDefault(module.id(), List.of())) {
                    if (!classes.contains(cache)) {
                        found.add(new Problem(module.source(), Kind.EXTRA_CACHE, "extra cache: " + cache));
                    }
                }
                if (found.isEmpty()) {
                    continue;
                }
                if (replay.recorded() && packedWith.isPresent() && packedWith.get() != running) {
                    problem(module.source(), Kind.CANNOT_COMPARE, "cannot compare: packed by javac " + packedWith.get()
                            + ", this is javac " + running + ", and " + (found.size() == 1 ? "1 class file differs ("
                            : found.size() + " class files differ (") + found.get(0).detail()
                            + (found.size() > 1 ? ", ..." : "") + "); run verify on JDK " + packedWith.get());
                } else if (!replay.recorded()) {
                    for (Problem p : found) {
                        problem(p.module(), p.kind(), p.detail() + " (compiler options not recorded; recompiled by javac "
                                + running + " with " + options + ")");
                    }
                } else {
                    problems.addAll(found);
                }
            }
        }

        private void problem(String module, Kind kind, String detail) {
            problems.add(new Problem(module, kind, detail));
        }

        private static String shortHex(byte[] hash) {
            return HexFormat.of().formatHex(hash, 0, 6) + "...";
        }
    }
}
