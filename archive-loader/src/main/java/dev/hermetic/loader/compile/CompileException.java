package dev.hermetic.loader.compile;

import java.util.List;

/**
 * A module could not be compiled: javac reported errors, rejected the options, or this runtime has no
 * compiler. The message is one line naming the source, the first error's place and text and the error
 * count, for instance:
 *
 * <pre>
 * cannot compile app/Main.java: 2 errors, the first at line 3: cannot find symbol (symbol: class Missing, location: class app.Main)
 * cannot compile app/Main.java: 1 error in app/Helper.java at line 2: ';' expected
 * cannot compile app/Main.java: this Java runtime has no compiler (module java.compiler is absent)
 * </pre>
 *
 * {@link #errors()} has every error as javac words it, for a verbose log.
 */
public final class CompileException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @serial the source that was compiled */
    private final String source;
    /** @serial how many errors javac reported */
    private final int errorCount;
    /** @serial the first error's line in its file, or -1 */
    private final long line;
    /** @serial every error, one string each ({@code app/Main.java:3: error: ...}) */
    private final List<String> errors;

    CompileException(String source, String message, int errorCount, long line, List<String> errors, Throwable cause) {
        super(message, cause);
        this.source = source;
        this.errorCount = errorCount;
        this.line = line;
        this.errors = List.copyOf(errors);
    }

    /** @return the source that was compiled, as its module names it ({@code com/example/Main.java}) */
    public String source() {
        return source;
    }

    /** @return how many errors javac reported; 0 when it did not get to run */
    public int errorCount() {
        return errorCount;
    }

    /** @return the line of the first error in its file, or -1 when it has none (or javac did not run) */
    public long line() {
        return line;
    }

    /** @return every error javac reported, possibly several lines each, in order */
    public List<String> errors() {
        return errors;
    }
}
