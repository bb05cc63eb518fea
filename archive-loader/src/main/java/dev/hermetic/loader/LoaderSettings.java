package dev.hermetic.loader;

import dev.hermetic.loader.archive.Integrity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How an {@link ArchiveClassLoader} validates and recompiles: immutable; from the system properties
 * with {@link #fromSystem()}, or made with {@link #builder()} by a plugin host.
 *
 * @param check          whether to honour, extend or waive the index's validation modes
 * @param verbose        whether to print one line per module decision to stderr
 * @param cache          whether to keep recompiled modules in a cache directory
 * @param cacheDirectory that directory; empty for the default under the user's cache directory
 * @param sourcePath     a directory of sources that overlay the archive's in validation and
 *                       recompiling; empty for none
 * @param verify         how much the archive checks the bytes of each entry read
 *                       ({@code -Dhermetic.verify=none|crc|digest}, default {@link Integrity#DEFAULT})
 * @param preload        whether to work ahead on threads of their own: define the classes of the
 *                       archive's preload list ({@link Preloader}) and hash the sources of checked
 *                       modules ({@link SourceHashes}); {@code -Dhermetic.preload=false} turns both off
 * @param preloadRecord  a file to write the names of the classes this loader defined to, in order, when
 *                       the JVM exits: a preload list ({@code -Dhermetic.preload.record=FILE}); empty for none
 * @param train          whether this run trains the JDK's caches: on JDK 17, link every class defined at exit, so
 *                       that the archive the JVM writes then holds them all ({@link CacheTraining},
 *                       {@code -Dhermetic.train=true})
 */
public record LoaderSettings(Check check, boolean verbose, boolean cache, Optional<Path> cacheDirectory,
                             Optional<Path> sourcePath, Integrity verify, boolean preload,
                             Optional<Path> preloadRecord, boolean train) {
    /** The system property of {@link #check}, which wins over {@link #CHECK_VARIABLE}. */
    static final String CHECK_PROPERTY = "hermetic.check";
    /** The environment variable of {@link #check}. */
    static final String CHECK_VARIABLE = "HERMETIC_CHECK";

    /** {@code -Dhermetic.check}, or the environment variable {@code HERMETIC_CHECK}. */
    public enum Check {
        /** Apply each module's recorded mode. */
        DEFAULT,
        /** Check trusted modules too (by content hash), for audits. */
        ALWAYS,
        /** Trust every module. */
        NEVER
    }

    public LoaderSettings {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(cacheDirectory, "cacheDirectory");
        Objects.requireNonNull(sourcePath, "sourcePath");
        Objects.requireNonNull(verify, "verify");
        Objects.requireNonNull(preloadRecord, "preloadRecord");
    }

    /** The settings with the default {@link Integrity} level, preloading on, recording and training nothing. */
    public LoaderSettings(Check check, boolean verbose, boolean cache, Optional<Path> cacheDirectory,
                          Optional<Path> sourcePath) {
        this(check, verbose, cache, cacheDirectory, sourcePath, Integrity.DEFAULT, true, Optional.empty(), false);
    }

    /**
     * Reads {@code hermetic.check} (else {@code HERMETIC_CHECK}), {@code hermetic.verbose},
     * {@code hermetic.cache.dir} ({@code none} to keep no cache), {@code hermetic.verify},
     * {@code hermetic.source.path}, {@code hermetic.preload}, {@code hermetic.preload.record} and
     * {@code hermetic.train}.
     *
     * @throws IllegalArgumentException when a value is not one of those allowed, or the source path is
     *                                  not a directory
     */
    public static LoaderSettings fromSystem() {
        // no Builder here: one class fewer before every main
        String check = System.getProperty(CHECK_PROPERTY);
        String checkSource = "-D" + CHECK_PROPERTY;
        if (check == null) {
            check = System.getenv(CHECK_VARIABLE);
            checkSource = CHECK_VARIABLE;
        }
        Check checkValue = Check.DEFAULT;
        if (check != null && !check.isEmpty()) {
            try {
                checkValue = Check.valueOf(check.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(checkSource + "=" + check + ": expected default, always or never");
            }
        }
        String cache = System.getProperty("hermetic.cache.dir");
        Optional<Path> cacheDirectory = cache == null || cache.isEmpty() || cache.equals("none") ? Optional.empty()
                : Optional.of(Path.of(cache));
        Integrity verifyValue = verifyFromSystem();
        String sources = System.getProperty("hermetic.source.path");
        Optional<Path> sourcePath = Optional.empty();
        if (sources != null && !sources.isEmpty()) {
            if (!Files.isDirectory(Path.of(sources))) {
                throw new IllegalArgumentException("-Dhermetic.source.path=" + sources + ": not a directory");
            }
            sourcePath = Optional.of(Path.of(sources));
        }
        String preload = booleanProperty("hermetic.preload");
        String record = System.getProperty("hermetic.preload.record");
        return new LoaderSettings(checkValue, Boolean.parseBoolean(System.getProperty("hermetic.verbose")),
                !"none".equals(cache), cacheDirectory, sourcePath, verifyValue, !"false".equals(preload),
                record == null || record.isEmpty() ? Optional.empty() : Optional.of(Path.of(record)),
                "true".equals(booleanProperty("hermetic.train")));
    }

    /** @return {@link #verify} as {@link #fromSystem} reads it */
    static Integrity verifyFromSystem() {
        String verify = System.getProperty("hermetic.verify");
        return verify == null || verify.isEmpty() ? Integrity.DEFAULT : Integrity.parse(verify);
    }

    /**
     * @return the property's value, null when unset or empty
     * @throws IllegalArgumentException when it is neither true nor false
     */
    private static String booleanProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("-D" + name + "=" + value + ": expected true or false");
        }
        return value;
    }

    /** @return a builder of the defaults: recorded modes, quiet, default cache directory, no overlay */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects settings. */
    public static final class Builder {
        private Check check = Check.DEFAULT;
        private boolean verbose;
        private boolean cache = true;
        private Path cacheDirectory;
        private Path sourcePath;
        private Integrity verify = Integrity.DEFAULT;
        private boolean preload = true;
        private Path preloadRecord;
        private boolean train;

        private Builder() {
        }

        public Builder check(Check check) {
            this.check = check;
            return this;
        }

        public Builder verbose(boolean verbose) {
            this.verbose = verbose;
            return this;
        }

        /** @param cache false to keep recompiled modules in memory only */
        public Builder cache(boolean cache) {
            this.cache = cache;
            return this;
        }

        public Builder cacheDirectory(Path directory) {
            this.cacheDirectory = directory;
            return this;
        }

        public Builder sourcePath(Path directory) {
            this.sourcePath = directory;
            return this;
        }

        public Builder verify(Integrity verify) {
            this.verify = verify;
            return this;
        }

        /** @param preload false to do no work ahead: the preload list unused, checked sources hashed when needed */
        public Builder preload(boolean preload) {
            this.preload = preload;
            return this;
        }

        /** @param file where to write, at exit, the names of the classes defined, in order */
        public Builder preloadRecord(Path file) {
            this.preloadRecord = file;
            return this;
        }

        /** @param train true in the run that trains the JDK's caches: on JDK 17, link every class defined at exit */
        public Builder train(boolean train) {
            this.train = train;
            return this;
        }

        public LoaderSettings build() {
            return new LoaderSettings(check, verbose, cache, Optional.ofNullable(cacheDirectory),
                    Optional.ofNullable(sourcePath), verify, preload, Optional.ofNullable(preloadRecord), train);
        }
    }
}
