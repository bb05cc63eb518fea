package dev.hermetic.packer.modes;

import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.jdkTool;
import static dev.hermetic.packer.TestFixtures.write;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.loader.archive.ValidationMode;
import dev.hermetic.packer.Exploder;
import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;
import dev.hermetic.packer.TestFixtures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The application the validation tests pack and launch, its archives, and a launcher of child JVMs.
 *
 * <p>Three modules in package {@code app}: {@code Main} prints {@code Util.exclaim(Greeter.greeting())},
 * so the output tells which version of {@code Greeter} ran; {@code Main} and {@code Util} never change,
 * and their verbose lines show what the loader decided for untouched modules. The classes load in the
 * order Main, Greeter, Util, and so do the verbose lines.
 *
 * <p>Everything is a real file below one directory: the sources, the classes compiled from them by the
 * JDK's compiler ({@code --release 17}), two doctored copies of the classes (one without
 * {@code Greeter.class}, one whose {@code Greeter.class} has its major version bytes, offset 6-7, patched
 * to 99), a source overlay holding an edited {@code Greeter.java} timed at {@link #EDITED_TIME}, and the
 * archives, packed with {@link Packer#pack} once each and then only read.
 */
final class GreeterApp {
    static final String MAIN = "app.Main";
    static final String GREETER_SOURCE = "app/Greeter.java";
    static final String GREETER_CLASS = "app/Greeter.class";
    /** What the app prints with the packed Greeter. */
    static final String PACKED_OUTPUT = "Greeter v1 says hello!";
    /** What it prints with the edited Greeter (a source of another size, so timestamp sees it too). */
    static final String EDITED_OUTPUT = "the edited Greeter says hello!";
    static final String GREETER_JAVA = greeter("Greeter v1 says hello");
    static final String EDITED_GREETER_JAVA = greeter("the edited Greeter says hello");
    /** The time of an edited source (overlay or exploded): an even second, unlike any packed time. */
    static final Instant EDITED_TIME = Instant.parse("2024-05-06T07:08:10Z");
    /** The highest class-file major version the child JVMs (this JDK) run: 61 on JDK 17. */
    static final int MAX_CLASS_VERSION = 44 + Runtime.version().feature();
    /** The module set of a runtime without a compiler: the loader and the app need java.base alone. */
    static final List<String> NO_COMPILER = List.of("--limit-modules", "java.base");

    /** Which caches an archive is packed from; each is packed with {@code --sources} too, unless said. */
    enum Caches {
        /** the classes as compiled */
        AS_COMPILED,
        /** without app/Greeter.class: the module is found through its declared source name */
        WITHOUT_GREETER,
        /** app/Greeter.class patched to class-file version 99, which the packer records */
        GREETER_TOO_NEW,
        /** as GREETER_TOO_NEW, packed without --sources: nothing to recompile from */
        GREETER_TOO_NEW_NO_SOURCES
    }

    /** How an archive is laid out and launched. */
    enum Layout {
        /** {@code java -jar ARCHIVE} */
        ZIP("zip"),
        /** {@code java -cp DIR dev.hermetic.loader.Launcher}, DIR written by {@link Exploder#explode} */
        EXPLODED("exploded");

        final String label;

        Layout(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Path root;
    private final Path sources;
    private final Map<Caches, Path> classes = new EnumMap<>(Caches.class);
    private final Path overlay;
    private final Map<String, Path> archives = new HashMap<>();
    private int made;

    private GreeterApp(Path root) throws IOException {
        this.root = root;
        this.sources = root.resolve("src");
        writeSource(sources, MAIN, """
                package app;

                public final class Main {
                    public static void main(String[] args) {
                        System.out.println(Util.exclaim(Greeter.greeting()));
                    }
                }
                """);
        writeSource(sources, "app.Greeter", GREETER_JAVA);
        writeSource(sources, "app.Util", """
                package app;

                final class Util {
                    static String exclaim(String text) {
                        return text + "!";
                    }
                }
                """);
        Path compiled = javac(sources, root.resolve("classes"), List.of());
        classes.put(Caches.AS_COMPILED, compiled);

        Path without = copyTree(compiled, root.resolve("classes-without-greeter"));
        Files.delete(without.resolve(GREETER_CLASS));
        classes.put(Caches.WITHOUT_GREETER, without);

        Path tooNew = copyTree(compiled, root.resolve("classes-too-new"));
        byte[] greeter = Files.readAllBytes(tooNew.resolve(GREETER_CLASS));
        assertThat(greeter[6] << 8 | greeter[7]).as("major version of the compiled Greeter").isEqualTo(61);
        greeter[6] = 0;
        greeter[7] = 99;
        Files.write(tooNew.resolve(GREETER_CLASS), greeter);
        classes.put(Caches.GREETER_TOO_NEW, tooNew);
        classes.put(Caches.GREETER_TOO_NEW_NO_SOURCES, tooNew);

        this.overlay = root.resolve("overlay");
        writeEditedGreeter(overlay);
    }

    /** Writes the sources and compiles them below {@code root}; packs nothing yet. */
    static GreeterApp in(Path root) throws IOException {
        return new GreeterApp(root);
    }

    static String greeter(String greeting) {
        return """
                package app;

                final class Greeter {
                    static String greeting() {
                        return "%s";
                    }
                }
                """.formatted(greeting);
    }

    /** @return the directory of the original sources */
    Path sources() {
        return sources;
    }

    /** @return a source overlay directory holding only the edited app/Greeter.java, timed at {@link #EDITED_TIME} */
    Path overlay() {
        return overlay;
    }

    /**
     * The archive packed with {@code --app} from the given caches, {@code --sources} (unless said) and
     * {@code validation(mode)}; packed on first request, then shared (tests only read it).
     */
    synchronized Path zip(ValidationMode mode, Caches caches) throws IOException {
        String name = mode.label() + "-" + caches.name().toLowerCase(Locale.ROOT) + ".jar";
        Path archive = archives.get(name);
        if (archive == null) {
            PackOptions.Builder options = PackOptions.builder().out(root.resolve(name)).mainClass(MAIN)
                    .addApp(classes.get(caches)).validation(mode);
            if (caches != Caches.GREETER_TOO_NEW_NO_SOURCES) {
                options.addSources(sources);
            }
            archive = Packer.pack(options.build()).archive();
            archives.put(name, archive);
        }
        return archive;
    }

    /** A new directory below this app's root, for one run's cache, exploded archive or edited copy. */
    synchronized Path newDirectory(String hint) throws IOException {
        return Files.createDirectories(root.resolve("runs").resolve((made++) + "-" + hint.replaceAll("[^A-Za-z0-9]+", "-")));
    }

    /** Explodes an archive with {@link Exploder#explode} into a new directory; returns the directory. */
    Path explode(Path zip) throws IOException {
        return Exploder.explode(zip, newDirectory("exploded").resolve("dir")).directory();
    }

    /** The packed archive as it is, or exploded into a new directory. */
    Path layOut(Path zip, Layout layout) throws IOException {
        return layout == Layout.ZIP ? zip : explode(zip);
    }

    /** Writes the edited app/Greeter.java below a source root and times it at {@link #EDITED_TIME}. */
    static Path writeEditedGreeter(Path sourceRoot) throws IOException {
        Path file = write(sourceRoot.resolve(GREETER_SOURCE), EDITED_GREETER_JAVA);
        Files.setLastModifiedTime(file, FileTime.from(EDITED_TIME));
        return file;
    }

    /** The edited source's size, as the timestamp check reports it. */
    static int editedSize() {
        return EDITED_GREETER_JAVA.getBytes(StandardCharsets.UTF_8).length;
    }

    static int packedSize() {
        return GREETER_JAVA.getBytes(StandardCharsets.UTF_8).length;
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        for (Path file : TestFixtures.regularFiles(from)) {
            write(to.resolve(from.relativize(file).toString()), Files.readAllBytes(file));
        }
        return to;
    }

    // ------------------------------------------------------------------------------------------ child JVMs

    /**
     * What one child JVM did.
     *
     * @param exit    its exit code
     * @param stdout  its standard output, by line
     * @param verbose its stderr lines starting with {@code [hermetic] }, in order, with the number of
     *                {@code compiled in N ms} replaced by {@code N} and the file of {@code cache hit FILE}
     *                by {@code CACHE/KEY.classes} when it is a {@code <64 hex digits>.classes} file in the
     *                run's cache directory (else left as it is, failing the comparison)
     * @param errors  its other stderr lines
     * @param stderr  its stderr, as it was, for messages
     */
    record Run(int exit, List<String> stdout, List<String> verbose, List<String> errors, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + ", stdout " + stdout + ", stderr:\n" + stderr;
        }
    }

    private static final Pattern COMPILED = Pattern.compile("^(\\[hermetic] .*: compiled in )\\d+( ms)$");
    private static final Pattern CACHE_HIT = Pattern.compile("^(\\[hermetic] .*: cache hit )(.*)$");

    /** A child JVM launching an archive, not yet started. */
    static final class Launch {
        private final Path archive;
        private final List<String> options = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path cache;

        private Launch(Path archive) {
            this.archive = archive.toAbsolutePath();
            // the child must not inherit a check mode from whoever runs the tests
            environment.put("HERMETIC_CHECK", "");
        }

        /** Adds JVM options (before {@code -jar}). */
        Launch options(List<String> jvmOptions) {
            options.addAll(jvmOptions);
            return this;
        }

        Launch option(String jvmOption) {
            options.add(jvmOption);
            return this;
        }

        /** The compile cache directory ({@code -Dhermetic.cache.dir}); null for {@code none}. */
        Launch cache(Path directory) {
            this.cache = directory;
            return this;
        }

        Launch environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /**
         * {@code java -Xshare:auto -XX:TieredStopAtLevel=1 OPTIONS -Dhermetic.verbose=true
         * -Dhermetic.cache.dir=CACHE|none} then {@code -jar ZIP} or {@code -cp DIR dev.hermetic.loader.Launcher}.
         */
        List<String> command() {
            List<String> command = new ArrayList<>(List.of(jdkTool("java"), "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
            command.addAll(options);
            command.add("-Dhermetic.verbose=true");
            command.add("-Dhermetic.cache.dir=" + (cache == null ? "none" : cache.toString()));
            if (Files.isDirectory(archive)) {
                command.addAll(List.of("-cp", archive.toString(), "dev.hermetic.loader.Launcher"));
            } else {
                command.addAll(List.of("-jar", archive.toString()));
            }
            return command;
        }

        TestFixtures.Child start() throws IOException {
            return TestFixtures.Child.start(archive.getParent(), environment, command());
        }

        Run run() throws IOException, InterruptedException {
            return finish(start());
        }

        Run finish(TestFixtures.Child child) throws IOException, InterruptedException {
            TestFixtures.Result result = child.await();
            List<String> verbose = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (String line : result.stderr().split("\\R")) {
                if (line.startsWith("[hermetic] ")) {
                    verbose.add(normalise(line));
                } else if (!line.isEmpty()) {
                    errors.add(line);
                }
            }
            List<String> stdout = result.stdout().isEmpty() ? List.of() : List.of(result.stdout().split("\\R"));
            return new Run(result.exit(), stdout, verbose, errors, result.stderr());
        }

        private String normalise(String line) {
            Matcher compiled = COMPILED.matcher(line);
            if (compiled.matches()) {
                return compiled.group(1) + "N" + compiled.group(2);
            }
            Matcher hit = CACHE_HIT.matcher(line);
            if (hit.matches() && cache != null) {
                Path file = Path.of(hit.group(2));
                if (cache.toAbsolutePath().normalize().equals(file.getParent())
                        && file.getFileName().toString().matches("[0-9a-f]{64}\\.classes") && Files.isRegularFile(file)) {
                    return hit.group(1) + "CACHE/KEY.classes";
                }
            }
            return line;
        }
    }

    /** A launch of an archive: a zip with {@code java -jar}, an exploded directory with the launcher on {@code -cp}. */
    static Launch launch(Path archive) {
        return new Launch(archive);
    }

    /** The {@code .classes} files in a compile cache directory (none when it does not exist). */
    static List<Path> cacheFiles(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.sorted().toList();
        }
    }

    /** {@code [hermetic] SOURCE: DECISION}, the verbose line of one decision. */
    static String line(String source, String decision) {
        return "[hermetic] " + source + ": " + decision;
    }
}
