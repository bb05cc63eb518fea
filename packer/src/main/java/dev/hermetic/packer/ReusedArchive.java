package dev.hermetic.packer;

import dev.hermetic.loader.archive.ArchiveLayout;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.Manifest;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * An earlier archive ({@code --reuse OLD.jar}) whose resources' compressed bytes a pack copies instead
 * of deflating the same bytes again. Read with Commons Compress through its central directory.
 *
 * <p>What is reused, and why the output stays byte-identical to a pack without {@code --reuse}:
 * <ul>
 *   <li>Only from an archive packed with {@code --compress-resources} by a JDK whose deflate output is
 *       this one's: its manifest's {@value Deflated#ATTRIBUTE} must equal {@link Deflated#fingerprint()}.
 *       Any other archive (packed without compression, by another packer, a plain jar) is used for
 *       nothing; see {@link #ignoredBecause()}.</li>
 *   <li>Entry by entry: {@code HERMETIC-INF/classes/NAME} of the same name, same uncompressed size and
 *       CRC-32, and its stored bytes, inflated, equal to the new bytes, byte for byte (inflating is
 *       several times cheaper than deflating). A DEFLATED entry is reused only when smaller than the
 *       bytes, a STORED one only when it is the bytes (the packer stored it because deflating did not
 *       make it smaller, which is what deflating again would find). Anything else (another size,
 *       corrupt deflate data, an unknown method, a read error) and the entry is deflated as usual.</li>
 * </ul>
 * A file that is missing, a directory, or not a zip at all is an error ({@link PackException}): it is
 * a mistake in the command, and silently compressing everything would hide it.
 *
 * <p>Costs: opening reads OLD's central directory; each lookup reads at most the new entry's size from
 * OLD and inflates it. Lookups may run on several threads at once.
 */
final class ReusedArchive implements Closeable {
    private final Path path;
    private final ZipFile zip;
    private final String ignoredBecause;

    private ReusedArchive(Path path, ZipFile zip, String ignoredBecause) {
        this.path = path;
        this.zip = zip;
        this.ignoredBecause = ignoredBecause;
    }

    /**
     * @throws PackException when the file does not exist, is a directory, or is not a zip
     */
    static ReusedArchive open(Path old) throws IOException {
        InputTrees.requireExists(old, "--reuse");
        if (Files.isDirectory(old)) {
            throw new PackException(old, "--reuse: is a directory, not an archive");
        }
        ZipFile zip;
        try {
            zip = ZipFile.builder().setPath(old).get();
        } catch (IOException e) {
            throw new PackException(old, "--reuse: not a zip archive (" + e.getMessage() + ")", e);
        }
        String fingerprint = null;
        try {
            ZipArchiveEntry manifest = zip.getEntry("META-INF/MANIFEST.MF");
            if (manifest != null && manifest.getSize() >= 0 && manifest.getSize() < (1 << 20)) {
                try (InputStream in = zip.getInputStream(manifest)) {
                    fingerprint = new Manifest(in).getMainAttributes().getValue(Deflated.ATTRIBUTE);
                }
            }
        } catch (IOException | RuntimeException e) {
            fingerprint = null; // a manifest that cannot be read: nothing is reused
        }
        String ignored = fingerprint == null
                ? "it was not packed with --compress-resources (no " + Deflated.ATTRIBUTE + " in its manifest)"
                : !fingerprint.equals(Deflated.fingerprint())
                ? "its resources were compressed differently (" + fingerprint + ", this JDK: " + Deflated.fingerprint() + ")"
                : null;
        if (ignored != null) {
            zip.close();
            return new ReusedArchive(old, null, ignored);
        }
        return new ReusedArchive(old, zip, null);
    }

    Path path() {
        return path;
    }

    /** @return why nothing of this archive is reused, or null when its entries may be */
    String ignoredBecause() {
        return ignoredBecause;
    }

    /**
     * The form OLD holds of an application entry, when its content is exactly {@code bytes}.
     *
     * @param name  the entry's class-path name ({@code config/app.json})
     * @param bytes its new content
     * @param crc32 the CRC-32 of {@code bytes}
     * @return OLD's form of the entry, or null when it has none to reuse
     */
    Deflated find(String name, byte[] bytes, int crc32) {
        if (zip == null) {
            return null;
        }
        try {
            ZipArchiveEntry old = zip.getEntry(ArchiveLayout.CLASSES + name);
            if (old == null || old.isDirectory() || old.getSize() != bytes.length || (int) old.getCrc() != crc32
                    || old.getGeneralPurposeBit().usesEncryption()) {
                return null;
            }
            long compressed = old.getCompressedSize();
            if (old.getMethod() == ZipEntry.DEFLATED && compressed >= 0 && compressed < bytes.length) {
                byte[] data = raw(old, (int) compressed);
                return data != null && inflatesTo(data, bytes)
                        ? new Deflated(ZipEntry.DEFLATED, data, bytes.length, crc32) : null;
            }
            if (old.getMethod() == ZipEntry.STORED && compressed == bytes.length) {
                byte[] data = raw(old, bytes.length);
                return data != null && Arrays.equals(data, bytes)
                        ? new Deflated(ZipEntry.STORED, bytes, bytes.length, crc32) : null;
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // a corrupt entry: deflate the new bytes instead
        }
    }

    private byte[] raw(ZipArchiveEntry entry, int length) throws IOException {
        synchronized (zip) {
            try (InputStream in = zip.getRawInputStream(entry)) {
                if (in == null) {
                    return null;
                }
                byte[] data = in.readNBytes(length);
                return data.length == length ? data : null;
            }
        }
    }

    private static boolean inflatesTo(byte[] data, byte[] expected) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(data);
            byte[] inflated = new byte[expected.length];
            int done = 0;
            while (done < inflated.length) {
                int n = inflater.inflate(inflated, done, inflated.length - done);
                if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    return false;
                }
                done += n;
            }
            if (!inflater.finished() && inflater.inflate(new byte[1]) > 0) {
                return false;
            }
            return inflater.finished() && inflater.getRemaining() == 0 && Arrays.equals(inflated, expected);
        } catch (DataFormatException e) {
            return false;
        } finally {
            inflater.end();
        }
    }

    @Override
    public void close() throws IOException {
        if (zip != null) {
            zip.close();
        }
    }
}
