package dev.hermetic.loader.compile;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.Module;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles one module's source in memory with the system Java compiler ({@code javax.tools}), using the
 * archive itself as the class path: the front door of this package for compiling.
 *
 * <p>What javac sees:
 * <ul>
 *   <li>class path: the application's caches (container 0) and every nested jar's classes, the first of
 *       each name in class-path order, read from the archive when javac opens them. The caches of the
 *       module being compiled are hidden (they are the stale output being replaced), and so is its
 *       archived source;</li>
 *   <li>source path: the sources of the modules that have no cache in the archive at all, so that a
 *       source-only dependency resolves. With {@code -implicit:none} javac only reads them: the result
 *       holds the requested module's classes alone;</li>
 *   <li>platform classes: the standard file manager's (the running JDK's, or {@code ct.sym} for
 *       {@code --release}); the host's {@code java.class.path} is never consulted.</li>
 * </ul>
 *
 * <p>Cost: nothing of this package is loaded, let alone run, on the path that serves a trusted (or fresh)
 * cache; the loader reaches it only for a stale or missing one, and should keep its calls in a class of
 * their own so that verifying the class loader does not load these. The first compile of an instance
 * builds the package map in one pass over {@link Archive#entries()}: proportional to the archive's entry
 * count, about 50-70 ms for 10k entries in a cold JVM. Each compile is a javac run over one source plus
 * what it references: measured on a 2-core machine with JDK 17, the first in a fresh JVM costs 0.4-1.7 s
 * (javac's own classes load and warm up), later ones 20-60 ms (the upper end with {@code --release}).
 * That is why results belong in a {@link CompileCache}.
 *
 * <p>The class path and source path are a snapshot taken at an instance's first compile: files added to
 * or deleted from an exploded archive later are seen by a new instance. Thread-safe; compiles run one at
 * a time per instance. Annotation processors are not run ({@code -proc:none} unless the options say
 * otherwise).
 */
public final class ModuleCompiler {
    static final String NO_COMPILER = "this Java runtime has no compiler";
    static final String NO_SYSTEM_COMPILER = NO_COMPILER + " (no system Java compiler; is this a JRE?)";
    /** Options whose argument is a location this compiler replaces: dropped, with the argument. */
    private static final Set<String> PATH_OPTIONS = Set.of("-d", "-s", "-h", "-cp", "-classpath", "--class-path",
            "-sourcepath", "--source-path");

    private final Archive archive;
    private ArchiveClassPath classPath;

    private ModuleCompiler(Archive archive) {
        this.archive = archive;
    }

    /** @return a compiler over an open archive; cheap: nothing is read until the first compile */
    public static ModuleCompiler of(Archive archive) {
        if (archive == null) {
            throw new IllegalArgumentException("archive is null");
        }
        return new ModuleCompiler(archive);
    }

    /**
     * Whether this runtime can compile, without loading any {@code javax.tools} class before it knows
     * that the {@code java.compiler} module is there. Computed once.
     *
     * @return null when compiling is possible, else why not, such as "this Java runtime has no compiler
     *         (module java.compiler is absent)"
     */
    public static String unavailableReason() {
        return Availability.REASON;
    }

    /**
     * Compiles a module of the archive from the given source, which may be the archived one or an
     * overlay's. The module's own caches and archived source are hidden from javac.
     *
     * @param source  the source's bytes, in the charset of the options' {@code -encoding} (default UTF-8),
     *                decoded strictly: bytes not valid in it are an error, as with javac
     * @param options javac options, such as {@link #options(String, int)} makes of the module's recorded
     *                ones. Options naming locations ({@code -d}, {@code -s}, {@code -h}, {@code -cp},
     *                {@code -classpath}, {@code --class-path}, {@code -sourcepath}, {@code --source-path})
     *                are dropped with their argument, {@code -implicit:none} replaces any
     *                {@code -implicit:}, and {@code -proc:none} is added unless a {@code -proc:} option is
     *                given
     * @return the class files by class-path name ({@code com/example/Main$1.class}), sorted by name
     * @throws CompileException when the source does not compile, the options are invalid or this runtime
     *                          has no compiler
     * @throws IOException      when the archive's index cannot be read
     */
    public Map<String, byte[]> compile(Module module, byte[] source, List<String> options)
            throws CompileException, IOException {
        return compile(module.source(), module.id(), source, options);
    }

    /**
     * Compiles a source by its name ({@code com/example/Main.java}); when a module of the archive has that
     * source name, it is hidden as {@link #compile(Module, byte[], List)} hides it.
     *
     * @see #compile(Module, byte[], List)
     */
    public Map<String, byte[]> compile(String sourceName, byte[] source, List<String> options)
            throws CompileException, IOException {
        int self = -1;
        for (Module module : archive.modules()) {
            if (module.source().equals(sourceName)) {
                self = module.id();
                break;
            }
        }
        return compile(sourceName, self, source, options);
    }

    private synchronized Map<String, byte[]> compile(String sourceName, int self, byte[] source, List<String> options)
            throws CompileException, IOException {
        if (!sourceName.endsWith(".java")) {
            throw new IllegalArgumentException(sourceName + " is not a .java source");
        }
        String reason = unavailableReason();
        if (reason != null) {
            throw new CompileException(sourceName, "cannot compile " + sourceName + ": " + reason, 0, -1,
                    List.of(), null);
        }
        Charset charset;
        try {
            charset = charsetOf(options);
        } catch (IllegalArgumentException e) {
            throw new CompileException(sourceName, "cannot compile " + sourceName + ": " + e.getMessage(), 0, -1,
                    List.of(), null);
        }
        if (classPath == null) {
            classPath = ArchiveClassPath.of(archive);
        }
        return Javac.compile(archive, classPath, self, sourceName, source, charset, javacOptions(options));
    }

    /**
     * The options javac gets: the caller's, without those naming locations this compiler replaces
     * ({@code -d}, {@code -s}, {@code -h}, {@code -cp}/{@code -classpath}/{@code --class-path},
     * {@code -sourcepath}/{@code --source-path}, {@code -implicit:*}), plus {@code -implicit:none}, and
     * {@code -proc:none} unless a {@code -proc:} option is given.
     */
    static List<String> javacOptions(List<String> options) {
        List<String> result = new ArrayList<>(options.size() + 2);
        boolean proc = false;
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            if (PATH_OPTIONS.contains(option)) {
                i++;
                continue;
            }
            if (option.startsWith("--class-path=") || option.startsWith("--source-path=")
                    || option.startsWith("-implicit:")) {
                continue;
            }
            proc |= option.startsWith("-proc:");
            result.add(option);
        }
        result.add("-implicit:none");
        if (!proc) {
            result.add("-proc:none");
        }
        return result;
    }

    /**
     * @return the charset named by {@code -encoding}, else UTF-8
     * @throws IllegalArgumentException when it names none this runtime supports
     */
    static Charset charsetOf(List<String> options) {
        int at = options.lastIndexOf("-encoding");
        if (at < 0) {
            return StandardCharsets.UTF_8;
        }
        if (at == options.size() - 1) {
            throw new IllegalArgumentException("-encoding needs a charset name");
        }
        String name = options.get(at + 1);
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new IllegalArgumentException("unsupported -encoding " + name);
        }
    }

    /**
     * Turns options recorded in a module ({@link Module#compilerOptions()}: javac options joined by single
     * spaces, as the packer records them) into a list, lowering {@code --release} to the running JVM's
     * feature release when it is higher, so that a cache too new for this JVM can be rebuilt for it.
     *
     * @param runtimeFeature the running JVM's feature release ({@code Runtime.version().feature()})
     */
    public static List<String> options(String recorded, int runtimeFeature) {
        List<String> options = new ArrayList<>();
        for (String option : recorded.strip().split("\\s+")) {
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            if (option.equals("--release") && i + 1 < options.size()) {
                options.set(i + 1, lower(options.get(i + 1), runtimeFeature));
            } else if (option.startsWith("--release=")) {
                options.set(i, "--release=" + lower(option.substring("--release=".length()), runtimeFeature));
            }
        }
        return options;
    }

    private static String lower(String release, int runtimeFeature) {
        try {
            return Integer.parseInt(release) > runtimeFeature ? Integer.toString(runtimeFeature) : release;
        } catch (NumberFormatException e) {
            return release;
        }
    }

    /** Computes {@link #unavailableReason()} once, on first use. */
    private static final class Availability {
        static final String REASON = compute();

        private static String compute() {
            ModuleLayer boot = ModuleLayer.boot();
            if (boot.findModule("java.compiler").isEmpty()) {
                return NO_COMPILER + " (module java.compiler is absent)";
            }
            if (boot.findModule("jdk.compiler").isEmpty()) {
                return NO_COMPILER + " (module jdk.compiler is absent; is this a JRE?)";
            }
            try {
                return Javac.present() ? null : NO_SYSTEM_COMPILER;
            } catch (LinkageError e) {
                return NO_COMPILER + " (" + e + ")";
            }
        }
    }
}
