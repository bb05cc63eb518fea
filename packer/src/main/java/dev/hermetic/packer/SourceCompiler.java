package dev.hermetic.packer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles sources in memory with the JDK's compiler ({@code javax.tools}): the bytes compiled are the
 * bytes hashed, and the class files never touch the disk. Each class file is traced to the source it
 * came from, which makes the modules of the index.
 */
final class SourceCompiler {
    private SourceCompiler() {
    }

    /**
     * @param classes  class files by class-path name ({@code com/example/Main$1.class}), in name order
     * @param sourceOf the source name of each class file
     */
    record Compiled(Map<String, byte[]> classes, Map<String, String> sourceOf) {
    }

    /** The options every compilation uses; recorded in the index as part of the compatibility key. */
    static List<String> options(int release) {
        return List.of("--release", Integer.toString(release), "-encoding", "UTF-8", "-g:source,lines", "-proc:none");
    }

    static Compiled compile(Collection<SourceFile> sources, List<Path> classPath, int release) throws IOException {
        return compile(sources, classPath, options(release));
    }

    /**
     * Compiles with the given options (which must not name output directories or annotation processors:
     * the output stays in memory).
     *
     * @throws Failure when a source does not compile
     */
    static Compiled compile(Collection<SourceFile> sources, List<Path> classPath, List<String> options) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new PackException("cannot compile --sources: this Java runtime has no compiler (run the packer on a JDK)");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<JavaFileObject, SourceFile> units = new IdentityHashMap<>();
        List<JavaFileObject> inputs = new ArrayList<>();
        for (SourceFile source : sources) {
            JavaFileObject unit = new InMemorySource(source);
            units.put(unit, source);
            inputs.add(unit);
        }
        Map<String, byte[]> classes = new TreeMap<>();
        Map<String, String> sourceOf = new TreeMap<>();
        try (StandardJavaFileManager standard = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            standard.setLocationFromPaths(StandardLocation.CLASS_PATH, classPath);
            ForwardingJavaFileManager<StandardJavaFileManager> manager = new ForwardingJavaFileManager<>(standard) {
                @Override
                public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                           FileObject sibling) {
                    String name = className.replace('.', '/') + kind.extension;
                    SourceFile from = units.get(sibling);
                    return new SimpleJavaFileObject(URI.create("mem:///" + name), kind) {
                        @Override
                        public OutputStream openOutputStream() {
                            return new ByteArrayOutputStream() {
                                @Override
                                public void close() {
                                    classes.put(name, toByteArray());
                                    if (from != null) {
                                        sourceOf.put(name, from.name());
                                    }
                                }
                            };
                        }
                    };
                }
            };
            boolean ok;
            try {
                ok = compiler.getTask(null, manager, diagnostics, options, null, inputs).call();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new PackException("cannot compile --sources with options " + String.join(" ", options) + ": "
                        + e.getMessage());
            }
            if (!ok) {
                throw failure(diagnostics.getDiagnostics(), units);
            }
        }
        return new Compiled(classes, sourceOf);
    }

    /**
     * A source does not compile.
     */
    static final class Failure extends PackException {
        private static final long serialVersionUID = 1L;
        private final transient SourceFile source;
        private final String what;

        private Failure(SourceFile source, String what) {
            super(source.path(), what);
            this.source = source;
            this.what = what;
        }

        private Failure(String what) {
            super(what);
            this.source = null;
            this.what = what;
        }

        /** @return the first source with an error, or null when the compiler named none */
        SourceFile source() {
            return source;
        }

        /** @return what is wrong, without the file name: {@code does not compile: line 3: ...} */
        String what() {
            return what;
        }
    }

    private static PackException failure(List<Diagnostic<? extends JavaFileObject>> diagnostics,
                                         Map<JavaFileObject, SourceFile> units) {
        List<Diagnostic<? extends JavaFileObject>> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(d);
            }
        }
        if (errors.isEmpty()) {
            return new Failure("cannot compile --sources: the compiler failed without an error message");
        }
        Diagnostic<? extends JavaFileObject> first = errors.get(0);
        String message = first.getMessage(Locale.ROOT).lines().findFirst().orElse("");
        String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more errors)" : "";
        SourceFile source = first.getSource() == null ? null : units.get(first.getSource());
        if (source == null) {
            return new Failure("cannot compile --sources: " + message + more);
        }
        return new Failure(source, "does not compile: line " + first.getLineNumber() + ": " + message + more);
    }

    /** A source whose text is the bytes already read and hashed; named by its file for messages. */
    private static final class InMemorySource extends SimpleJavaFileObject {
        private final SourceFile source;

        InMemorySource(SourceFile source) {
            super(source.path().toUri(), Kind.SOURCE);
            this.source = source;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return new String(source.bytes(), StandardCharsets.UTF_8);
        }
    }
}
