package dev.hermetic.benchmarks;

import dev.hermetic.benchmarks.ChildJvms.Command;
import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The start-up harness for real applications, as published on Maven Central: the directories under
 * {@code benchmarks/real-apps/} whose {@code target/lib/} holds an application's jars and their
 * dependencies ({@code mvn -B -q -f benchmarks/real-apps/pom.xml clean package} copies them there) and whose
 * {@code app.properties} says how to launch it: {@code main} (the main class), {@code app} (the file in
 * {@code lib/} that is the application; the others are its dependencies) and {@code arg.1},
 * {@code arg.2}, ... (its arguments; the harness runs from the project's root).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.hermetic.benchmarks.RealAppBenchmark \
 *     [--apps h2,checkstyle] [--runs 10] [--caches none,cds,jdk25,aot] \
 *     [--jdk25 /usr/lib/jvm/temurin-25-jdk-amd64] [--dir benchmarks/target/real-apps]
 * </pre>
 *
 * Variants: {@code cp-jars} ({@code java -cp} of the jars as published), {@code spring-boot} (its
 * executable jar, {@code JarLauncher}), {@code ours-trusted} (the application jar as the application, the
 * dependencies nested as published, so their classes stay DEFLATED) and {@code ours-trusted-stored}
 * (the dependencies rewritten STORED first). The caches, their training and the interleaving are
 * {@link ChildJvms}'s, as for {@link StartupBenchmark}. Only whole-process wall time is measured: a
 * real application prints no loading time of its own; every variant must exit with 0, and print what
 * {@code cp-jars} prints, digits aside (timings). Costs: one run of each variant to check its output,
 * one training run per variant for each of {@code cds} and {@code aot}, then {@code runs + 1} runs of
 * each variant per cache.
 */
public final class RealAppBenchmark {
    static final List<String> VARIANTS = List.of("cp-jars", "spring-boot", "ours-trusted", "ours-trusted-stored");

    private RealAppBenchmark() {
    }

    /** One application: its jars, its main class, its arguments. */
    record RealApp(String name, Path app, List<Path> deps, String main, List<String> args) {
        /** Reads {@code DIR/app.properties} and lists {@code DIR/target/lib/}. */
        static RealApp read(Path dir) throws IOException {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(dir.resolve("app.properties"))) {
                p.load(in);
            }
            Path lib = dir.resolve("target/lib");
            if (!Files.isDirectory(lib)) {
                throw new IllegalStateException("no " + lib + ": run mvn -B -q -f benchmarks/real-apps/pom.xml clean package");
            }
            Path app = lib.resolve(required(p, "app", dir));
            String main = required(p, "main", dir);
            if (!Files.isRegularFile(app)) {
                // a version bumped in the POM and not here, or the other way round
                throw new IllegalStateException(dir.resolve("app.properties") + ": app=" + app.getFileName()
                        + ", which " + lib + " does not hold: run mvn -B -q -f benchmarks/real-apps/pom.xml clean package,"
                        + " or name the jar its pom.xml fetches");
            }
            List<Path> deps;
            try (Stream<Path> files = Files.list(lib)) {
                deps = files.filter(f -> f.toString().endsWith(".jar") && !f.equals(app)).sorted().toList();
            }
            List<String> args = new ArrayList<>();
            for (int i = 1; p.getProperty("arg." + i) != null; i++) {
                args.add(p.getProperty("arg." + i));
            }
            return new RealApp(dir.getFileName().toString(), app, deps, main, args);
        }

        private static String required(Properties p, String key, Path dir) {
            String value = p.getProperty(key);
            if (value == null) {
                throw new IllegalStateException(dir.resolve("app.properties") + " has no " + key);
            }
            return value;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = ChildJvms.options(args, List.of("--apps"));
        ChildJvms.Settings settings = ChildJvms.Settings.of(options, "benchmarks/target/real-apps");
        for (String name : options.getOrDefault("--apps", "h2,checkstyle").split(",")) {
            measure(RealApp.read(Path.of("benchmarks/real-apps", name)), settings);
        }
    }

    private static void measure(RealApp app, ChildJvms.Settings settings) throws Exception {
        int runs = settings.runs();
        Path work = Files.createDirectories(settings.dir().resolve(app.name()));
        Map<String, List<String>> argsOf = new LinkedHashMap<>();
        for (String v : VARIANTS) {
            argsOf.put(v, build(v, app, work));
        }
        String expected = ChildJvms.run(settings.java17(), List.of(), argsOf.get("cp-jars"));
        for (Map.Entry<String, List<String>> v : argsOf.entrySet()) {
            if (!v.getKey().equals("cp-jars")) {
                String output = ChildJvms.run(settings.java17(), List.of(), v.getValue());
                if (!digitless(output).equals(digitless(expected))) {
                    throw new IllegalStateException(v.getKey() + " of " + app.name() + " printed other than cp-jars:\n"
                            + output + "\ncp-jars printed:\n" + expected);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n## %s: %s %s (%d dependency jars)%n", app.name(), app.main(),
                String.join(" ", app.args()), app.deps().size());
        Map<String, String> unavailable = new LinkedHashMap<>();
        List<Command> commands = ChildJvms.commands(settings, argsOf, work, unavailable);
        Map<String, long[]> wall = ChildJvms.slots(commands, runs);
        StringBuilder csv = new StringBuilder("round,variant,cache,wall_ns\n");
        ChildJvms.interleave(commands, runs, (round, c, w, output) -> {
            wall.get(c.key())[round] = w;
            csv.append(round).append(',').append(c.variant()).append(',').append(c.cache()).append(',')
                    .append(w).append('\n');
        });
        Files.writeString(work.resolve("runs.csv"), csv);
        System.out.printf(Locale.ROOT, "%d runs per row after one warm-up round, load average now %s; "
                + "ratios to rows of the same JDK without a cache; gain = same variant without cache ÷ with%n%n",
                runs, ChildJvms.loadAverage());
        System.out.println("| variant | cache | wall ms | × cp-jars | × spring-boot | gain |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (Command c : commands) {
            double w = ChildJvms.median(wall.get(c.key()));
            System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %s | %s | %s |%n", c.variant(), c.cache(), w / 1e6,
                    ChildJvms.ratio(w, wall.get(c.baseKey("cp-jars"))),
                    ChildJvms.ratio(w, wall.get(c.baseKey("spring-boot"))),
                    ChildJvms.gain(c, w, wall));
        }
        ChildJvms.printUnavailable(unavailable, 6);
    }

    /** Builds what variant {@code v} runs and returns its java arguments. */
    private static List<String> build(String v, RealApp app, Path work) throws IOException {
        List<String> java = new ArrayList<>();
        switch (v) {
            case "cp-jars" -> {
                List<String> path = new ArrayList<>(List.of(app.app().toString()));
                app.deps().forEach(d -> path.add(d.toString()));
                java.addAll(List.of("-cp", String.join(File.pathSeparator, path), app.main()));
            }
            case "spring-boot" -> java.addAll(List.of("-jar",
                    StartupBenchmark.springBoot(app.app(), app.deps(), app.main(), work.resolve(v + ".jar")).toString()));
            case "ours-trusted" -> java.addAll(List.of("-jar", pack(app, app.deps(), work.resolve(v + ".jar")).toString()));
            case "ours-trusted-stored" -> {
                List<Path> stored = new ArrayList<>();
                Path storedDir = Files.createDirectories(work.resolve("stored"));
                for (Path dep : app.deps()) {
                    stored.add(storedCopy(dep, storedDir.resolve(dep.getFileName())));
                }
                java.addAll(List.of("-jar", pack(app, stored, work.resolve(v + ".jar")).toString()));
            }
            default -> throw new IllegalArgumentException("unknown variant " + v + "; known: " + VARIANTS);
        }
        java.addAll(app.args());
        return java;
    }

    private static Path pack(RealApp app, List<Path> deps, Path out) throws IOException {
        PackOptions.Builder options = PackOptions.builder().addApp(app.app()).mainClass(app.main()).out(out);
        deps.forEach(options::addLib);
        Packer.pack(options.build());
        return out;
    }

    /** The jar with every entry STORED, in the same order, names and bytes unchanged. */
    static Path storedCopy(Path jar, Path out) throws IOException {
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream file = Files.newOutputStream(out);
             ZipOutputStream zip = new ZipOutputStream(file)) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                byte[] bytes;
                try (InputStream body = in.getInputStream(entry)) {
                    bytes = body.readAllBytes();
                }
                ZipEntry stored = new ZipEntry(entry.getName());
                stored.setMethod(ZipEntry.STORED);
                stored.setTime(entry.getTime());
                SyntheticApp.put(zip, stored, bytes);
            }
        }
        return out;
    }

    /** An output with its digits taken out: run-to-run timings aside, what the application printed. */
    private static String digitless(String output) {
        return output.replaceAll("[0-9]+", "#");
    }
}
