package dev.hermetic.packer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.loader.Launcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Real inputs for the packer's tests: source files, class files made by the JDK's compiler, jars made
 * with {@link JarOutputStream}, and child JVMs. Nothing here is mocked; every fixture is a file in a
 * test's {@code @TempDir}.
 */
public final class TestFixtures {
    /** A fixed entry time for the jars the tests build, so that a fixture jar is the same every run. */
    private static final LocalDateTime JAR_TIME = LocalDateTime.of(2001, 2, 3, 4, 5, 6);

    private TestFixtures() {
    }

    /** Writes {@code code} as the source of {@code className} below {@code root}; returns the file. */
    public static Path writeSource(Path root, String className, String code) throws IOException {
        return write(root.resolve(className.replace('.', '/') + ".java"), code);
    }

    /** Writes a UTF-8 text file, creating its directories; returns it. */
    public static Path write(Path file, String text) throws IOException {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a file, creating its directories; returns it. */
    public static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, bytes);
    }

    /**
     * Compiles every {@code .java} file below {@code sourceRoot} into {@code classes} with the JDK's
     * compiler ({@code -encoding UTF-8}, and {@code --release 17} unless {@code options} give a release);
     * fails the test with the compiler's messages when it does not compile.
     *
     * @return {@code classes}
     */
    public static Path javac(Path sourceRoot, Path classes, List<String> options, Path... classPath) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("the tests need a JDK").isNotNull();
        List<String> all = new ArrayList<>();
        if (!options.contains("-encoding")) {
            all.addAll(List.of("-encoding", "UTF-8"));
        }
        if (!options.contains("--release")) {
            all.addAll(List.of("--release", "17"));
        }
        all.addAll(options);
        Files.createDirectories(classes);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(classes));
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, List.of(classPath));
            List<Path> sources = regularFiles(sourceRoot).stream().filter(p -> p.toString().endsWith(".java")).toList();
            boolean ok = compiler.getTask(null, files, diagnostics, all, null, files.getJavaFileObjectsFromPaths(sources)).call();
            assertThat(ok).as("javac %s: %s", sourceRoot, diagnostics.getDiagnostics()).isTrue();
        }
        return classes;
    }

    /** The regular files below a directory, in name order. */
    public static List<Path> regularFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }

    /**
     * The class-path names of everything below a directory, as the packer names them: {@code /}-separated,
     * directories ending in {@code /}; in name order.
     */
    public static List<String> classPathNames(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.equals(root))
                    .map(p -> root.relativize(p).toString().replace(root.getFileSystem().getSeparator(), "/")
                            + (Files.isDirectory(p) ? "/" : ""))
                    .sorted().collect(Collectors.toList());
        }
    }

    /** @return the SHA-256 of the bytes */
    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a builder of a jar written with {@link JarOutputStream} */
    public static JarBuilder jar() {
        return new JarBuilder();
    }

    /** Builds a real jar: a manifest (when given attributes), then the entries in the order added. */
    public static final class JarBuilder {
        private Manifest manifest;
        private final Map<String, Entry> entries = new LinkedHashMap<>();

        private record Entry(byte[] bytes, boolean stored) {
        }

        private JarBuilder() {
        }

        /** Adds a main attribute to the manifest (creating it). */
        public JarBuilder attribute(String name, String value) {
            if (manifest == null) {
                manifest = new Manifest();
                manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            }
            manifest.getMainAttributes().put(new Attributes.Name(name), value);
            return this;
        }

        public JarBuilder mainClass(String name) {
            return attribute(Attributes.Name.MAIN_CLASS.toString(), name);
        }

        /** Adds a DEFLATED entry (written with a data descriptor, as the JDK does). */
        public JarBuilder deflated(String name, byte[] bytes) {
            entries.put(name, new Entry(bytes, false));
            return this;
        }

        public JarBuilder deflated(String name, String text) {
            return deflated(name, text.getBytes(StandardCharsets.UTF_8));
        }

        /** Adds a STORED entry (sizes and CRC in the local header). */
        public JarBuilder stored(String name, byte[] bytes) {
            entries.put(name, new Entry(bytes, true));
            return this;
        }

        public JarBuilder stored(String name, String text) {
            return stored(name, text.getBytes(StandardCharsets.UTF_8));
        }

        /** Adds everything below a directory (directories STORED, files as asked), in name order. */
        public JarBuilder tree(Path root, boolean stored) throws IOException {
            for (String name : classPathNames(root)) {
                byte[] bytes = name.endsWith("/") ? new byte[0] : Files.readAllBytes(root.resolve(name));
                entries.put(name, new Entry(bytes, stored || name.endsWith("/")));
            }
            return this;
        }

        public Path write(Path jar) throws IOException {
            Files.createDirectories(jar.toAbsolutePath().getParent());
            try (OutputStream file = Files.newOutputStream(jar);
                 JarOutputStream out = manifest == null ? new JarOutputStream(file) : new JarOutputStream(file, manifest)) {
                for (Map.Entry<String, Entry> e : entries.entrySet()) {
                    JarEntry entry = new JarEntry(e.getKey());
                    entry.setTimeLocal(JAR_TIME);
                    byte[] bytes = e.getValue().bytes();
                    if (e.getValue().stored()) {
                        CRC32 crc = new CRC32();
                        crc.update(bytes);
                        entry.setMethod(ZipEntry.STORED);
                        entry.setSize(bytes.length);
                        entry.setCompressedSize(bytes.length);
                        entry.setCrc(crc.getValue());
                    }
                    out.putNextEntry(entry);
                    out.write(bytes);
                    out.closeEntry();
                }
            }
            return jar;
        }
    }

    /** Path of a JDK tool ({@code java}, {@code jar}) of the JDK running the tests. */
    public static String jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /** The class path of this test run: the packer, its dependencies, the loader, the tests. */
    public static String testClassPath() {
        return System.getProperty("java.class.path");
    }

    /** What a child process did. */
    public record Result(int exit, String stdout, String stderr) {
    }

    /** A running child process whose output is collected as it comes, so that it never blocks. */
    public static final class Child {
        private final List<String> command;
        private final Process process;
        private final Thread[] readers = new Thread[2];
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();

        private Child(List<String> command, Process process) {
            this.command = command;
            this.process = process;
        }

        /**
         * Starts a command in a directory, with the environment of this JVM minus the variables that make
         * the JVM or the packer behave differently ({@code JAVA_TOOL_OPTIONS}, {@code SOURCE_DATE_EPOCH},
         * ...), plus {@code environment}.
         */
        public static Child start(Path directory, Map<String, String> environment, List<String> command) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
            for (String variable : List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "SOURCE_DATE_EPOCH",
                    "CLASSPATH")) {
                builder.environment().remove(variable);
            }
            builder.environment().putAll(environment);
            Child child = new Child(List.copyOf(command), builder.start());
            child.process.getOutputStream().close();
            child.readers[0] = reader(child.process.getInputStream(), child.out);
            child.readers[1] = reader(child.process.getErrorStream(), child.err);
            return child;
        }

        private static Thread reader(InputStream in, ByteArrayOutputStream into) {
            Thread thread = new Thread(() -> {
                try (in) {
                    in.transferTo(into);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        /** Waits for the process (at most two minutes) and its output. */
        public Result await() throws IOException, InterruptedException {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            for (Thread reader : readers) {
                reader.join();
            }
            return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** Runs a command to its end; see {@link Child#start}. */
    public static Result run(Path directory, List<String> command) throws IOException, InterruptedException {
        return Child.start(directory, Map.of(), command).await();
    }

    /** The loader's classes as the test class path holds them (a jar, or a classes directory in a build). */
    static List<String> loaderClassNames() throws IOException, URISyntaxException {
        Path location = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            names.addAll(classPathNames(location));
        } else {
            try (ZipFile jar = new ZipFile(location.toFile())) {
                for (ZipEntry e : Collections.list(jar.entries())) {
                    names.add(e.getName());
                }
            }
        }
        return names.stream().filter(n -> n.startsWith("dev/hermetic/loader/") && n.endsWith(".class")).sorted().toList();
    }
}
