package dev.hermetic.loader;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.loader.archive.Sha256;
import dev.hermetic.loader.archive.ValidationMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Decides, once per module, whether its caches may be served (DESIGN §2) and recompiles those that may
 * not: the policy of an {@link ArchiveClassLoader}.
 *
 * <p>A {@code trusted} module costs one array read after its first class; its source is never read,
 * hashed or stat'ed. {@code checked} hashes the source once (SHA-256), ahead on a second thread from the
 * first checked module on ({@link SourceHashes}) unless the settings turn work ahead off;
 * {@code timestamp} compares its size and time once. A stale module (source changed, cache missing or
 * too new for this JVM) is recompiled from its source with {@code javax.tools}, or served from the
 * compile cache directory when an earlier run compiled the same source ({@link Recompiler}); compiles
 * are serialised. Without a source or a compiler, a stale module is a {@link LinkageError} naming the
 * class and the reason, never a wrong class.
 */
final class ModuleValidator {
    /** The outcome of serving a module's caches as they are: compared by identity. */
    private static final Map<String, byte[]> CACHES = Collections.unmodifiableMap(new HashMap<>());
    private static final int MAX_CLASS_VERSION = 44 + Runtime.version().feature();

    private final Archive archive;
    private final LoaderSettings settings;
    /**
     * Per module, once decided: {@link #CACHES} or the recompiled classes. Written under this object's
     * lock and read without it: each outcome is an immutable map, safely published by its final fields;
     * a thread that sees null takes the lock and sees the decision.
     */
    private final Object[] outcomes;
    private Map<Integer, List<IndexedEntry>> cachesByModule;
    /** Started at the first checked module, under this object's lock. */
    private SourceHashes ahead;
    /** Reused under this object's lock: looking a digest up costs as much as hashing a small source. */
    private MessageDigest digest;
    private Recompiler recompiler;
    private boolean warnedEdited;

    ModuleValidator(Archive archive, LoaderSettings settings) {
        this.archive = archive;
        this.settings = settings;
        this.outcomes = new Object[archive.moduleCount()];
        if (archive.edited()) {
            warnEdited();
        }
    }

    /**
     * The bytes of one class of a module: its cache when the module is fresh, else its recompiled form.
     *
     * @param file  the class file name ({@code com/example/Main.class})
     * @param cache its cache entry, or null when the archive has none
     * @return the bytes, or null when the module does not define that class
     * @throws LinkageError when the module is stale and cannot be recompiled
     */
    byte[] classBytes(int module, String file, IndexedEntry cache) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, byte[]> outcome = (Map<String, byte[]>) outcomes[module];
        if (outcome == null) {
            outcome = decideOnce(module, file, cache);
        }
        if (outcome != CACHES) {
            return outcome.get(file);
        }
        return cache == null ? null : archive.read(cache);
    }

    /** Whether a module's classes were served or recompiled already; may be stale for other threads. */
    boolean decided(int module) {
        return outcomes[module] != null;
    }

    @SuppressWarnings("unchecked")
    private synchronized Map<String, byte[]> decideOnce(int module, String file, IndexedEntry cache) throws IOException {
        if (outcomes[module] == null) {
            outcomes[module] = decide(archive.module(module), file, cache);
        }
        return (Map<String, byte[]>) outcomes[module];
    }

    private Map<String, byte[]> decide(Module module, String file, IndexedEntry cache) throws IOException {
        ValidationMode mode = effectiveMode(module);
        String stale;
        if (cache == null) {
            stale = "no cache for " + file;
        } else if (module.classVersion() > MAX_CLASS_VERSION) {
            stale = "class file version " + module.classVersion() + " is newer than this JVM supports ("
                    + MAX_CLASS_VERSION + ")";
        } else {
            stale = staleness(module, mode);
        }
        if (stale == null) {
            return CACHES;
        }
        log(module, "stale: " + stale);
        return recompile(module, file, cache, stale);
    }

    /**
     * The switch's mode ({@link #switchedMode}), except that an archive whose trust is not bound checks
     * its trusted modules. A trusted module without a source in a sealed zip is served without asking:
     * checking could only say "no source to check against", and its caches are checked against the index
     * as they are read. Only a module with a source makes the archive check its central directory
     * against the seal (once, reading it whole).
     */
    private ValidationMode effectiveMode(Module module) throws IOException {
        ValidationMode mode = switchedMode(module);
        if (mode == ValidationMode.TRUSTED && settings.check() != LoaderSettings.Check.NEVER
                && (archive.edited() || module.hasSource() && !bound())) {
            return ValidationMode.CHECKED;
        }
        return mode;
    }

    /**
     * A module's mode as the runtime switch makes it, before the archive's trust is asked: {@code never}
     * trusts every module, {@code always} checks every module by content hash (the audit), {@code default}
     * keeps the recorded mode. No switch statement here: an enum switch costs a synthetic class on the
     * trusted path.
     */
    private ValidationMode switchedMode(Module module) {
        LoaderSettings.Check check = settings.check();
        if (check == LoaderSettings.Check.NEVER) {
            return ValidationMode.TRUSTED;
        }
        return check == LoaderSettings.Check.ALWAYS ? ValidationMode.CHECKED : module.mode();
    }

    /** Whether the archive's trust is bound, warning once when the check finds it edited after packing. */
    private boolean bound() throws IOException {
        boolean bound = archive.trustBound();
        if (!bound) {
            warnEdited();
        }
        return bound;
    }

    private synchronized void warnEdited() {
        if (!warnedEdited) {
            warnedEdited = true;
            // check=never trusts every module, edited archive or not: say so rather than "checking"
            warn(archive.path() + " was modified after packing (its central directory no longer matches the seal): "
                    + (settings.check() == LoaderSettings.Check.NEVER ? "check=never serves its caches unchecked"
                    : "trust flags are not honoured, checking instead"));
        }
    }

    /** @return why the module's caches may not be served, or null when they may (logged) */
    private String staleness(Module module, ValidationMode mode) throws IOException {
        if (mode == ValidationMode.TRUSTED) {
            log(module, "served trusted");
            return null;
        }
        String stale;
        if (mode == ValidationMode.CHECKED) {
            byte source = checkSource(module);
            if (source == SourceHashes.ABSENT) {
                log(module, "checked: no source to check against; served");
                return null;
            }
            stale = source == SourceHashes.SAME ? changedCache(module)
                    : "source changed (SHA-256 differs from the packed one)";
        } else {
            Archive.Stamp stamp = stamp(module);
            if (stamp == null) {
                log(module, "timestamp: no source to compare; served");
                return null;
            }
            // DOS times, and so archive entries, have two-second resolution
            stale = stamp.size() == module.sourceSize() && stamp.timeMillis() / 2000 == module.sourceTime() / 2000
                    ? changedCache(module)
                    : "source size or time differs (packed " + module.sourceSize() + " bytes at " + module.sourceTime()
                            + " ms, found " + stamp.size() + " bytes at " + stamp.timeMillis() + " ms)";
        }
        if (stale == null) {
            log(module, mode.label() + " ok");
        }
        return stale;
    }

    /** Under the lock: what the thread hashing ahead found, else the source hashed now. */
    private byte checkSource(Module module) throws IOException {
        if (ahead == null && settings.preload() && archive.moduleCount() > 1) {
            ahead = SourceHashes.start(this, archive);
        }
        byte found = ahead == null ? SourceHashes.UNKNOWN : ahead.state(module.id());
        if (found != SourceHashes.UNKNOWN) {
            return found;
        }
        if (digest == null) {
            digest = Sha256.newDigest();
        }
        return hashSource(module, digest);
    }

    /**
     * Whether a module is checked by content hash however the archive's trust turns out: what can be
     * hashed ahead of the decision (a trusted module is checked only when its archive was edited).
     */
    boolean checkedWhateverTrust(Module module) {
        return switchedMode(module) == ValidationMode.CHECKED;
    }

    /**
     * Hashes a module's source as the overlay directory, else the archive, holds it.
     *
     * @param digest a digest no other thread uses meanwhile
     * @return {@link SourceHashes#SAME}, {@link SourceHashes#CHANGED} or {@link SourceHashes#ABSENT}
     */
    byte hashSource(Module module, MessageDigest digest) throws IOException {
        byte[] source = source(module);
        if (source == null) {
            return SourceHashes.ABSENT;
        }
        return Arrays.equals(digest.digest(source), module.sourceSha256()) ? SourceHashes.SAME : SourceHashes.CHANGED;
    }

    /**
     * Where the seal does not vouch for the caches (an edited zip, an exploded directory), a checked
     * module's caches must also be the ones packed: their CRC-32 against the index's.
     */
    private String changedCache(Module module) throws IOException {
        if (bound() && !archive.exploded()) {
            return null;
        }
        for (IndexedEntry cache : caches(module.id())) {
            CRC32 crc = new CRC32();
            crc.update(archive.read(cache));
            if ((int) crc.getValue() != cache.crc32()) {
                return "cache " + cache.name() + " changed after packing";
            }
        }
        return null;
    }

    private synchronized List<IndexedEntry> caches(int module) throws IOException {
        if (cachesByModule == null) {
            cachesByModule = new HashMap<>();
            for (IndexedEntry e : archive.entries()) {
                if (e.module() >= 0 && e.container() == 0) {
                    cachesByModule.computeIfAbsent(e.module(), m -> new ArrayList<>()).add(e);
                }
            }
        }
        return cachesByModule.getOrDefault(module, List.of());
    }

    /** The source as the overlay directory holds it, else as the archive does; null when neither does. */
    private byte[] source(Module module) throws IOException {
        Path overlay = overlay(module);
        return overlay != null ? Files.readAllBytes(overlay) : archive.readSource(module);
    }

    private Archive.Stamp stamp(Module module) throws IOException {
        Path overlay = overlay(module);
        return overlay != null ? new Archive.Stamp(Files.size(overlay), Files.getLastModifiedTime(overlay).toMillis())
                : archive.sourceStamp(module);
    }

    private Path overlay(Module module) {
        if (settings.sourcePath().isEmpty()) {
            return null;
        }
        Path file = settings.sourcePath().get().resolve(module.source());
        return Files.isRegularFile(file) ? file : null;
    }

    /** The stale path, serialised: one compile at a time, and each module compiled once. */
    private synchronized Map<String, byte[]> recompile(Module module, String file, IndexedEntry cache, String reason)
            throws IOException {
        String className = file.substring(0, file.length() - ".class".length()).replace('/', '.');
        byte[] source = source(module);
        if (source == null) {
            boolean tooNew = cache != null && module.classVersion() > MAX_CLASS_VERSION;
            // a cache too new for this JVM: name the archive entry, as the issue asks of this error
            String message = className + (tooNew ? " (" + archive.describe(cache) + ")" : "") + " in " + archive.path()
                    + " is stale (" + reason + ") and the archive has no source " + module.source()
                    + " to recompile it from";
            throw tooNew ? new UnsupportedClassVersionError(message) : new NoClassDefFoundError(message);
        }
        if (recompiler == null) {
            // loaded only now, so serving fresh modules never loads the compiler's classes
            recompiler = new Recompiler(archive, settings);
        }
        return recompiler.recompile(module, className, source, Sha256.of(source), reason);
    }

    private void log(Module module, String decision) {
        log(settings, module, decision);
    }

    /** One line per decision, with {@code -Dhermetic.verbose=true}, as {@code python -v} does. */
    static void log(LoaderSettings settings, Module module, String decision) {
        if (settings.verbose()) {
            System.err.println("[hermetic] " + module.source() + ": " + decision);
        }
    }

    static void warn(String message) {
        System.err.println("[hermetic] warning: " + message);
    }
}
