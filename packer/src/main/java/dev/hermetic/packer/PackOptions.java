package dev.hermetic.packer;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to pack: immutable; made with {@link #builder()}.
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
 */
public record PackOptions(Path out, Optional<String> mainClass, List<Path> apps, List<Path> libs,
                          List<Path> sources, Instant timestamp, int release) {
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
        apps = List.copyOf(apps);
        libs = List.copyOf(libs);
        sources = List.copyOf(sources);
        if (apps.isEmpty() && sources.isEmpty() && libs.isEmpty()) {
            throw new IllegalArgumentException("nothing to pack: give application classes, sources or libraries");
        }
        if (release < 8) {
            throw new IllegalArgumentException("release " + release + " is older than Java 8");
        }
    }

    /** @return a builder with the default timestamp and release */
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

        /**
         * @throws IllegalArgumentException when there is nothing to pack (no apps, sources or libs) or the
         *                                  release is too old
         * @throws NullPointerException     when {@code out} was not given
         */
        public PackOptions build() {
            return new PackOptions(out, Optional.ofNullable(mainClass), apps, libs, sources, timestamp, release);
        }
    }
}
