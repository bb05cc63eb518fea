package dev.hermetic.loader.compile;

import dev.hermetic.loader.archive.Archive;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The part of {@link ModuleCompiler} that touches {@code javax.tools}: loaded only after
 * {@link ModuleCompiler#unavailableReason()} has seen the {@code java.compiler} module, so that a runtime
 * without it gets a reason, never a {@link NoClassDefFoundError}.
 */
final class Javac {
    private Javac() {
    }

    /** @return whether the runtime has a system Java compiler */
    static boolean present() {
        return ToolProvider.getSystemJavaCompiler() != null;
    }

    /**
     * Compiles one source against the archive.
     *
     * @param self    the id of the module being compiled, whose caches and source are hidden, or -1
     * @param options javac's options, complete ({@link ModuleCompiler#javacOptions})
     * @return the class files by class-path name, sorted
     */
    static Map<String, byte[]> compile(Archive archive, ArchiveClassPath classPath, int self, String sourceName,
                                       byte[] source, Charset charset, List<String> options)
            throws CompileException, IOException {
        String text;
        try {
            text = ArchiveFileManager.decode(sourceName, source, charset);
        } catch (IOException e) {
            throw new CompileException(sourceName, "cannot compile " + sourceName + ": " + e.getMessage(),
                    0, -1, List.of(), null);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new CompileException(sourceName, "cannot compile " + sourceName + ": "
                    + ModuleCompiler.NO_SYSTEM_COMPILER, 0, -1, List.of(), null);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter out = new StringWriter();
        Map<String, byte[]> output = new TreeMap<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, charset);
        boolean ok;
        try (ArchiveFileManager files = new ArchiveFileManager(standard, archive, classPath, self, charset, output)) {
            JavaCompiler.CompilationTask task;
            try {
                task = javac.getTask(out, files, diagnostics, options, null,
                        List.of(new ArchiveFileManager.GivenSource(sourceName, source, text, charset)));
            } catch (IllegalArgumentException e) {
                throw new CompileException(sourceName, "cannot compile " + sourceName + ": invalid compiler options: "
                        + oneLine(e.getMessage()), 0, -1, List.of(), e);
            }
            task.setLocale(Locale.ROOT);
            try {
                ok = task.call();
            } catch (RuntimeException e) {
                throw new CompileException(sourceName, "cannot compile " + sourceName + ": javac failed: "
                        + oneLine(String.valueOf(e.getCause() != null ? e.getCause() : e)), 0, -1, List.of(), e);
            }
        }
        List<Diagnostic<? extends JavaFileObject>> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(d);
            }
        }
        if (ok && errors.isEmpty()) {
            return output;
        }
        throw failure(sourceName, errors, out.toString());
    }

    private static CompileException failure(String sourceName, List<Diagnostic<? extends JavaFileObject>> errors,
                                            String out) {
        if (errors.isEmpty()) {
            return new CompileException(sourceName, "cannot compile " + sourceName + ": javac failed"
                    + (out.isBlank() ? "" : ": " + oneLine(out)), 0, -1, List.of(), null);
        }
        List<String> texts = new ArrayList<>(errors.size());
        for (Diagnostic<? extends JavaFileObject> d : errors) {
            String file = d.getSource() == null ? null : d.getSource().getName();
            String where = file == null ? "" : d.getLineNumber() > 0 ? file + ":" + d.getLineNumber() + ": " : file + ": ";
            texts.add(where + "error: " + d.getMessage(Locale.ROOT));
        }
        Diagnostic<? extends JavaFileObject> first = errors.get(0);
        String file = first.getSource() == null ? null : first.getSource().getName();
        long line = first.getLineNumber() > 0 ? first.getLineNumber() : -1;
        StringBuilder message = new StringBuilder("cannot compile ").append(sourceName).append(": ")
                .append(errors.size()).append(errors.size() == 1 ? " error" : " errors, the first");
        if (file != null && !file.equals(sourceName)) {
            message.append(" in ").append(file);
        }
        if (file != null && line > 0) {
            message.append(" at line ").append(line);
        }
        message.append(": ").append(oneLine(first.getMessage(Locale.ROOT)));
        return new CompileException(sourceName, message.toString(), errors.size(), file == null ? -1 : line, texts, null);
    }

    /**
     * Joins javac's multi-line text into one line: {@code "cannot find symbol\n  symbol:   class X"}
     * becomes {@code "cannot find symbol (symbol: class X)"}.
     */
    static String oneLine(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : String.valueOf(text).split("\\R")) {
            String trimmed = line.strip().replaceAll("\\s+", " ");
            if (!trimmed.isEmpty()) {
                lines.add(trimmed);
            }
        }
        if (lines.isEmpty()) {
            return "";
        }
        return lines.size() == 1 ? lines.get(0)
                : lines.get(0) + " (" + String.join(", ", lines.subList(1, lines.size())) + ")";
    }
}
