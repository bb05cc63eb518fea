package dev.hermetic.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A deterministic synthetic application shaped like protobuf-generated code ({@code java_multiple_files}):
 * per message a class {@code MN}, its nested {@code MN.Builder} and an interface {@code MNOrBuilder}, with
 * eight fields of mixed types, getters, {@code has}/{@code clear}/{@code set}, {@code equals}, {@code hashCode},
 * a tiny wire format and a {@code DEFAULT_INSTANCE} built in the static initialiser, so class files weigh
 * 2–6 KB like protoc's output. 70% of the messages form the application ({@code app.pK}), the rest three
 * dependency jars ({@code dep1.pK} …). {@code bench.Main} reads {@code bench/classes.txt} and loads and
 * initialises every class with {@code Class.forName(name, true, loader)}, printing
 * {@code loaded N classes T ns}.
 *
 * <p>Sources are compiled with javac once per size into {@code DIR/SIZE-KEY/}, where KEY hashes the
 * generator's version and parameters: a rerun finds {@code done} there and skips everything. Layout:
 * {@code src/MODULE}, {@code classes/MODULE} (exploded), {@code jars/MODULE.jar} (DEFLATED like a normal
 * build), {@code stored/MODULE.jar} (the same entries STORED).
 */
public final class SyntheticApp {
    /** Bump when the generated code changes, so that caches are rebuilt. */
    static final int VERSION = 3;
    static final int FIELDS = 8;
    static final int PER_PACKAGE = 50;
    static final List<String> DEPS = List.of("dep1", "dep2", "dep3");
    private static final java.nio.file.attribute.FileTime TIME =
            java.nio.file.attribute.FileTime.fromMillis(315_532_800_000L + 31L * 86_400_000L);

    /** The generated application's directory. */
    public final Path root;
    /** How many classes were asked for (messages × 3, plus Main). */
    public final int classes;

    private SyntheticApp(Path root, int classes) {
        this.root = root;
        this.classes = classes;
    }

    /** @return the modules in class-path order: {@code app}, then the dependencies */
    public static List<String> modules() {
        List<String> all = new ArrayList<>();
        all.add("app");
        all.addAll(DEPS);
        return all;
    }

    public Path sources(String module) {
        return root.resolve("src").resolve(module);
    }

    public Path classesDir(String module) {
        return root.resolve("classes").resolve(module);
    }

    public Path jar(String module) {
        return root.resolve("jars").resolve(module + ".jar");
    }

    public Path storedJar(String module) {
        return root.resolve("stored").resolve(module + ".jar");
    }

    /** @return the dependency jars, DEFLATED ({@code stored} false) or STORED */
    public List<Path> depJars(boolean stored) {
        return DEPS.stream().map(d -> stored ? storedJar(d) : jar(d)).toList();
    }

    /**
     * Generates and compiles the application of about {@code classes} classes under {@code dir}, or finds
     * it there from an earlier run.
     */
    public static SyntheticApp create(Path dir, int classes) throws IOException {
        String key = key(classes);
        Path root = dir.resolve(classes + "-" + key);
        SyntheticApp app = new SyntheticApp(root, classes);
        if (Files.isRegularFile(root.resolve("done"))) {
            return app;
        }
        deleteTree(root);
        long start = System.nanoTime();
        int messages = classes / 3;
        int appMessages = messages - messages * 3 / 10;
        List<String> names = new ArrayList<>();
        int[] counts = new int[DEPS.size() + 1];
        counts[0] = appMessages;
        for (int d = 0; d < DEPS.size(); d++) {
            counts[d + 1] = (messages - appMessages) / DEPS.size() + (d < (messages - appMessages) % DEPS.size() ? 1 : 0);
        }
        List<String> modules = modules();
        for (int m = 0; m < modules.size(); m++) {
            String module = modules.get(m);
            for (int i = 0; i < counts[m]; i++) {
                String pkg = module + ".p" + (i / PER_PACKAGE);
                String simple = "M" + i;
                writeMessage(app.sources(module), pkg, simple, i + 1000 * m);
                names.add(pkg + "." + simple + "OrBuilder");
                names.add(pkg + "." + simple);
                names.add(pkg + "." + simple + "$Builder");
            }
        }
        writeMain(app.sources("app"));
        long generated = System.nanoTime();
        for (String module : modules) {
            compile(app.sources(module), app.classesDir(module));
        }
        Path list = app.classesDir("app").resolve("bench/classes.txt");
        Files.writeString(list, String.join("\n", names) + "\n", StandardCharsets.UTF_8);
        long compiled = System.nanoTime();
        for (String module : modules) {
            writeJar(app.classesDir(module), app.jar(module), false, module.equals("app") ? "bench.Main" : null);
            writeJar(app.classesDir(module), app.storedJar(module), true, module.equals("app") ? "bench.Main" : null);
        }
        Files.writeString(root.resolve("done"), String.format(Locale.ROOT,
                "classes %d%ngenerate ms %d%njavac ms %d%njar ms %d%n", names.size() + 1,
                (generated - start) / 1_000_000, (compiled - generated) / 1_000_000,
                (System.nanoTime() - compiled) / 1_000_000));
        return app;
    }

    /** The cache key: the generator's version and parameters, and the javac release. */
    static String key(int classes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("v" + VERSION + " classes " + classes + " fields " + FIELDS + " per " + PER_PACKAGE
                    + " deps " + DEPS + " release 17 javac " + Runtime.version().feature())
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String[] TYPES = {"int", "long", "String", "boolean", "double", "int", "String", "long"};

    static void writeMessage(Path sources, String pkg, String simple, int seed) throws IOException {
        Path dir = sources.resolve(pkg.replace('.', '/'));
        Files.createDirectories(dir);
        StringBuilder ob = new StringBuilder();
        ob.append("package ").append(pkg).append(";\n\n");
        ob.append("public interface ").append(simple).append("OrBuilder {\n");
        for (int f = 0; f < FIELDS; f++) {
            String field = fieldName(f, seed);
            ob.append("    boolean has").append(cap(field)).append("();\n");
            ob.append("    ").append(TYPES[f]).append(" get").append(cap(field)).append("();\n");
        }
        ob.append("}\n");
        Files.writeString(dir.resolve(simple + "OrBuilder.java"), ob, StandardCharsets.UTF_8);

        StringBuilder s = new StringBuilder();
        s.append("package ").append(pkg).append(";\n\n");
        s.append("public final class ").append(simple).append(" implements ").append(simple).append("OrBuilder {\n");
        s.append("    private static final ").append(simple).append(" DEFAULT_INSTANCE;\n");
        s.append("    public static final String DESCRIPTOR = \"").append(pkg).append('.').append(simple)
                .append(":").append(seed).append("\";\n");
        s.append("    private int bitField0_;\n");
        for (int f = 0; f < FIELDS; f++) {
            s.append("    private ").append(TYPES[f]).append(' ').append(fieldName(f, seed)).append("_;\n");
            s.append("    public static final int ").append(fieldName(f, seed).toUpperCase(Locale.ROOT))
                    .append("_FIELD_NUMBER = ").append(f + 1).append(";\n");
        }
        s.append("    static {\n        DEFAULT_INSTANCE = newBuilder()");
        for (int f = 0; f < FIELDS; f++) {
            s.append(".set").append(cap(fieldName(f, seed))).append('(').append(literal(f, seed)).append(')');
        }
        s.append(".build();\n    }\n");
        s.append("    private ").append(simple).append("(Builder b) {\n        this.bitField0_ = b.bitField0_;\n");
        for (int f = 0; f < FIELDS; f++) {
            String n = fieldName(f, seed);
            s.append("        this.").append(n).append("_ = b.").append(n).append("_;\n");
        }
        s.append("    }\n");
        for (int f = 0; f < FIELDS; f++) {
            String n = fieldName(f, seed);
            s.append("    @Override public boolean has").append(cap(n)).append("() { return (bitField0_ & ")
                    .append(1 << f).append(") != 0; }\n");
            s.append("    @Override public ").append(TYPES[f]).append(" get").append(cap(n)).append("() { return ")
                    .append(n).append("_; }\n");
        }
        s.append("    public static ").append(simple).append(" getDefaultInstance() { return DEFAULT_INSTANCE; }\n");
        s.append("    public static Builder newBuilder() { return new Builder(); }\n");
        s.append("    public Builder toBuilder() { return new Builder().mergeFrom(this); }\n");
        s.append("    public byte[] toByteArray() {\n");
        s.append("        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();\n");
        s.append("        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {\n");
        s.append("            out.writeInt(bitField0_);\n");
        for (int f = 0; f < FIELDS; f++) {
            String n = fieldName(f, seed);
            s.append("            if (has").append(cap(n)).append("()) { out.").append(writer(f)).append('(')
                    .append(n).append("_); }\n");
        }
        s.append("        } catch (java.io.IOException e) {\n            throw new java.io.UncheckedIOException(e);\n        }\n");
        s.append("        return bytes.toByteArray();\n    }\n");
        s.append("    public static ").append(simple).append(" parseFrom(byte[] data) throws java.io.IOException {\n");
        s.append("        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(data));\n");
        s.append("        int bits = in.readInt();\n        Builder b = newBuilder();\n");
        for (int f = 0; f < FIELDS; f++) {
            String n = fieldName(f, seed);
            s.append("        if ((bits & ").append(1 << f).append(") != 0) { b.set").append(cap(n)).append("(in.")
                    .append(reader(f)).append("()); }\n");
        }
        s.append("        return b.build();\n    }\n");
        s.append("    @Override public boolean equals(Object o) {\n        if (o == this) { return true; }\n");
        s.append("        if (!(o instanceof ").append(simple).append(")) { return false; }\n");
        s.append("        ").append(simple).append(" other = (").append(simple).append(") o;\n");
        s.append("        return bitField0_ == other.bitField0_");
        for (int f = 0; f < FIELDS; f++) {
            String n = fieldName(f, seed);
            s.append("\n            && java.util.Objects.equals(get").append(cap(n)).append("(), other.get")
                    .append(cap(n)).append("())");
        }
        s.append(";\n    }\n");
        s.append("    @Override public int hashCode() {\n        int h = ").append(seed).append(";\n");
        for (int f = 0; f < FIELDS; f++) {
            s.append("        h = h * 31 + java.util.Objects.hashCode(get").append(cap(fieldName(f, seed))).append("());\n");
        }
        s.append("        return h;\n    }\n");
        s.append("    @Override public String toString() {\n        return \"").append(simple).append("{\"");
        for (int f = 0; f < FIELDS; f++) {
            String n = fieldName(f, seed);
            s.append(" + \"").append(f == 0 ? "" : ", ").append(n).append("=\" + ").append(n).append('_');
        }
        s.append(" + \"}\";\n    }\n");
        // The Builder
        s.append("    public static final class Builder implements ").append(simple).append("OrBuilder {\n");
        s.append("        private int bitField0_;\n");
        for (int f = 0; f < FIELDS; f++) {
            s.append("        private ").append(TYPES[f]).append(' ').append(fieldName(f, seed)).append("_;\n");
        }
        s.append("        private Builder() {\n        }\n");
        for (int f = 0; f < FIELDS; f++) {
            String n = fieldName(f, seed);
            s.append("        @Override public boolean has").append(cap(n)).append("() { return (bitField0_ & ")
                    .append(1 << f).append(") != 0; }\n");
            s.append("        @Override public ").append(TYPES[f]).append(" get").append(cap(n)).append("() { return ")
                    .append(n).append("_; }\n");
            s.append("        public Builder set").append(cap(n)).append('(').append(TYPES[f]).append(" value) {\n");
            if (TYPES[f].equals("String")) {
                s.append("            if (value == null) { throw new NullPointerException(\"").append(n).append("\"); }\n");
            }
            s.append("            ").append(n).append("_ = value;\n            bitField0_ |= ").append(1 << f)
                    .append(";\n            return this;\n        }\n");
            s.append("        public Builder clear").append(cap(n)).append("() { bitField0_ &= ~").append(1 << f)
                    .append("; ").append(n).append("_ = ").append(zero(f)).append("; return this; }\n");
        }
        s.append("        public Builder mergeFrom(").append(simple).append(" other) {\n");
        for (int f = 0; f < FIELDS; f++) {
            String n = fieldName(f, seed);
            s.append("            if (other.has").append(cap(n)).append("()) { set").append(cap(n)).append("(other.get")
                    .append(cap(n)).append("()); }\n");
        }
        s.append("            return this;\n        }\n");
        s.append("        public ").append(simple).append(" build() { return new ").append(simple).append("(this); }\n");
        s.append("    }\n}\n");
        Files.writeString(dir.resolve(simple + ".java"), s, StandardCharsets.UTF_8);
    }

    private static String fieldName(int f, int seed) {
        String[] words = {"id", "name", "value", "enabled", "ratio", "count", "label", "timestamp", "owner", "kind"};
        return words[(f + seed) % words.length] + f;
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String literal(int f, int seed) {
        return switch (TYPES[f]) {
            case "int" -> Integer.toString(seed + f);
            case "long" -> (seed * 1_000_003L + f) + "L";
            case "String" -> "\"v" + seed + "_" + f + "\"";
            case "boolean" -> (seed + f) % 2 == 0 ? "true" : "false";
            default -> (seed + f) + ".5";
        };
    }

    private static String zero(int f) {
        return switch (TYPES[f]) {
            case "String" -> "\"\"";
            case "boolean" -> "false";
            case "long" -> "0L";
            case "double" -> "0.0";
            default -> "0";
        };
    }

    private static String writer(int f) {
        return switch (TYPES[f]) {
            case "int" -> "writeInt";
            case "long" -> "writeLong";
            case "String" -> "writeUTF";
            case "boolean" -> "writeBoolean";
            default -> "writeDouble";
        };
    }

    private static String reader(int f) {
        return switch (TYPES[f]) {
            case "int" -> "readInt";
            case "long" -> "readLong";
            case "String" -> "readUTF";
            case "boolean" -> "readBoolean";
            default -> "readDouble";
        };
    }

    static void writeMain(Path sources) throws IOException {
        Path main = sources.resolve("bench/Main.java");
        Files.createDirectories(main.getParent());
        Files.writeString(main, """
                package bench;

                import java.io.BufferedReader;
                import java.io.InputStreamReader;
                import java.nio.charset.StandardCharsets;
                import java.util.ArrayList;
                import java.util.List;

                /** Loads and initialises every class named in bench/classes.txt, timing that alone. */
                public class Main {
                    public static void main(String[] args) throws Exception {
                        List<String> names = new ArrayList<>();
                        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                                Main.class.getResourceAsStream("/bench/classes.txt"), StandardCharsets.UTF_8))) {
                            for (String line = in.readLine(); line != null; line = in.readLine()) {
                                if (!line.isEmpty()) {
                                    names.add(line);
                                }
                            }
                        }
                        ClassLoader loader = Main.class.getClassLoader();
                        long start = System.nanoTime();
                        int sum = 0;
                        for (String name : names) {
                            sum += Class.forName(name, true, loader).getModifiers() & 1;
                        }
                        long elapsed = System.nanoTime() - start;
                        System.out.println("loaded " + names.size() + " classes " + elapsed + " ns " + sum);
                    }
                }
                """, StandardCharsets.UTF_8);
    }

    /** Compiles in chunks of 4000 files (javac's memory grows with the batch; the messages are independent). */
    static void compile(Path sources, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Files.createDirectories(sources);
        List<String> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        }
        Files.createDirectories(classes);
        for (int from = 0; from < files.size(); from += 4000) {
            List<String> args = new ArrayList<>(List.of("--release", "17", "-g:none", "-proc:none",
                    "-implicit:none", "-sourcepath", sources.toString(), "-d", classes.toString()));
            args.addAll(files.subList(from, Math.min(files.size(), from + 4000)));
            if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
                throw new IllegalStateException("the generated application does not compile: " + sources);
            }
        }
    }

    /** A jar of a class directory, entries sorted, fixed times, DEFLATED or STORED. */
    static void writeJar(Path classes, Path jar, boolean stored, String mainClass) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (OutputStream raw = Files.newOutputStream(tmp); JarOutputStream out = new JarOutputStream(raw)) {
            ZipEntry me = entry("META-INF/MANIFEST.MF", stored);
            byte[] mf;
            var bytes = new java.io.ByteArrayOutputStream();
            manifest.write(bytes);
            mf = bytes.toByteArray();
            put(out, me, mf);
            java.util.Set<String> dirs = new java.util.TreeSet<>();
            for (Path f : files) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
                    String dir = name.substring(0, i + 1);
                    if (dirs.add(dir)) {
                        put(out, entry(dir, stored), new byte[0]);
                    }
                }
                put(out, entry(name, stored), Files.readAllBytes(f));
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    private static ZipEntry entry(String name, boolean stored) {
        ZipEntry e = new ZipEntry(name);
        e.setLastModifiedTime(TIME);
        e.setMethod(stored ? ZipEntry.STORED : ZipEntry.DEFLATED);
        return e;
    }

    /** Writes an entry; a STORED one gets the sizes and CRC-32 a zip needs before its data. */
    static void put(ZipOutputStream out, ZipEntry e, byte[] data) throws IOException {
        if (e.getMethod() == ZipEntry.STORED) {
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setSize(data.length);
            e.setCompressedSize(data.length);
            e.setCrc(crc.getValue());
        }
        out.putNextEntry(e);
        out.write(data);
        out.closeEntry();
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Generates the sizes given ({@code 1000 10000 50000}) into {@code --dir} and prints what it did. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of("benchmarks/target/apps");
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--dir")) {
                dir = Path.of(args[++i]);
            } else {
                sizes.add(Integer.parseInt(args[i]));
            }
        }
        for (int size : sizes) {
            long start = System.nanoTime();
            SyntheticApp app = create(dir, size);
            System.out.printf(Locale.ROOT, "%s (%d ms)%n%s", app.root, (System.nanoTime() - start) / 1_000_000,
                    Files.readString(app.root.resolve("done")));
        }
    }
}
