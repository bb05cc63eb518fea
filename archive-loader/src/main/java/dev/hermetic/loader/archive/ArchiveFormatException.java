package dev.hermetic.loader.archive;

import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * An archive, or its index, is not what a Hermetic archive must be. The message names the file, the
 * structure and, where there is one, the byte offset, so that one line tells what is wrong where.
 */
public class ArchiveFormatException extends ZipException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file the archive
     * @param what the structure and what is wrong with it
     */
    public ArchiveFormatException(Path file, String what) {
        super(file + ": " + what);
    }
}
