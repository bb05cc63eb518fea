package dev.hermetic.packer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The packer's input is wrong: a missing file, a jar that is not one, an unknown main class, a class in
 * two inputs, a source that does not compile. The message is one line naming the file and the problem.
 */
public class PackException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file the input at fault
     * @param what what is wrong with it
     */
    public PackException(Path file, String what) {
        super(file + ": " + what);
    }

    /** @param what what is wrong, naming the input itself */
    public PackException(String what) {
        super(what);
    }

    /**
     * @param file  the input at fault
     * @param what  what is wrong with it
     * @param cause the underlying failure
     */
    public PackException(Path file, String what, Throwable cause) {
        super(file + ": " + what, cause);
    }
}
