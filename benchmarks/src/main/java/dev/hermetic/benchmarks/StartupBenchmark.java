package dev.hermetic.benchmarks;

import dev.hermetic.loader.archive.ValidationMode;
import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
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
    static final List<String> CACHES = List.of("none", "cds", "jdk25", "aot");

    private StartupBenchmark() {
    }

    /** One child JVM command: which java, the arguments after the cache options. */
    private record Command(String variant, String cache, Path java, List<String> cacheOptions, List<String> args) {
        String key() {
            return variant + " / " + cache;
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(1000);
        int runs = 10;
        List<String> variants = VARIANTS;
        List<String> caches = CACHES;
        Path dir = Path.of("benchmarks/target/startup");
        Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--sizes", "--classes" -> sizes = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
                case "--runs" -> runs = Integer.parseInt(value);
                case "--variants" -> variants = List.of(value.split(","));
                case "--caches" -> caches = List.of(value.split(","));
                case "--jdk25" -> jdk25 = Path.of(value);
                case "--dir" -> dir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        for (String v : variants) {
            if (!VARIANTS.contains(v) && !EXTRA_VARIANTS.contains(v)) {
                throw new IllegalArgumentException("unknown variant " + v + "; known: " + VARIANTS + " " + EXTRA_VARIANTS);
            }
        }
        Path java17 = Path.of(System.getProperty("java.home"), "bin", "java");
        Path java25 = jdk25.resolve("bin/java");
        if (!Files.isExecutable(java25)) {
            System.out.println("no JDK 25 at " + jdk25 + ": skipping the jdk25 and aot caches");
            caches = caches.stream().filter(c -> !c.equals("jdk25") && !c.equals("aot")).toList();
        }
        System.out.printf(Locale.ROOT, "JDK %s (%s), JDK 25: %s, %d cores, load average at start %s%n",
                Runtime.version(), System.getProperty("java.vendor"), Files.isExecutable(java25) ? version(java25) : "none",
                Runtime.getRuntime().availableProcessors(), loadAverage());
        for (int size : sizes) {
            measure(dir, size, runs, variants, caches, java17, java25);
        }
    }

    private static void measure(Path dir, int size, int runs, List<String> variants, List<String> caches,
                                Path java17, Path java25) throws Exception {
        long t0 = System.nanoTime();
        SyntheticApp app = SyntheticApp.create(Path.of("benchmarks/target/apps"), size);
        Path work = Files.createDirectories(dir.resolve(Integer.toString(size)));
        long t1 = System.nanoTime();
        Map<String, List<String>> argsOf = new LinkedHashMap<>();
        for (String v : variants) {
            argsOf.put(v, build(v, app, work));
        }
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "%n## %d classes (app %s; generate+compile %d ms, cached after the first run;"
                        + " build variants %d ms)%n", size, app.root, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        List<Command> commands = new ArrayList<>();
        Map<String, String> unavailable = new LinkedHashMap<>();
        for (String cache : caches) {
            for (String v : variants) {
                Path java = cache.equals("jdk25") || cache.equals("aot") ? java25 : java17;
                List<String> options = switch (cache) {
                    case "cds" -> prepare(java, work.resolve(v + ".jsa"), "-XX:ArchiveClassesAtExit=",
                            "-XX:SharedArchiveFile=", argsOf.get(v), unavailable, v + " / " + cache);
                    case "aot" -> prepare(java, work.resolve(v + ".aot"), "-XX:AOTCacheOutput=", "-XX:AOTCache=",
                            argsOf.get(v), unavailable, v + " / " + cache);
                    default -> List.of();
                };
                if (options != null) {
                    commands.add(new Command(v, cache, java, options, argsOf.get(v)));
                }
            }
        }
        Map<String, long[]> wall = new LinkedHashMap<>();
        Map<String, long[]> load = new LinkedHashMap<>();
        for (Command c : commands) {
            wall.put(c.key(), new long[runs]);
            load.put(c.key(), new long[runs]);
        }
        StringBuilder csv = new StringBuilder("round,variant,cache,wall_ns,load_ns\n");
        for (int round = -1; round < runs; round++) {
            for (int k = 0; k < commands.size(); k++) {
                Command c = commands.get((k + Math.max(round, 0)) % commands.size());
                long start = System.nanoTime();
                String output = run(c.java(), c.cacheOptions(), c.args());
                long w = System.nanoTime() - start;
                long l = Long.parseLong(output.lines().filter(line -> line.startsWith("loaded ")).findFirst()
                        .orElseThrow(() -> new IllegalStateException(c.key() + " printed no timing:\n" + output))
                        .split(" ")[3]);
                if (round >= 0) {
                    wall.get(c.key())[round] = w;
                    load.get(c.key())[round] = l;
                    csv.append(round).append(',').append(c.variant()).append(',').append(c.cache()).append(',')
                            .append(w).append(',').append(l).append('\n');
                }
            }
        }
        Files.writeString(work.resolve("runs.csv"), csv);
        int classes = Math.max(1, size);
        System.out.printf(Locale.ROOT, "%d runs per row after one warm-up round, load average now %s; "
                + "ratios to rows of the same JDK without a cache; gain = same variant without cache ÷ with%n%n",
                runs, loadAverage());
        System.out.println("| variant | cache | wall ms | wall × cp-jars | load+init ms | µs/class | load × floor"
                + " | load × cp-jars | load × ours-trusted | gain wall | gain load |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Command c : commands) {
            String base = c.cache().equals("jdk25") || c.cache().equals("aot") ? "jdk25" : "none";
            double w = median(wall.get(c.key()));
            double l = median(load.get(c.key()));
            String uncached = c.variant() + " / " + base;
            System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %s | %.1f | %.1f | %s | %s | %s | %s | %s |%n",
                    c.variant(), c.cache(), w / 1e6, ratio(w, wall.get("cp-jars / " + base)), l / 1e6,
                    l / 1e3 / classes, ratio(l, load.get("floor / " + base)), ratio(l, load.get("cp-jars / " + base)),
                    ratio(l, load.get("ours-trusted / " + base)),
                    c.cache().equals(base) ? "" : inverse(w, wall.get(uncached)),
                    c.cache().equals(base) ? "" : inverse(l, load.get(uncached)));
        }
        for (Map.Entry<String, String> u : unavailable.entrySet()) {
            System.out.println("| " + u.getKey().replace(" / ", " | ") + " | n/a: " + u.getValue() + " ||||||||");
        }
    }

    private static String ratio(double value, long[] reference) {
        return reference == null ? "" : String.format(Locale.ROOT, "%.2f", value / median(reference));
    }

    private static String inverse(double value, long[] uncached) {
        return uncached == null ? "" : String.format(Locale.ROOT, "%.2f", median(uncached) / value);
    }

    /** Builds what variant {@code v} runs and returns its java arguments. */
    private static List<String> build(String v, SyntheticApp app, Path work) throws IOException {
        String sep = File.pathSeparator;
        List<String> modules = SyntheticApp.modules();
        return switch (v) {
            case "cp-jars" -> List.of("-cp", String.join(sep, modules.stream().map(m -> app.jar(m).toString()).toList()),
                    "bench.Main");
            case "cp-exploded" -> List.of("-cp", String.join(sep, modules.stream()
                    .map(m -> app.classesDir(m).toString()).toList()), "bench.Main");
            case "spring-boot" -> List.of("-jar", springBoot(app, work.resolve("spring-boot.jar")).toString());
            case "ours-trusted" -> jar(pack(work, v, PackOptions.builder().addApp(app.jar("app")), app.depJars(false)));
            case "ours-trusted-stored" -> jar(pack(work, v, PackOptions.builder().addApp(app.jar("app")),
                    app.depJars(true)));
            case "ours-trusted-preload" -> jar(packWithPreloadList(work, v, app, app.depJars(false)));
            case "ours-stored-preload" -> jar(packWithPreloadList(work, v, app, app.depJars(true)));
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
                try {
                    run(Path.of(System.getProperty("java.home"), "bin", "java"), List.of(), a); // fills the cache
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
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
    private static Path packWithPreloadList(Path work, String name, SyntheticApp app, List<Path> libs)
            throws IOException {
        Path training = pack(work, name + "-training", PackOptions.builder().addApp(app.jar("app")), libs);
        Path list = work.resolve(name + ".list");
        try {
            run(Path.of(System.getProperty("java.home"), "bin", "java"), List.of(),
                    List.of("-Dhermetic.preload.record=" + list, "-jar", training.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
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

    /** Spring Boot's executable jar: the application jar repackaged with the dependencies in BOOT-INF/lib. */
    static Path springBoot(SyntheticApp app, Path out) throws IOException {
        Files.deleteIfExists(out);
        Repackager repackager = new Repackager(app.jar("app").toFile());
        repackager.setBackupSource(false);
        repackager.repackage(out.toFile(), callback -> {
            for (Path dep : app.depJars(false)) {
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

    /**
     * Runs the training run that writes {@code file} and returns the options that use it, or null (and
     * why in {@code unavailable}) when the JDK wrote no file.
     */
    private static List<String> prepare(Path java, Path file, String dump, String use, List<String> args,
                                         Map<String, String> unavailable, String key) throws Exception {
        Files.deleteIfExists(file);
        String output;
        try {
            output = run(java, List.of(dump + file), args);
        } catch (IllegalStateException e) {
            output = e.getMessage();
        }
        if (!Files.isRegularFile(file)) {
            String why = String.join(" ", output.lines().filter(l -> l.contains("rror") || l.contains("warning")
                    || l.contains("Option")).limit(2).toList()).replace('|', '/');
            unavailable.put(key, why);
            return null;
        }
        return List.of(use + file);
    }

    private static String run(Path java, List<String> cacheOptions, List<String> javaArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(cacheOptions);
        command.addAll(javaArgs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    private static String version(Path java) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().skip(1).findFirst().orElse("?").trim();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
