package dev.hermetic.packer;

import dev.hermetic.loader.archive.ValidationMode;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to pack: immutable; made with {@link #builder()}.
 *
 * <h2>Validation modes</h2>
 * A module (a {@code .java} source and the class files compiled from it) whose source is shipped gets
 * the mode of, in order of precedence:
 * <ol>
 *   <li>the first of {@link #validationRules()}, in the order given, whose glob matches its source path;</li>
 *   <li>{@link #validation()};</li>
 *   <li>the default: {@code trusted} for caches the packer compiled itself (it saw the bytes it
 *       compiled), also with {@code caches(false)}; {@code checked} for {@code --app} caches whose source
 *       is shipped, since the packer cannot vouch that they were compiled from it.</li>
 * </ol>
 * A module whose source is not shipped is always {@code trusted}: there is no recorded hash, size or
 * time to check anything against, so rules and {@link #validation()} do not apply to it.
 *
 * <h2>Without caches</h2>
 * With {@code caches(false)} the packer still compiles the sources, to check that they compile and to
 * learn which classes each one declares, but ships only the sources (and the resources beside them);
 * each class name is declared to its module in the index with no location, so the loader knows which
 * source to compile on first use. It needs {@link #sources()} and no {@link #apps()}.
 *
 * @param out        the archive to write (replaced atomically)
 * @param mainClass  the application's entry point; empty to take the first {@code --app} jar's
 *                   {@code Main-Class}
 * @param apps       the application's classes and resources: jars or class directories, in class-path
 *                   order; when empty, the packer compiles {@link #sources()} (if any)
 * @param libs       dependency jars, nested whole, in class-path order
 * @param sources    directories of {@code .java} sources (package directories below them), shipped
 *                   beside the caches
 * @param timestamp  the time of every entry
 * @param release    the {@code --release} to compile sources for
 * @param validation the validation mode of every module that ships its source, unless a rule says
 *                   otherwise; empty for the defaults ({@code --validation})
 * @param validationRules per-module modes by source path, in order ({@code --validation-rule GLOB=MODE})
 * @param caches     whether to ship the compiled classes; {@code false} ({@code --no-caches}) ships
 *                   only the sources, each class declared to its module so that the loader compiles it
 *                   on first use
 * @param compressResources whether to DEFLATE application resources (files under
 *                   {@code HERMETIC-INF/classes/} that are not class files) whose deflated form is
 *                   smaller ({@code --compress-resources}; default off). Class files, sources, nested
 *                   jars and the index stay STORED whatever this says: the loader reads a class with one
 *                   positional read and a nested jar in place, as a slice of the archive, which a
 *                   compressed entry cannot be (DESIGN §3)
 * @param threads    how many threads pack ({@code --threads}; default: the available processors): the
 *                   calling thread, which writes the archive, and {@code threads - 1} more that read,
 *                   inflate, hash, parse and compress entries ahead of it; with 1, all of it runs on the
 *                   calling thread. The archive is byte-identical whatever the number
 * @param reuse      an earlier archive whose compressed resources are copied, entry by entry, where their
 *                   content is unchanged, instead of compressing them again ({@code --reuse OLD.jar}; needs
 *                   {@code compressResources}); the archive is byte-identical to a pack without it
 * @param launcherAtRoot whether the archive's root holds every class of the archive loader, so that a launch
 *                   can run in the JDK's application class loader ({@code -Dhermetic.launcher=app};
 *                   {@code --launcher-at-root}; default off). Off, the root holds the launcher's front
 *                   alone (four classes), every launch defines the rest from
 *                   {@code HERMETIC-INF/loader.classes}, and {@code java -jar} indexes some 70 entries
 *                   fewer: about 1 ms of every launch and 300 KB of the archive
 */
public record PackOptions(Path out, Optional<String> mainClass, List<Path> apps, List<Path> libs,
                          List<Path> sources, Instant timestamp, int release, Optional<ValidationMode> validation,
                          List<ValidationRule> validationRules, boolean caches, boolean compressResources,
                          int threads, Optional<Path> reuse, boolean launcherAtRoot) {
    /**
     * The default entry time, used without {@code --timestamp} or {@code SOURCE_DATE_EPOCH}: the
     * first day of February 1980, safely inside the zip format's DOS time range in every time zone.
     */
    public static final Instant DEFAULT_TIMESTAMP = Instant.parse("1980-02-01T00:00:00Z");
    /** The default {@code --release}: the oldest Java this project supports. */
    public static final int DEFAULT_RELEASE = 17;

    public PackOptions {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(mainClass, "mainClass");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(validation, "validation");
        apps = List.copyOf(apps);
        libs = List.copyOf(libs);
        sources = List.copyOf(sources);
        validationRules = List.copyOf(validationRules);
        if (apps.isEmpty() && sources.isEmpty() && libs.isEmpty()) {
            throw new IllegalArgumentException("nothing to pack: give application classes, sources or libraries");
        }
        if (!caches && sources.isEmpty()) {
            throw new IllegalArgumentException("--no-caches ships sources only: give --sources");
        }
        if (!caches && !apps.isEmpty()) {
            throw new IllegalArgumentException("--no-caches ships sources only, which the packer compiles itself:"
                    + " give no --app");
        }
        Objects.requireNonNull(reuse, "reuse");
        if (threads < 1) {
            throw new IllegalArgumentException("--threads: must be at least 1, not " + threads);
        }
        if (reuse.isPresent() && !compressResources) {
            throw new IllegalArgumentException("--reuse copies compressed resources: give --compress-resources too");
        }
        if (release < 8) {
            throw new IllegalArgumentException("release " + release + " is older than Java 8");
        }
    }

    /**
     * The mode a module's rules and {@link #validation()} give it, by precedence (see above).
     *
     * @param source the module's source path ({@code com/example/Main.java})
     * @return the mode, or empty for the default
     */
    Optional<ValidationMode> validationOf(String source) {
        for (ValidationRule rule : validationRules) {
            if (rule.matches(source)) {
                return Optional.of(rule.mode());
            }
        }
        return validation;
    }

    /** @return a builder with the default timestamp and release, the default modes, and caches */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects options; {@link #build()} checks them. */
    public static final class Builder {
        private Path out;
        private String mainClass;
        private final List<Path> apps = new ArrayList<>();
        private final List<Path> libs = new ArrayList<>();
        private final List<Path> sources = new ArrayList<>();
        private Instant timestamp = DEFAULT_TIMESTAMP;
        private int release = DEFAULT_RELEASE;
        private ValidationMode validation;
        private final List<ValidationRule> validationRules = new ArrayList<>();
        private boolean caches = true;
        private boolean compressResources;
        private int threads = Runtime.getRuntime().availableProcessors();
        private Path reuse;
        private boolean launcherAtRoot;

        private Builder() {
        }

        public Builder out(Path out) {
            this.out = out;
            return this;
        }

        public Builder mainClass(String mainClass) {
            this.mainClass = mainClass;
            return this;
        }

        public Builder addApp(Path app) {
            apps.add(app);
            return this;
        }

        public Builder addLib(Path lib) {
            libs.add(lib);
            return this;
        }

        public Builder addSources(Path root) {
            sources.add(root);
            return this;
        }

        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        public Builder release(int release) {
            this.release = release;
            return this;
        }

        /** The mode of every module that ships its source; null for the defaults. */
        public Builder validation(ValidationMode validation) {
            this.validation = validation;
            return this;
        }

        /**
         * Adds a rule: modules whose source path matches the glob get the mode. The first matching rule,
         * in the order added, wins over {@link #validation(ValidationMode)}; see {@link ValidationRule}
         * for the glob syntax.
         *
         * @throws IllegalArgumentException when the glob is malformed
         */
        public Builder addValidationRule(String glob, ValidationMode mode) {
            validationRules.add(new ValidationRule(glob, mode));
            return this;
        }

        /** Adds a rule; see {@link #addValidationRule(String, ValidationMode)}. */
        public Builder addValidationRule(ValidationRule rule) {
            validationRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** Whether to ship the compiled classes (default true); see {@link PackOptions#caches()}. */
        public Builder caches(boolean caches) {
            this.caches = caches;
            return this;
        }

        /**
         * Whether to DEFLATE application resources whose deflated form is smaller (default false); see
         * {@link PackOptions#compressResources()} for why nothing else is compressed.
         */
        public Builder compressResources(boolean compressResources) {
            this.compressResources = compressResources;
            return this;
        }

        /** How many threads pack, the calling thread included (default: the available processors); at least 1. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * An earlier archive to copy unchanged resources' compressed bytes from; null for none. Needs
         * {@link #compressResources(boolean)}; see {@link PackOptions#reuse()}.
         */
        public Builder reuse(Path old) {
            this.reuse = old;
            return this;
        }

        /**
         * Whether the root holds every class of the archive loader (default false); see
         * {@link PackOptions#launcherAtRoot()}.
         */
        public Builder launcherAtRoot(boolean launcherAtRoot) {
            this.launcherAtRoot = launcherAtRoot;
            return this;
        }

        /**
         * @throws IllegalArgumentException when there is nothing to pack (no apps, sources or libs), the
         *                                  release is too old, or {@code caches(false)} is given with
         *                                  {@code --app} or without sources, {@code threads} is below 1,
         *                                  or {@code reuse} is given without {@code compressResources}
         * @throws NullPointerException     when {@code out} was not given
         */
        public PackOptions build() {
            return new PackOptions(out, Optional.ofNullable(mainClass), apps, libs, sources, timestamp, release,
                    Optional.ofNullable(validation), validationRules, caches, compressResources, threads,
                    Optional.ofNullable(reuse), launcherAtRoot);
        }
    }
}
