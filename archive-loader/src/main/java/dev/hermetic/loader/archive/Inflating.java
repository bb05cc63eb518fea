package dev.hermetic.loader.archive;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipEntry;
import java.nio.file.Path;

/**
 * Inflating entries, with a few {@link Inflater}s kept for reuse: a class of its own, loaded at the first
 * compressed entry read, so that an archive whose classes are all STORED never loads it.
 */
final class Inflating {
    private Inflating() {
    }

    /** Inflates stored bytes to exactly {@code size} bytes, or says what is wrong with them. */
    static byte[] inflate(Path file, String name, byte[] stored, int method, long size) throws ArchiveFormatException {
        if (method == ZipEntry.STORED) {
            if (stored.length != size) {
                throw new ArchiveFormatException(file, name + " is stored as " + stored.length + " bytes, not " + size);
            }
            return stored;
        }
        if (method != ZipEntry.DEFLATED) {
            throw new ArchiveFormatException(file, name + " uses unsupported compression method " + method);
        }
        Archive.checkRatio(file, name, method, stored.length, size);
        byte[] inflated = new byte[Archive.intSize(file, name, size)];
        Inflater inflater = takeInflater();
        boolean reusable = false;
        try {
            inflater.setInput(stored);
            int done = 0;
            while (done < inflated.length) {
                int n = inflater.inflate(inflated, done, inflated.length - done);
                if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                done += n;
            }
            if (done != inflated.length) {
                throw new ArchiveFormatException(file, name + " inflates to " + done + " bytes, not the " + size + " recorded");
            }
            if (!inflater.finished() && inflater.inflate(new byte[1]) > 0) {
                throw new ArchiveFormatException(file, name + " inflates to more than the " + size + " bytes recorded");
            }
            reusable = true;
        } catch (DataFormatException e) {
            throw new ArchiveFormatException(file, name + " has corrupt deflate data: " + e.getMessage());
        } finally {
            giveBack(inflater, reusable);
        }
        return inflated;
    }

    /**
     * Inflaters kept for reuse: creating one costs a native zlib stream (allocated, initialised, then
     * ended), about the cost of inflating a small class. A few, for threads loading in parallel.
     */
    private static final Inflater[] SPARE_INFLATERS = new Inflater[4];
    private static int spareInflaters;

    private static Inflater takeInflater() {
        synchronized (SPARE_INFLATERS) {
            if (spareInflaters > 0) {
                Inflater spare = SPARE_INFLATERS[--spareInflaters];
                SPARE_INFLATERS[spareInflaters] = null;
                return spare;
            }
        }
        return new Inflater(true);
    }

    /** Keeps an inflater that ended cleanly for the next entry; ends one that failed or is not needed. */
    private static void giveBack(Inflater inflater, boolean reusable) {
        if (reusable) {
            inflater.reset();
            synchronized (SPARE_INFLATERS) {
                if (spareInflaters < SPARE_INFLATERS.length) {
                    SPARE_INFLATERS[spareInflaters++] = inflater;
                    return;
                }
            }
        }
        inflater.end();
    }
}
