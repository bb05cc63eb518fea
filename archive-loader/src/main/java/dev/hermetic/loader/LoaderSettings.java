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
 */
public record LoaderSettings(Check check, boolean verbose, boolean cache, Optional<Path> cacheDirectory,
                             Optional<Path> sourcePath, Integrity verify) {
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
    }

    /** The settings with the default {@link Integrity} level. */
    public LoaderSettings(Check check, boolean verbose, boolean cache, Optional<Path> cacheDirectory,
                          Optional<Path> sourcePath) {
        this(check, verbose, cache, cacheDirectory, sourcePath, Integrity.DEFAULT);
    }

    /**
     * Reads {@code hermetic.check} (else {@code HERMETIC_CHECK}), {@code hermetic.verbose},
     * {@code hermetic.cache.dir} ({@code none} to keep no cache), {@code hermetic.verify} and
     * {@code hermetic.source.path}.
     *
     * @throws IllegalArgumentException when a value is not one of those allowed, or the source path is
     *                                  not a directory
     */
    public static LoaderSettings fromSystem() {
        String check = System.getProperty("hermetic.check");
        String checkSource = "-Dhermetic.check";
        if (check == null) {
            check = System.getenv("HERMETIC_CHECK");
            checkSource = "HERMETIC_CHECK";
        }
        Builder builder = builder().verbose(Boolean.parseBoolean(System.getProperty("hermetic.verbose")));
        if (check != null && !check.isEmpty()) {
            try {
                builder.check(Check.valueOf(check.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(checkSource + "=" + check + ": expected default, always or never");
            }
        }
        String cache = System.getProperty("hermetic.cache.dir");
        if ("none".equals(cache)) {
            builder.cache(false);
        } else if (cache != null && !cache.isEmpty()) {
            builder.cacheDirectory(Path.of(cache));
        }
        String verify = System.getProperty("hermetic.verify");
        if (verify != null && !verify.isEmpty()) {
            builder.verify(Integrity.parse(verify));
        }
        String sources = System.getProperty("hermetic.source.path");
        if (sources != null && !sources.isEmpty()) {
            if (!Files.isDirectory(Path.of(sources))) {
                throw new IllegalArgumentException("-Dhermetic.source.path=" + sources + ": not a directory");
            }
            builder.sourcePath(Path.of(sources));
        }
        return builder.build();
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

        public LoaderSettings build() {
            return new LoaderSettings(check, verbose, cache, Optional.ofNullable(cacheDirectory),
                    Optional.ofNullable(sourcePath), verify);
        }
    }
}
