package dev.hermetic.packer;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveFormatException;
import dev.hermetic.loader.archive.IndexedEntry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A {@code --lib} jar as it will be nested: its entries with where their bytes start relative to the
 * jar's first byte, as the strict check ({@link Archive#checkZip}) read them from its headers. The jar
 * itself is copied unchanged, so these offsets plus the jar's place in the archive are where the loader
 * reads.
 *
 * <p>Costs: one read of the central directory and one small read per entry; a signed jar is also read
 * whole, to verify it.
 *
 * @param path    the jar
 * @param entries its entries, in central-directory order, with container and module -1
 */
record NestedJar(Path path, List<IndexedEntry> entries) {
    static NestedJar read(Path jar) throws IOException {
        InputTrees.requireExists(jar, "--lib");
        if (Files.isDirectory(jar)) {
            throw new PackException(jar, "--lib: is a directory, not a jar");
        }
        List<IndexedEntry> entries;
        try {
            // strict: names, duplicates, overlaps, headers, methods (STORED or DEFLATED), encryption, ZIP64, ratios
            entries = Archive.checkZip(jar);
        } catch (ArchiveFormatException e) {
            throw new PackException(jar, "--lib: " + e.getMessage().substring(jar.toString().length() + 2), e);
        }
        if (signed(entries)) {
            verifySignatures(jar);
        }
        return new NestedJar(jar, List.copyOf(entries));
    }

    /** Whether the jar has a signature file, {@code META-INF/NAME.SF}, as the JDK recognises them. */
    private static boolean signed(List<IndexedEntry> entries) {
        for (IndexedEntry e : entries) {
            String name = e.name().toUpperCase(Locale.ROOT);
            if (name.startsWith("META-INF/") && name.endsWith(".SF") && name.indexOf('/', "META-INF/".length()) < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Verifies a signed jar as the JDK verifies it on a class path: {@link JarFile} with verification on,
     * reading every entry, so that a tampered entry or signature is refused at pack time rather than when
     * the application first loads it.
     */
    private static void verifySignatures(Path jar) throws PackException {
        byte[] buffer = new byte[8192];
        String current = null;
        try (JarFile file = new JarFile(jar.toFile(), true)) {
            for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                current = entry.getName();
                try (InputStream in = file.getInputStream(entry)) {
                    while (in.read(buffer) >= 0) {
                        // reading to the end makes the JDK check the entry's digest
                    }
                }
            }
        } catch (SecurityException e) {
            throw new PackException(jar, "--lib: signed jar fails verification at " + current + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PackException(jar, "--lib: signed jar cannot be verified (" + e.getMessage() + ")", e);
        }
    }

    /** @return whether the jar has an entry of this name */
    boolean has(String name) {
        for (IndexedEntry e : entries) {
            if (e.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
