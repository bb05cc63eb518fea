package dev.hermetic.loader;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.loader.archive.Sha256;

import java.io.IOException;
import java.security.MessageDigest;

/**
 * Hashes the sources of {@code checked} modules ahead of their first class, on a thread of its own, so
 * that reading and hashing them overlaps with what the application's thread does meanwhile (defining,
 * linking, initialising) on another core. The {@link ModuleValidator} starts it at its first checked
 * module and takes each finding instead of hashing that source itself; everything else of a decision
 * (the caches' checks, recompiling, logging) stays with the validator, under its lock.
 *
 * <p>Findings are written and read without a lock: each is one byte, written whole, and a reader that
 * sees {@link #UNKNOWN} hashes the source itself, as without this thread. The thread is a daemon, named
 * {@code hermetic-source-check}; it skips modules already decided and ends after the last module, at the
 * first failure to read one (the application's thread then meets that failure at that module, and
 * reports it), or when the loader is closed.
 *
 * <p>Costs: one byte per module, and the other core's time to read and hash the sources of checked
 * modules the application may never load.
 */
final class SourceHashes implements Runnable {
    /** Not hashed (yet): the validator hashes it. */
    static final byte UNKNOWN = 0;
    /** The source has the SHA-256 the index records. */
    static final byte SAME = 1;
    /** The source's SHA-256 differs from the one the index records. */
    static final byte CHANGED = 2;
    /** The module has no source to hash, neither in the overlay nor in the archive. */
    static final byte ABSENT = 3;

    private final ModuleValidator validator;
    private final Archive archive;
    private final byte[] states;

    SourceHashes(ModuleValidator validator, Archive archive) {
        this.validator = validator;
        this.archive = archive;
        this.states = new byte[archive.moduleCount()];
    }

    /** Starts hashing ahead, on a daemon thread. */
    static SourceHashes start(ModuleValidator validator, Archive archive) {
        SourceHashes hashes = new SourceHashes(validator, archive);
        Thread thread = new Thread(hashes, "hermetic-source-check");
        thread.setDaemon(true);
        thread.start();
        return hashes;
    }

    /** @return what the thread found of a module's source so far: one of the constants above */
    byte state(int module) {
        return states[module];
    }

    @Override
    public void run() {
        MessageDigest digest = Sha256.newDigest();
        try {
            for (int id = 0; id < states.length; id++) {
                if (!validator.decided(id)) {
                    Module module = archive.module(id);
                    if (validator.checkedWhateverTrust(module)) {
                        states[id] = validator.hashSource(module, digest);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable or closed: the application's thread meets it at this module itself
        }
    }
}
