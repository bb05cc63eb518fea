package dev.hermetic.benchmarks;

import dev.hermetic.benchmarks.ChildJvms.Command;
import dev.hermetic.loader.archive.ValidationMode;
import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.springframework.boot.loader.tools.Library;
import org.springframework.boot.loader.tools.LibraryScope;
import org.springframework.boot.loader.tools.Repackager;

/**
 * The start-up harness. For each size it generates (or finds cached) the synthetic protobuf-shaped
 * application of {@link SyntheticApp}, builds every variant of it once, prepares the JDK caches, and
 * runs every variant × cache in child JVMs {@code --runs} times, interleaved: one run of each, in an order
 * rotated every round, so that the machine's noise falls on all alike. One warm-up round is discarded.
 * Reports medians of whole-process wall time and of the in-process time to load and initialise every
 * class ({@code bench.Main} prints it), with ratios, as a Markdown table, and every run to
 * {@code DIR/SIZE/runs.csv}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.hermetic.benchmarks.StartupBenchmark \
 *     [--sizes 1000,10000] [--runs 10] [--variants cp-jars,ours-trusted,...] [--caches none,cds,jdk25,aot] \
 *     [--jdk25 /usr/lib/jvm/temurin-25-jdk-amd64] [--dir benchmarks/target/startup]
 * </pre>
 *
 * Variants ({@link #VARIANTS}): plain {@code java -cp} of the jars (DEFLATED, as built), of the exploded
 * class directories; Spring Boot's executable jar ({@code Repackager}, {@code JarLauncher}); our archive
 * {@code trusted} with the dependency jars nested as built (their classes DEFLATED) and with them STORED,
 * each also with a preload list recorded by a training run ({@code -preload}: the loader defines the
 * listed classes ahead on a second thread), {@code checked} and {@code timestamp} (the application module ships its sources; the dependencies have
 * none and stay trusted); and the floor ({@link FloorLauncher}). Caches: {@code none} and {@code cds}
 * (a dynamic CDS archive dumped by one training run with {@code -XX:ArchiveClassesAtExit}, used with
 * {@code -XX:SharedArchiveFile}) on the running JDK; {@code jdk25} (no cache) and {@code aot}
 * ({@code -XX:AOTCacheOutput} training run, then {@code -XX:AOTCache}) on JDK 25 when present. A variant
 * whose cache cannot be made (the JDK refuses directories on the class path) is reported as such.
 * Opt-in variants ({@link #EXTRA_VARIANTS}): the application shipped as sources only, compiled on first
 * use with no compile cache, and with the compile cache filled by an earlier run.
 */
public final class StartupBenchmark {
    static final List<String> VARIANTS = List.of("cp-jars", "cp-exploded", "spring-boot", "ours-trusted",
            "ours-trusted-stored", "ours-trusted-preload", "ours-stored-preload", "ours-checked", "ours-timestamp",
            "floor");
    /** Opt-in ({@code --variants}): sources only, compiled on first use, without and with a filled compile cache. */
    static final List<String> EXTRA_VARIANTS = List.of("ours-compile-first-use", "ours-compile-cache-hit");

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = ChildJvms.options(args, List.of("--sizes", "--classes", "--variants"));
        String sizes = options.getOrDefault("--sizes", options.getOrDefault("--classes", "1000"));
        List<String> variants = options.containsKey("--variants") ? List.of(options.get("--variants").split(","))
                : VARIANTS;
        for (String v : variants) {
            if (!VARIANTS.contains(v) && !EXTRA_VARIANTS.contains(v)) {
                throw new IllegalArgumentException("unknown variant " + v + "; known: " + VARIANTS + " " + EXTRA_VARIANTS);
            }
        }
        ChildJvms.Settings settings = ChildJvms.Settings.of(options, "benchmarks/target/startup");
        for (String size : sizes.split(",")) {
            measure(settings, Integer.parseInt(size), variants);
        }
    }

    private static void measure(ChildJvms.Settings settings, int size, List<String> variants) throws Exception {
        int runs = settings.runs();
        long t0 = System.nanoTime();
        SyntheticApp app = SyntheticApp.create(Path.of("benchmarks/target/apps"), size);
        Path work = Files.createDirectories(settings.dir().resolve(Integer.toString(size)));
        long t1 = System.nanoTime();
        Map<String, List<String>> argsOf = new LinkedHashMap<>();
        for (String v : variants) {
            argsOf.put(v, build(v, app, work, settings.java17()));
        }
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "%n## %d classes (app %s; generate+compile %d ms, cached after the first run;"
                        + " build variants %d ms)%n", size, app.root, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        Map<String, String> unavailable = new LinkedHashMap<>();
        List<Command> commands = ChildJvms.commands(settings, argsOf, work, unavailable);
        Map<String, long[]> wall = ChildJvms.slots(commands, runs);
        Map<String, long[]> load = ChildJvms.slots(commands, runs);
        StringBuilder csv = new StringBuilder("round,variant,cache,wall_ns,load_ns\n");
        ChildJvms.interleave(commands, runs, (round, c, w, output) -> {
            long l = Long.parseLong(output.lines().filter(line -> line.startsWith("loaded ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(c.key() + " printed no timing:\n" + output))
                    .split(" ")[3]);
            wall.get(c.key())[round] = w;
            load.get(c.key())[round] = l;
            csv.append(round).append(',').append(c.variant()).append(',').append(c.cache()).append(',')
                    .append(w).append(',').append(l).append('\n');
        });
        Files.writeString(work.resolve("runs.csv"), csv);
        int classes = Math.max(1, size);
        System.out.printf(Locale.ROOT, "%d runs per row after one warm-up round, load average now %s; "
                + "ratios to rows of the same JDK without a cache; gain = same variant without cache ÷ with%n%n",
                runs, ChildJvms.loadAverage());
        System.out.println("| variant | cache | wall ms | wall × cp-jars | load+init ms | µs/class | load × floor"
                + " | load × cp-jars | load × ours-trusted | gain wall | gain load |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Command c : commands) {
            double w = ChildJvms.median(wall.get(c.key()));
            double l = ChildJvms.median(load.get(c.key()));
            System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %s | %.1f | %.1f | %s | %s | %s | %s | %s |%n",
                    c.variant(), c.cache(), w / 1e6, ChildJvms.ratio(w, wall.get(c.baseKey("cp-jars"))), l / 1e6,
                    l / 1e3 / classes, ChildJvms.ratio(l, load.get(c.baseKey("floor"))),
                    ChildJvms.ratio(l, load.get(c.baseKey("cp-jars"))),
                    ChildJvms.ratio(l, load.get(c.baseKey("ours-trusted"))),
                    ChildJvms.gain(c, w, wall), ChildJvms.gain(c, l, load));
        }
        ChildJvms.printUnavailable(unavailable, 11);
    }

    /** Builds what variant {@code v} runs and returns its java arguments. */
    private static List<String> build(String v, SyntheticApp app, Path work, Path java)
            throws IOException, InterruptedException {
        String sep = File.pathSeparator;
        List<String> modules = SyntheticApp.modules();
        return switch (v) {
            case "cp-jars" -> List.of("-cp", String.join(sep, modules.stream().map(m -> app.jar(m).toString()).toList()),
                    "bench.Main");
            case "cp-exploded" -> List.of("-cp", String.join(sep, modules.stream()
                    .map(m -> app.classesDir(m).toString()).toList()), "bench.Main");
            case "spring-boot" -> List.of("-jar", springBoot(app.jar("app"), app.depJars(false), "bench.Main",
                    work.resolve("spring-boot.jar")).toString());
            case "ours-trusted" -> jar(pack(work, v, PackOptions.builder().addApp(app.jar("app")), app.depJars(false)));
            case "ours-trusted-stored" -> jar(pack(work, v, PackOptions.builder().addApp(app.jar("app")),
                    app.depJars(true)));
            case "ours-trusted-preload" -> jar(packWithPreloadList(work, v, app, app.depJars(false), java));
            case "ours-stored-preload" -> jar(packWithPreloadList(work, v, app, app.depJars(true), java));
            case "ours-checked" -> jar(pack(work, v, PackOptions.builder().addApp(app.jar("app"))
                    .addSources(app.sources("app")).validation(ValidationMode.CHECKED), app.depJars(false)));
            case "ours-timestamp" -> jar(pack(work, v, PackOptions.builder().addApp(app.jar("app"))
                    .addSources(app.sources("app")).validation(ValidationMode.TIMESTAMP), app.depJars(false)));
            case "floor" -> {
                List<String> a = new ArrayList<>(List.of("-cp", floorJar(work).toString(),
                        FloorLauncher.class.getName(), "bench.Main"));
                modules.forEach(m -> a.add(app.storedJar(m).toString()));
                yield a;
            }
            case "ours-compile-first-use" -> with("-Dhermetic.cache.dir=none", jar(pack(work, "sources-only",
                    PackOptions.builder().addSources(sourcesWithList(app, work)).caches(false), app.depJars(false))));
            case "ours-compile-cache-hit" -> {
                List<String> a = with("-Dhermetic.cache.dir=" + work.resolve("compile-cache").toAbsolutePath(),
                        jar(pack(work, "sources-only", PackOptions.builder().addSources(sourcesWithList(app, work)).caches(false),
                                app.depJars(false))));
                ChildJvms.run(java, List.of(), a); // fills the cache
                yield a;
            }
            default -> throw new IllegalArgumentException(v);
        };
    }

    /**
     * The archive with a preload list, made as a user makes it: a training run of the archive without
     * one writes the list ({@code -Dhermetic.preload.record}), which goes into the application jar as
     * the resource {@code META-INF/hermetic/preload.list}, and the archive is packed again.
     */
    private static Path packWithPreloadList(Path work, String name, SyntheticApp app, List<Path> libs, Path java)
            throws IOException, InterruptedException {
        Path training = pack(work, name + "-training", PackOptions.builder().addApp(app.jar("app")), libs);
        Path list = work.resolve(name + ".list");
        ChildJvms.run(java, List.of(), List.of("-Dhermetic.preload.record=" + list, "-jar", training.toString()));
        Path appJar = work.resolve(name + "-app.jar");
        try (ZipFile in = new ZipFile(app.jar("app").toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(appJar))) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream bytes = in.getInputStream(entry)) {
                    bytes.transferTo(out);
                }
            }
            out.putNextEntry(new ZipEntry("META-INF/hermetic/preload.list"));
            Files.copy(list, out);
        }
        return pack(work, name, PackOptions.builder().addApp(appJar), libs);
    }

    private static Path pack(Path work, String name, PackOptions.Builder options, List<Path> libs) throws IOException {
        Path out = work.resolve(name + ".jar");
        libs.forEach(options::addLib);
        Packer.pack(options.out(out).mainClass("bench.Main").build());
        return out;
    }

    /** Spring Boot's executable jar: the application jar repackaged with its dependencies in BOOT-INF/lib. */
    static Path springBoot(Path appJar, List<Path> deps, String mainClass, Path out) throws IOException {
        Files.deleteIfExists(out);
        Repackager repackager = new Repackager(appJar.toFile());
        repackager.setBackupSource(false);
        repackager.setMainClass(mainClass);
        repackager.repackage(out.toFile(), callback -> {
            for (Path dep : deps) {
                callback.library(new Library(dep.toFile(), LibraryScope.RUNTIME));
            }
        });
        return out;
    }

    private static Path floorJar(Path work) throws IOException {
        Path out = work.resolve("floor.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream raw = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(raw, manifest)) {
            for (Map.Entry<String, byte[]> e : new TreeMap<>(FloorLauncher.classFiles()).entrySet()) {
                jar.putNextEntry(new ZipEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        }
        return out;
    }

    /** The app's sources with {@code bench/classes.txt} beside them, as a sources-only archive needs it. */
    private static Path sourcesWithList(SyntheticApp app, Path work) throws IOException {
        Path copy = work.resolve("sources-app");
        SyntheticApp.deleteTree(copy);
        Path from = app.sources("app");
        try (var files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = copy.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Files.copy(app.classesDir("app").resolve("bench/classes.txt"), copy.resolve("bench/classes.txt"));
        return copy;
    }

    private static List<String> with(String option, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(option);
        all.addAll(rest);
        return all;
    }

    private static List<String> jar(Path archive) {
        return List.of("-jar", archive.toString());
    }
}
