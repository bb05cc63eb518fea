package dev.hermetic.benchmarks;

import dev.hermetic.loader.archive.ValidationMode;
import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The start-up harness: generates an application of {@code --classes} classes, packs it once per
 * validation variant, and runs each variant {@code --runs} times in child JVMs, interleaved (one run of
 * every variant, then the next round), so that the machine's noise falls on all variants alike. Reports
 * medians of whole-process wall time and of the in-process time to load and initialise every class,
 * and their ratio to {@code trusted}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.hermetic.benchmarks.StartupBenchmark [--classes 200] [--runs 10]
 * </pre>
 *
 * Variants: plain {@code java -cp} of the classes (reference); the archive with every module
 * {@code trusted}, {@code checked}, {@code timestamp}; sources only, compiled on first use with no
 * compile cache; and the same with the compile cache filled by an earlier run (cache hit).
 */
public final class StartupBenchmark {
    private StartupBenchmark() {
    }

    /** @param args {@code --classes N --runs R --dir DIR} */
    public static void main(String[] args) throws Exception {
        int classes = 200;
        int runs = 10;
        Path dir = Path.of("benchmarks/target/startup");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--classes" -> classes = Integer.parseInt(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(dir);
        Path sources = generate(dir.resolve("src"), classes);
        Path compiled = compile(sources, dir.resolve("classes"));
        Path cache = dir.resolve("compile-cache");
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("java -cp (reference)", List.of("-cp", compiled.toString(), "bench.Main"));
        variants.put("trusted", jar(pack(dir, "trusted", PackOptions.builder().addSources(sources))));
        variants.put("checked", jar(pack(dir, "checked", PackOptions.builder().addApp(compiled).addSources(sources)
                .validation(ValidationMode.CHECKED))));
        variants.put("timestamp", jar(pack(dir, "timestamp", PackOptions.builder().addApp(compiled).addSources(sources)
                .validation(ValidationMode.TIMESTAMP))));
        Path sourcesOnly = pack(dir, "sources-only", PackOptions.builder().addSources(sources).caches(false));
        variants.put("compile on first use", with("-Dhermetic.cache.dir=none", jar(sourcesOnly)));
        List<String> cacheHit = with("-Dhermetic.cache.dir=" + cache, jar(sourcesOnly));
        run(cacheHit); // fills the compile cache
        variants.put("compile cache hit", cacheHit);

        Map<String, long[]> wall = new LinkedHashMap<>();
        Map<String, long[]> load = new LinkedHashMap<>();
        for (String name : variants.keySet()) {
            wall.put(name, new long[runs]);
            load.put(name, new long[runs]);
        }
        for (int round = 0; round < runs; round++) {
            for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
                long start = System.nanoTime();
                String output = run(variant.getValue());
                wall.get(variant.getKey())[round] = System.nanoTime() - start;
                load.get(variant.getKey())[round] = Long.parseLong(output.lines().filter(l -> l.startsWith("loaded "))
                        .findFirst().orElseThrow().split(" ")[3]);
            }
        }
        double trustedWall = median(wall.get("trusted"));
        double trustedLoad = median(load.get("trusted"));
        System.out.printf(Locale.ROOT, "%d classes, %d runs per variant, JDK %s, %d cores%n%n", classes, runs,
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.println("| variant | wall ms (median) | × trusted | load+init ms (median) | × trusted |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (String name : variants.keySet()) {
            double w = median(wall.get(name));
            double l = median(load.get(name));
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.2f | %.1f | %.2f |%n", name, w / 1e6, w / trustedWall,
                    l / 1e6, l / trustedLoad);
        }
    }

    /** Classes {@code bench.pK.Cn} with a little state and code each, and a main that loads them all. */
    private static Path generate(Path sources, int classes) throws IOException {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < classes; i++) {
            String pkg = "bench.p" + (i / 50);
            Path file = sources.resolve(pkg.replace('.', '/')).resolve("C" + i + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "package " + pkg + ";\n"
                    + "public class C" + i + " {\n"
                    + "    static final int SEED = " + i + ";\n"
                    + "    private final String name;\n"
                    + "    private final long value;\n"
                    + "    public C" + i + "(String name, long value) { this.name = name; this.value = value; }\n"
                    + "    public String name() { return name; }\n"
                    + "    public long value() { return value * SEED; }\n"
                    + "    @Override public String toString() { return \"C" + i + "[\" + name + \", \" + value + \"]\"; }\n"
                    + "    public static int seed() { return SEED; }\n"
                    + "}\n", StandardCharsets.UTF_8);
            names.append('"').append(pkg).append(".C").append(i).append("\",");
        }
        Path main = sources.resolve("bench/Main.java");
        Files.createDirectories(main.getParent());
        Files.writeString(main, "package bench;\n"
                + "public class Main {\n"
                + "    static final String[] NAMES = {" + names + "};\n"
                + "    public static void main(String[] args) throws Exception {\n"
                + "        long start = System.nanoTime();\n"
                + "        long sum = 0;\n"
                + "        for (String name : NAMES) {\n"
                + "            sum += Class.forName(name).getMethod(\"seed\").hashCode() & 1;\n"
                + "        }\n"
                + "        System.out.println(\"loaded \" + NAMES.length + \" classes \" + (System.nanoTime() - start) + \" ns \" + sum);\n"
                + "    }\n"
                + "}\n", StandardCharsets.UTF_8);
        return sources;
    }

    private static Path compile(Path sources, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
        try (var files = Files.walk(sources)) {
            files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().forEach(args::add);
        }
        if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("the generated application does not compile");
        }
        return classes;
    }

    private static Path pack(Path dir, String name, PackOptions.Builder options) throws IOException {
        Path out = dir.resolve(name + ".jar");
        Packer.pack(options.out(out).mainClass("bench.Main").build());
        return out;
    }

    private static List<String> jar(Path archive) {
        return List.of("-jar", archive.toString());
    }

    private static List<String> with(String option, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(option);
        all.addAll(rest);
        return all;
    }

    private static String run(List<String> javaArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.addAll(javaArgs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
