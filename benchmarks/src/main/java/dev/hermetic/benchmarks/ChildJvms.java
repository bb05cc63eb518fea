package dev.hermetic.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the start-up harnesses share: child JVM commands for every variant × cache (the JDK's caches
 * made by one training run each), run in interleaved rounds (one run of each per round, the order rotated
 * every round, one warm-up round discarded) so that the machine's noise falls on all alike.
 */
final class ChildJvms {
    static final List<String> CACHES = List.of("none", "cds", "jdk25", "aot");

    private ChildJvms() {
    }

    /** One child JVM command: which java, the arguments after the cache options. */
    record Command(String variant, String cache, Path java, List<String> cacheOptions, List<String> args) {
        /** @return how the measurements of a variant with a cache are keyed */
        static String key(String variant, String cache) {
            return variant + " / " + cache;
        }

        String key() {
            return key(variant, cache);
        }

        /** @return the cache whose rows this one's ratios refer to: the same JDK without a cache */
        String baseCache() {
            return onJdk25(cache) ? "jdk25" : "none";
        }

        /** @return the key of {@code variant} on this command's JDK without a cache: what ratios refer to */
        String baseKey(String variant) {
            return key(variant, baseCache());
        }
    }

    /** @return whether a cache's rows run on JDK 25 rather than the running JDK */
    static boolean onJdk25(String cache) {
        return cache.equals("jdk25") || cache.equals("aot");
    }

    /** What one measured run printed and took. */
    interface Sink {
        void accept(int round, Command command, long wallNanos, String output);
    }

    /**
     * The options a harness takes: {@code --name value} pairs, {@code --runs}, {@code --caches},
     * {@code --jdk25} and {@code --dir} for all, the names in {@code own} as well.
     *
     * @return each option given, by name
     * @throws IllegalArgumentException for any other name, or a name without a value
     */
    static Map<String, String> options(String[] args, List<String> own) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            boolean known = own.contains(args[i]) || List.of("--runs", "--caches", "--jdk25", "--dir").contains(args[i]);
            if (!known || i + 1 == args.length) {
                throw new IllegalArgumentException((known ? "no value for option " : "unknown option ") + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    /** The harness-wide settings every harness reads from its options. */
    record Settings(int runs, List<String> caches, Path dir, Path java17, Path java25) {
        /**
         * Reads {@code --runs} (default 10), {@code --caches} (default all), {@code --dir} (default
         * {@code defaultDir}) and {@code --jdk25} (default {@code /usr/lib/jvm/temurin-25-jdk-amd64}),
         * then prints the JDKs and the machine; without a JDK 25 there, its caches are left out.
         */
        static Settings of(Map<String, String> options, String defaultDir) throws IOException, InterruptedException {
            Path jdk25 = Path.of(options.getOrDefault("--jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
            Path java25 = jdk25.resolve("bin/java");
            List<String> caches = options.containsKey("--caches") ? List.of(options.get("--caches").split(",")) : CACHES;
            return new Settings(Integer.parseInt(options.getOrDefault("--runs", "10")), announce(caches, java25),
                    Path.of(options.getOrDefault("--dir", defaultDir)),
                    runningJava(), java25);
        }
    }

    /** @return the {@code java} of the JDK this harness runs on */
    static Path runningJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * The commands of every cache × variant, in that order, each cache made by a training run in
     * {@code work}; a cache the JDK does not make goes to {@code unavailable} with the JDK's reason.
     */
    static List<Command> commands(Settings settings, Map<String, List<String>> argsOf, Path work,
                                  Map<String, String> unavailable) throws Exception {
        List<Command> commands = new ArrayList<>();
        for (String cache : settings.caches()) {
            for (Map.Entry<String, List<String>> v : argsOf.entrySet()) {
                Path java = onJdk25(cache) ? settings.java25() : settings.java17();
                String key = Command.key(v.getKey(), cache);
                List<String> options = switch (cache) {
                    case "cds" -> prepare(java, work.resolve(v.getKey() + ".jsa"), "-XX:ArchiveClassesAtExit=",
                            "-XX:SharedArchiveFile=", v.getValue(), unavailable, key);
                    case "aot" -> prepare(java, work.resolve(v.getKey() + ".aot"), "-XX:AOTCacheOutput=", "-XX:AOTCache=",
                            v.getValue(), unavailable, key);
                    default -> List.of();
                };
                if (options != null) {
                    commands.add(new Command(v.getKey(), cache, java, options, v.getValue()));
                }
            }
        }
        return commands;
    }

    /** Runs every command {@code runs} times after one warm-up round, interleaved; each measured run to the sink. */
    static void interleave(List<Command> commands, int runs, Sink sink) throws IOException, InterruptedException {
        for (int round = -1; round < runs; round++) {
            for (int k = 0; k < commands.size(); k++) {
                Command c = commands.get((k + Math.max(round, 0)) % commands.size());
                long start = System.nanoTime();
                String output = run(c.java(), c.cacheOptions(), c.args());
                long wall = System.nanoTime() - start;
                if (round >= 0) {
                    sink.accept(round, c, wall, output);
                }
            }
        }
    }

    /** @return per command key, an array of {@code runs} slots */
    static Map<String, long[]> slots(List<Command> commands, int runs) {
        Map<String, long[]> slots = new LinkedHashMap<>();
        commands.forEach(c -> slots.put(c.key(), new long[runs]));
        return slots;
    }

    /**
     * Runs the training run that writes {@code file} and returns the options that use it, or null (and
     * why in {@code unavailable}) when the JDK wrote no file. The training run has
     * {@code -Dhermetic.train=true}, which our archive's loader takes as a user would pass it (on JDK 17
     * it links the classes it defined before the JDK writes the file) and the other variants ignore.
     */
    private static List<String> prepare(Path java, Path file, String dump, String use, List<String> args,
                                        Map<String, String> unavailable, String key) throws Exception {
        Files.deleteIfExists(file);
        Path crashLog = file.resolveSibling(file.getFileName() + ".hs_err.log");
        String output;
        try {
            output = run(java, List.of(dump + file, "-Dhermetic.train=true", "-XX:ErrorFile=" + crashLog), args);
        } catch (IllegalStateException e) {
            output = e.getMessage();
        }
        if (!Files.isRegularFile(file)) {
            String why = Files.isRegularFile(crashLog) ? "the JVM crashed writing it: " + crashLog
                    : String.join(" ", output.lines().filter(l -> l.contains("rror") || l.contains("Option"))
                            .limit(2).toList()).replace('|', '/');
            unavailable.put(key, why);
            return null;
        }
        return List.of(use + file);
    }

    /**
     * Runs one child JVM to its end, for at most ten minutes; its output (standard error merged), or an
     * exception if it failed or timed out.
     */
    static String run(Path java, List<String> cacheOptions, List<String> javaArgs)
            throws IOException, InterruptedException {
        return run(java, cacheOptions, javaArgs, Duration.ofMinutes(10));
    }

    /**
     * {@link #run(Path, List, List)} with another time limit. The output goes to a file, not a pipe read to
     * its end, so that the limit holds while the child still writes or holds its output open.
     */
    static String run(Path java, List<String> cacheOptions, List<String> javaArgs, Duration limit)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(cacheOptions);
        command.addAll(javaArgs);
        Path log = Files.createTempFile("child-jvm", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (!ended) {
                throw new IllegalStateException(String.join(" ", command) + " timed out after " + limit + ":\n" + output);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** @return the second line of {@code java -version}: the runtime's build */
    private static String version(Path java) throws IOException, InterruptedException {
        return run(java, List.of(), List.of("-version")).lines().skip(1).findFirst().orElse("?").trim();
    }

    /**
     * Prints the JDKs and the machine, and returns the caches that can be measured: without a JDK 25 at
     * {@code java25}, none of its own.
     */
    private static List<String> announce(List<String> caches, Path java25) throws IOException, InterruptedException {
        boolean has25 = Files.isExecutable(java25);
        if (!has25) {
            System.out.println("no JDK 25 at " + java25 + ": skipping the jdk25 and aot caches");
        }
        System.out.printf(Locale.ROOT, "JDK %s (%s), JDK 25: %s, %d cores, load average at start %s%n",
                Runtime.version(), System.getProperty("java.vendor"), has25 ? version(java25) : "none",
                Runtime.getRuntime().availableProcessors(), loadAverage());
        return has25 ? caches : caches.stream().filter(c -> !onJdk25(c)).toList();
    }

    /** @return value ÷ the reference's median, two decimals; empty without a reference */
    static String ratio(double value, long[] reference) {
        return reference == null ? "" : String.format(Locale.ROOT, "%.2f", value / median(reference));
    }

    /**
     * @return a cache's gain for the command: the median of the same variant on its JDK without a cache ÷
     *         value, two decimals; empty for a command without a cache, or without that row
     */
    static String gain(Command command, double value, Map<String, long[]> measured) {
        long[] uncached = command.cache().equals(command.baseCache()) ? null : measured.get(command.baseKey(command.variant()));
        return uncached == null ? "" : String.format(Locale.ROOT, "%.2f", median(uncached) / value);
    }

    /**
     * Prints the rows of the commands that could not run, in a table of that many columns: the variant,
     * the cache, the reason, the other cells empty.
     */
    static void printUnavailable(Map<String, String> unavailable, int columns) {
        for (Map.Entry<String, String> u : unavailable.entrySet()) {
            System.out.println("| " + u.getKey().replace(" / ", " | ") + " | n/a: " + u.getValue() + " |"
                    + " |".repeat(columns - 3));
        }
    }

    static String loadAverage() {
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
