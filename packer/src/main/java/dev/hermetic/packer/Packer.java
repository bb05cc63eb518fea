package dev.hermetic.packer;

import dev.hermetic.loader.AgentLauncher;
import dev.hermetic.loader.Launcher;
import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.Container;
import dev.hermetic.loader.archive.IndexWriter;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.loader.archive.ValidationMode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * Packs an application into one Hermetic archive: the front door of the packer library, under the
 * command line and the Maven plugin.
 *
 * <p>The archive is deterministic: the same inputs give the same bytes whatever the time, time zone,
 * locale, umask, input file times or directory order. It is written to a temporary file beside
 * {@code out} and renamed over it only when complete, so a failed pack leaves {@code out} untouched.
 *
 * <p>The index gives each module its validation mode (see {@link PackOptions} for the defaults and
 * how {@code --validation} and {@code --validation-rule} override them) and declares each shipped
 * source's name to its module, so the loader finds the source of a class whose cache is missing by the
 * compiler's convention ({@code a/b/C$D.class} comes from {@code a/b/C.java}). Packed without caches,
 * each compiled class's name is declared to its module too.
 *
 * <p>When the packer compiles the sources, the manifest records the compiler's feature release as
 * {@code Build-Jdk-Spec} (Maven's attribute): {@code verify} compares recompiled bytes only on the same
 * release.
 *
 * <p>Threads ({@link PackOptions#threads()}, see {@link Workers}): everything about an entry that does
 * not depend on where it lands (reading and inflating the application's files, their CRC-32 and
 * SHA-256, parsing class files, compressing resources; checking each dependency jar and its CRC-32 and
 * SHA-256) runs on the pack's threads, while the calling thread writes the archive in its fixed order
 * and builds the index. The archive is byte-identical for any number of threads, and so is the error
 * of a failed pack: the first in that order.
 *
 * <p>Costs: every application file is read into memory once and held until written; sources are read
 * up front (they are small); a dependency jar is read three times (SHA-256, CRC-32, then the copy,
 * usually from the page cache) and its headers once (the strict check, which gives its entries' offsets).
 * What stays serial, on the calling thread: writing, the index, the central directory, the seal and the
 * rename. The index waits for every class file to be parsed (a module's id needs them all), so it is
 * built after the last one is written, its application entries on another thread while this one copies
 * the nested jars: with a 10k-class application some 24 ms of a one-thread pack's 440 (steady state,
 * benchmarks' eleventh round).
 */
public final class Packer {
    private static final List<String> CARRIED_ATTRIBUTES = List.of("Add-Opens", "Add-Exports", "Enable-Native-Access");
    /** With a {@code Launcher-Agent-Class}, also the agent capabilities the JVM reads from the manifest. */
    private static final List<String> CARRIED_WITH_AGENT = List.of("Add-Opens", "Add-Exports", "Enable-Native-Access",
            "Can-Redefine-Classes", "Can-Retransform-Classes", "Can-Set-Native-Method-Prefix");
    private static final String LAUNCHER_AGENT_CLASS = "Launcher-Agent-Class";
    /**
     * The manifest attribute naming the feature release of the compiler that compiled the caches
     * ({@code 17}); written only when the packer compiled them.
     */
    static final String BUILD_JDK_SPEC = "Build-Jdk-Spec";

    private Packer() {
    }

    /**
     * @throws PackException when the input is wrong (the message names the file and the problem)
     * @throws IOException   when reading the input or writing the archive fails
     */
    public static PackResult pack(PackOptions options) throws IOException {
        return pack(options, PackProgress.NONE);
    }

    /**
     * As {@link #pack(PackOptions)}, telling {@code progress} how many input bytes were written as it goes.
     *
     * @throws PackException when the input is wrong (the message names the file and the problem)
     * @throws IOException   when reading the input or writing the archive fails
     */
    public static PackResult pack(PackOptions options, PackProgress progress) throws IOException {
        Path out = options.out().toAbsolutePath();
        Path directory = out.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new PackException(out, "--out: directory " + directory + " does not exist");
        }
        if (Files.isDirectory(out)) {
            throw new PackException(out, "--out: is a directory");
        }
        try (Workers workers = Workers.start(options.threads())) {
            SourceRoots roots = SourceRoots.read(options.sources());
            // the jars are read, checked and hashed on the workers while the application is listed and queued
            Workers.Task<List<LibClassPath.Lib>> expanded = LibClassPath.expand(options.libs(), workers);
            try (Application app = open(options, roots, expanded)) {
                // workers stop before the inputs close: their threads read the application's jars and --reuse
                try (ResourceCompressor compressor = ResourceCompressor.open(options); workers) {
                    PreparedFiles files = PreparedFiles.start(app, compressor, workers);
                    List<LibClassPath.Lib> libs = expanded.join();
                    String mainClass = mainClass(options, app, libs);
                    agentClass(app, libs);
                    return writeAtomically(out, new Inputs(options, app, files, compressor, libs, mainClass, workers),
                            progress);
                }
            }
        }
    }

    /**
     * Lists the application's inputs, or compiles its sources; against the {@code --lib} jars, checked
     * first, since {@code javac} would trip on a broken one with a message of its own.
     */
    private static Application open(PackOptions options, SourceRoots roots, Workers.Task<?> libs) throws IOException {
        if (options.apps().isEmpty() && !options.sources().isEmpty()) {
            libs.join();
            return Application.compile(roots, options.libs(), options.release(), options.caches());
        }
        return Application.read(AppInputs.open(options.apps()), roots);
    }

    /**
     * One pack's inputs, checked, with the application's files on their way ({@link PreparedFiles}) on the
     * pack's threads.
     */
    private record Inputs(PackOptions options, Application app, PreparedFiles files, ResourceCompressor compressor,
                          List<LibClassPath.Lib> libs, String mainClass, Workers workers) {
    }

    private static PackResult writeAtomically(Path out, Inputs inputs, PackProgress progress) throws IOException {
        Path directory = out.getParent();
        removeStaleTemporaries(directory, out);
        Path temporary = Files.createTempFile(directory, temporaryPrefix(out) + ProcessHandle.current().pid() + ".",
                TEMPORARY_SUFFIX);
        try {
            PackResult result = write(temporary, out, inputs, progress);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(temporary, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return result;
        } catch (PackException e) {
            throw e;
        } catch (IOException e) {
            // a full disk or a file size limit says only "No space left on device": name the output
            throw new PackException(out, "cannot write the archive: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static final String TEMPORARY_SUFFIX = ".hermetic-tmp";

    /** Temporary files of {@code out} are {@code .NAME.PID.RANDOM.hermetic-tmp}, PID the packing process's. */
    private static String temporaryPrefix(Path out) {
        return "." + out.getFileName() + ".";
    }

    /**
     * Deletes the temporary files of {@code out} left by packs that died (killed, power loss): those
     * named {@code .NAME.PID.RANDOM.hermetic-tmp} whose PID is no live process of this machine. A
     * temporary of a live process (another pack running now) is left alone, and so is any name of
     * another shape, such as the temporaries of packers before PIDs were in the name. A PID reused by
     * another process only keeps debris longer, never deletes a live pack's file.
     */
    static void removeStaleTemporaries(Path directory, Path out) throws IOException {
        String prefix = temporaryPrefix(out);
        try (java.nio.file.DirectoryStream<Path> siblings = Files.newDirectoryStream(directory, prefix + "*" + TEMPORARY_SUFFIX)) {
            for (Path sibling : siblings) {
                String middle = sibling.getFileName().toString();
                middle = middle.substring(prefix.length(), middle.length() - TEMPORARY_SUFFIX.length());
                int dot = middle.indexOf('.');
                long pid;
                try {
                    pid = dot > 0 ? Long.parseLong(middle.substring(0, dot)) : -1;
                } catch (NumberFormatException e) {
                    pid = -1;
                }
                if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE
                        && Files.isRegularFile(sibling, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(sibling);
                }
            }
        }
    }

    private static String mainClass(PackOptions options, Application app, List<LibClassPath.Lib> libs) throws PackException {
        String main = options.mainClass().orElseGet(() -> app.manifest()
                .map(m -> m.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS)).orElse(null));
        if (main == null || main.isBlank()) {
            throw new PackException("no main class: give --main-class, or an --app jar whose manifest has Main-Class");
        }
        // As the java launcher does (java com/example/Main): the launcher loads binary names only.
        main = main.trim().replace('/', '.');
        String file = main.replace('.', '/') + ".class";
        if (app.files().containsKey(file) || app.uncached().containsKey(file)) {
            return main;
        }
        for (LibClassPath.Lib lib : libs) {
            if (lib.jar().has(file)) {
                return main;
            }
        }
        throw new PackException("main class " + main + " is not in the application or its libraries");
    }

    /**
     * The application's {@code Launcher-Agent-Class}, which the archive runs through
     * {@link AgentLauncher}: it must be in the application or its libraries.
     *
     * @return the class, or null when the first {@code --app} jar's manifest names none
     */
    private static String agentClass(Application app, List<LibClassPath.Lib> libs) throws PackException {
        String agent = app.manifest().map(m -> m.getMainAttributes().getValue(LAUNCHER_AGENT_CLASS)).orElse(null);
        if (agent == null) {
            return null;
        }
        agent = agent.trim();
        String file = agent.replace('.', '/') + ".class";
        if (app.files().containsKey(file) || app.uncached().containsKey(file)) {
            return agent;
        }
        for (LibClassPath.Lib lib : libs) {
            if (lib.jar().has(file)) {
                return agent;
            }
        }
        throw new PackException(LAUNCHER_AGENT_CLASS + " " + agent + " is not in the application or its libraries");
    }

    private static PackResult write(Path file, Path out, Inputs in, PackProgress progress) throws IOException {
        Application app = in.app();
        IndexWriter index = new IndexWriter(in.mainClass());
        Application.Modules modules;
        int entries;
        try (ArchiveWriter zip = new ArchiveWriter(file, in.options().timestamp())) {
            progress.start(InputBytes.of(app, in.libs()));
            zip.write("META-INF/", new byte[0]);
            zip.write("META-INF/MANIFEST.MF", manifest(in.mainClass(), app, in.options().compressResources()));
            // third, where a launch looks for it (ArchiveLayout.LAUNCHER_CLASSES_POSITION)
            zip.write(ArchiveLayout.LAUNCHER_CLASSES, LoaderRuntime.launcherClasses());
            for (InputFile launcher : LoaderRuntime.rootFiles(in.options().launcherAtRoot())) {
                zip.write(launcher.name(), launcher.read());
            }

            index.add(new Container(0, ArchiveLayout.CLASSES, 0, 0));
            Map<String, Long> sourceOffsets = new TreeMap<>();
            for (SourceFile source : app.shippedSources()) {
                sourceOffsets.put(source.name(), zip.write(ArchiveLayout.SOURCES + source.name(), source.bytes()).offset());
                progress.advance(source.bytes().length);
            }
            Application.Caches caches = new Application.Caches();
            List<WrittenFile> written = writeFiles(zip, in.files(), caches, progress);
            // The modules' ids wait for every class file, so the index's application entries are the pack's
            // serial tail: another thread adds them while this one copies the nested jars. The index is
            // only handed over, never shared: it is this thread's again after the join.
            Workers.Task<Application.Modules> indexed = in.workers().submit(() -> {
                Application.Modules all = app.modules(caches);
                indexFiles(index, in, all, sourceOffsets, written);
                return all;
            });
            List<ArchiveWriter.Written> jars = writeLibs(zip, in.libs(), progress);
            modules = indexed.join();
            entries = written.size() + indexLibs(index, in.libs(), jars);
            byte[] indexBytes = index.toBytes();
            long indexOffset = zip.write(ArchiveLayout.INDEX, indexBytes).offset();
            zip.finish(indexOffset, indexBytes);
            progress.finish();
        }
        return new PackResult(out, Files.size(file), entries, modules.sources().size(), in.libs().size(), in.mainClass(),
                in.compressor().deflated(), in.compressor().reused());
    }

    /**
     * An application file in the archive, with its SHA-256 and, for a cache, its source (else null), waiting
     * for its module to be indexed.
     */
    private record WrittenFile(String name, ArchiveWriter.Written written, byte[] sha256, String source) {
    }

    /**
     * Writes the application's files as they come, in name order.
     *
     * @param caches gets each cache: the modules, which the index entries need, are known only once all
     *               were read
     */
    private static List<WrittenFile> writeFiles(ArchiveWriter zip, PreparedFiles files, Application.Caches caches,
                                                PackProgress progress) throws IOException {
        List<WrittenFile> written = new ArrayList<>();
        for (PreparedFile f; (f = files.next()) != null; ) {
            written.add(new WrittenFile(f.name(), zip.write(ArchiveLayout.CLASSES + f.name(), f.entry()), f.sha256(),
                    f.source()));
            progress.advance(f.entry().size());
            caches.add(f);
        }
        return written;
    }

    private static void indexFiles(IndexWriter index, Inputs in, Application.Modules modules,
                                   Map<String, Long> sourceOffsets, List<WrittenFile> written) {
        Map<String, Integer> moduleIds = addModules(index, in.app(), modules, sourceOffsets, in.options());
        for (String source : sourceOffsets.keySet()) {
            index.declare(source, moduleIds.get(source));
        }
        for (Map.Entry<String, String> uncached : in.app().uncached().entrySet()) {
            index.declare(uncached.getKey(), moduleIds.get(uncached.getValue()));
        }
        for (WrittenFile f : written) {
            ArchiveWriter.Written w = f.written();
            index.add(new IndexedEntry(f.name(), 0, w.offset(), w.method(), w.compressedSize(), w.size(), w.crc32(),
                    f.source() == null ? -1 : moduleIds.get(f.source())), f.sha256());
        }
    }

    /** @return the archive entry a nested jar is copied to */
    private static String entryOf(NestedJar lib) {
        return ArchiveLayout.LIB + lib.path().getFileName();
    }

    /** Copies the nested jars. @return where each went, in order */
    private static List<ArchiveWriter.Written> writeLibs(ArchiveWriter zip, List<LibClassPath.Lib> libs,
                                                         PackProgress progress) throws IOException {
        List<ArchiveWriter.Written> written = new ArrayList<>(libs.size());
        for (LibClassPath.Lib lib : libs) {
            ArchiveWriter.Written w = zip.write(entryOf(lib.jar()), lib.jar().path(), lib.crc32().join());
            progress.advance(w.size());
            written.add(w);
        }
        return written;
    }

    /** @return the entries indexed in the nested jars, each jar {@code written} where it says */
    private static int indexLibs(IndexWriter index, List<LibClassPath.Lib> libs, List<ArchiveWriter.Written> written)
            throws IOException {
        int entries = 0;
        for (int i = 0; i < libs.size(); i++) {
            NestedJar lib = libs.get(i).jar();
            ArchiveWriter.Written w = written.get(i);
            index.add(new Container(i + 1, entryOf(lib), w.offset(), w.size()), libs.get(i).sha256().join());
            for (IndexedEntry e : lib.entries()) {
                try {
                    index.add(new IndexedEntry(e.name(), i + 1, w.offset() + e.dataOffset(), e.method(),
                            e.compressedSize(), e.size(), e.crc32(), -1));
                } catch (IllegalArgumentException unfit) {
                    // duplicates the strict check refused already: what is left is an entry the index cannot hold
                    throw new PackException(lib.path(), "--lib: " + unfit.getMessage(), unfit);
                }
                entries++;
            }
        }
        return entries;
    }

    private static Map<String, Integer> addModules(IndexWriter index, Application app, Application.Modules modules,
                                                   Map<String, Long> sourceOffsets, PackOptions options) {
        Map<String, Integer> ids = new HashMap<>();
        for (String source : modules.sources()) {
            int id = ids.size();
            ids.put(source, id);
            SourceFile shipped = app.sources().get(source);
            Long offset = sourceOffsets.get(source);
            index.add(new Module(id, source, offset == null ? -1 : offset, modeOf(source, shipped != null, app, options),
                    shipped == null ? new byte[Module.HASH_LENGTH] : shipped.sha256(),
                    shipped == null ? 0 : shipped.bytes().length,
                    shipped == null ? 0 : sourceTime(options.timestamp()),
                    modules.classVersionOf(source), app.release(), app.compilerOptions()));
        }
        return ids;
    }

    /** A module's mode: the options' (rules, then {@code --validation}), else the default; see {@link PackOptions}. */
    private static ValidationMode modeOf(String source, boolean shipped, Application app, PackOptions options) {
        if (!shipped) {
            return ValidationMode.TRUSTED;
        }
        return options.validationOf(source).orElseGet(() -> app.defaultModeOf(source));
    }

    /**
     * The time recorded for a shipped source: its archive entry's time as the zip holds it, DOS fields
     * of 2-second precision that equal the timestamp's UTC fields (see {@link ArchiveWriter}). This is the
     * only time a hermetic archive knows; {@code explode} gives the source file this time.
     */
    static long sourceTime(Instant timestamp) {
        long seconds = timestamp.getEpochSecond();
        return (seconds - Math.floorMod(seconds, 2)) * 1000;
    }

    /** @param compressed whether resources are compressed: then the manifest records how ({@link Deflated#ATTRIBUTE}) */
    private static byte[] manifest(String mainClass, Application app, boolean compressed) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(new Attributes.Name("Created-By"), "Hermetic Archive packer");
        main.put(Attributes.Name.MAIN_CLASS, Launcher.class.getName());
        main.put(new Attributes.Name(ArchiveLayout.START_CLASS), mainClass);
        if (app.compiled()) {
            main.put(new Attributes.Name(BUILD_JDK_SPEC), Integer.toString(Runtime.version().feature()));
        }
        String agent = app.manifest().map(m -> m.getMainAttributes().getValue(LAUNCHER_AGENT_CLASS)).orElse(null);
        if (agent != null) {
            agent = agent.trim();
            // the JVM loads Launcher-Agent-Class with the system class loader: the agent launcher opens the
            // archive's loader (shared with the launcher) and calls the application's agent through it
            main.put(new Attributes.Name(LAUNCHER_AGENT_CLASS), AgentLauncher.class.getName());
            main.put(new Attributes.Name(AgentLauncher.AGENT_CLASS), agent);
        }
        app.manifest().ifPresent(m -> {
            for (String carried : m.getMainAttributes().getValue(LAUNCHER_AGENT_CLASS) == null
                    ? CARRIED_ATTRIBUTES : CARRIED_WITH_AGENT) {
                String value = m.getMainAttributes().getValue(carried);
                if (value != null) {
                    main.put(new Attributes.Name(carried), value);
                }
            }
        });
        if (compressed) {
            main.put(new Attributes.Name(Deflated.ATTRIBUTE), Deflated.fingerprint());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        manifest.write(bytes);
        return bytes.toByteArray();
    }
}
