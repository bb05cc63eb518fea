package dev.hermetic.packer;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * A {@code --lib} jar as it will be nested: its entries with where their bytes start relative to the
 * jar's first byte, read from its central directory with Commons Compress. The jar itself is copied
 * unchanged, so these offsets plus the jar's place in the archive are where the loader reads.
 *
 * @param path    the jar
 * @param entries its entries, in central-directory order
 */
record NestedJar(Path path, List<Entry> entries) {
    /**
     * One entry of a nested jar.
     *
     * @param name           its name
     * @param dataOffset     where its bytes start, relative to the jar's first byte
     * @param method         STORED or DEFLATED
     * @param compressedSize bytes stored
     * @param size           bytes inflated
     * @param crc32          CRC-32 of the inflated bytes
     */
    record Entry(String name, long dataOffset, int method, long compressedSize, long size, int crc32) {
    }

    static NestedJar read(Path jar) throws IOException {
        InputTrees.requireExists(jar, "--lib");
        if (Files.isDirectory(jar)) {
            throw new PackException(jar, "--lib: is a directory, not a jar");
        }
        try {
            Archive.checkZip(jar); // strict: names, duplicates, overlaps, headers, methods, encryption, ZIP64, ratios
        } catch (ArchiveFormatException e) {
            throw new PackException(jar, "--lib: " + e.getMessage().substring(jar.toString().length() + 2), e);
        }
        List<Entry> entries = new ArrayList<>();
        try (ZipFile zip = ZipFile.builder().setPath(jar).get()) {
            for (ZipArchiveEntry e : Collections.list(zip.getEntriesInPhysicalOrder())) {
                if (e.getMethod() != ZipEntry.STORED && e.getMethod() != ZipEntry.DEFLATED) {
                    throw new PackException(jar, "--lib: entry " + e.getName() + " uses compression method "
                            + e.getMethod() + "; only STORED and DEFLATED can be served in place");
                }
                if (e.getGeneralPurposeBit().usesEncryption()) {
                    throw new PackException(jar, "--lib: entry " + e.getName() + " is encrypted");
                }
                entries.add(new Entry(e.getName(), e.getDataOffset(), e.getMethod(), e.getCompressedSize(),
                        e.getSize(), (int) e.getCrc()));
            }
        } catch (PackException e) {
            throw e;
        } catch (IOException e) {
            throw new PackException(jar, "--lib: not a jar (" + e.getMessage() + ")", e);
        }
        if (signed(entries)) {
            verifySignatures(jar);
        }
        return new NestedJar(jar, List.copyOf(entries));
    }

    /** Whether the jar has a signature file, {@code META-INF/NAME.SF}, as the JDK recognises them. */
    private static boolean signed(List<Entry> entries) {
        for (Entry e : entries) {
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
        for (Entry e : entries) {
            if (e.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
