package dev.hermetic.loader;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.IndexedEntry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * Finds names on the archive's class path as the JDK's class path loader finds them in jars, and holds
 * each container's manifest.
 *
 * <p><b>Multi-release jars.</b> A nested jar whose manifest says {@code Multi-Release: true} serves, for
 * a name outside {@code META-INF/}, its entry {@code META-INF/versions/N/NAME} of the highest {@code N}
 * from 9 up to the running JVM's feature release, else its base entry, as {@link java.util.jar.JarFile}
 * does at run time; the entry found keeps its versioned name, so its URL names the versioned entry as
 * the JDK's {@code jar:} URLs do. {@code -Djdk.util.jar.enableMultiRelease=false} turns this off, as for
 * the JDK. The application's own classes (under {@code HERMETIC-INF/classes/}) are never versioned.
 *
 * <p>Costs: which jars are multi-release is learnt once, at the first lookup, by reading the manifest
 * of every nested jar the index says has versioned entries (a positional read each; parsed only when
 * its bytes mention {@code Multi-Release}); other jars cannot be multi-release in effect, and their
 * manifests are not read. Archives without multi-release jars then pay nothing more; with one, a
 * lookup probes the index once per release from the JVM's down to 9 (a hash probe each).
 */
final class ClassPathLookup {
    static final String MANIFEST = "META-INF/MANIFEST.MF";
    private static final int FIRST_VERSION = 9;
    /** Marks a container known to have no (readable) manifest. */
    private static final Manifest NO_MANIFEST = new Manifest();
    private static final byte[] MULTI_RELEASE = "multi-release".getBytes(StandardCharsets.US_ASCII);

    private final Archive archive;
    private final int feature;
    private final Manifest[] manifests;
    private final byte[][] manifestBytes;
    /** Null until learnt; then, per container, whether it is a multi-release jar; empty when none is. */
    private volatile boolean[] multiRelease;

    ClassPathLookup(Archive archive) {
        this.archive = archive;
        this.feature = "false".equalsIgnoreCase(System.getProperty("jdk.util.jar.enableMultiRelease"))
                ? 8 : Runtime.version().feature();
        int containers = archive.containerCount();
        this.manifests = new Manifest[containers];
        this.manifestBytes = new byte[containers][];
    }

    /** @return the first entry of the name in class-path order, versioned where its jar says so; or null */
    IndexedEntry find(String name) throws IOException {
        if (!versioned(name)) {
            return archive.find(name);
        }
        List<IndexedEntry> all = findAll(name);
        return all.isEmpty() ? null : all.get(0);
    }

    /** @return every entry of the name in class-path order, one per container, versioned where its jar says so */
    List<IndexedEntry> findAll(String name) throws IOException {
        List<IndexedEntry> base = archive.findAll(name);
        if (!versioned(name)) {
            return base;
        }
        boolean[] mr = multiRelease;
        IndexedEntry[] chosen = new IndexedEntry[mr.length];
        int found = 0;
        for (int version = feature; version >= FIRST_VERSION; version--) {
            for (IndexedEntry entry : archive.findAll(ArchiveLayout.VERSIONS + version + "/" + name)) {
                int c = entry.container();
                if (mr[c] && chosen[c] == null) {
                    chosen[c] = entry;
                    found++;
                }
            }
        }
        if (found == 0) {
            return base;
        }
        for (IndexedEntry entry : base) {
            if (chosen[entry.container()] == null) {
                chosen[entry.container()] = entry;
            }
        }
        List<IndexedEntry> merged = new ArrayList<>(base.size() + found);
        for (IndexedEntry entry : chosen) {
            if (entry != null) {
                merged.add(entry);
            }
        }
        return merged;
    }

    /** Whether a lookup of this name must consider versioned entries; learns the multi-release jars first. */
    private boolean versioned(String name) throws IOException {
        if (feature < FIRST_VERSION || name.startsWith("META-INF/")) {
            return false;
        }
        boolean[] mr = multiRelease;
        if (mr == null) {
            mr = learnMultiRelease();
        }
        return mr.length > 0;
    }

    private synchronized boolean[] learnMultiRelease() throws IOException {
        if (multiRelease != null) {
            return multiRelease;
        }
        boolean[] mr = new boolean[manifests.length];
        boolean any = false;
        for (int c = 1; c < mr.length; c++) {
            if (!archive.versioned(c)) {
                continue;
            }
            byte[] bytes = manifestBytes(c);
            if (bytes != null && contains(bytes, MULTI_RELEASE)) {
                Manifest manifest = manifest(c);
                mr[c] = manifest != null
                        && "true".equalsIgnoreCase(trim(manifest.getMainAttributes().getValue(Attributes.Name.MULTI_RELEASE)));
                any |= mr[c];
            }
        }
        multiRelease = any ? mr : new boolean[0];
        return multiRelease;
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }

    /** The raw bytes of a container's manifest, read once; null when it has none or they cannot be read. */
    byte[] manifestBytes(int container) {
        byte[] bytes = manifestBytes[container];
        if (bytes == null) {
            // A benign race: two threads may read the same bytes.
            bytes = new byte[0];
            try {
                for (IndexedEntry entry : archive.findAll(MANIFEST)) {
                    if (entry.container() == container) {
                        bytes = archive.read(entry);
                        break;
                    }
                }
            } catch (IOException unreadable) {
                // an unreadable manifest costs the package its attributes, not the class its loading
            }
            manifestBytes[container] = bytes;
        }
        return bytes.length == 0 ? null : bytes;
    }

    /** The manifest of a container, parsed once; null when it has none or it cannot be read. */
    Manifest manifest(int container) {
        Manifest manifest = manifests[container];
        if (manifest == null) {
            manifest = NO_MANIFEST;
            byte[] bytes = manifestBytes(container);
            if (bytes != null) {
                try {
                    manifest = new Manifest(new ByteArrayInputStream(bytes));
                } catch (IOException | RuntimeException malformed) {
                    manifest = NO_MANIFEST;
                }
            }
            manifests[container] = manifest;
        }
        return manifest == NO_MANIFEST ? null : manifest;
    }

    /** Case-insensitive search of ASCII {@code lowerCaseNeedle} in bytes. */
    private static boolean contains(byte[] bytes, byte[] lowerCaseNeedle) {
        outer:
        for (int i = 0; i <= bytes.length - lowerCaseNeedle.length; i++) {
            for (int j = 0; j < lowerCaseNeedle.length; j++) {
                int b = bytes[i + j];
                if (b >= 'A' && b <= 'Z') {
                    b += 'a' - 'A';
                }
                if (b != lowerCaseNeedle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
