package dev.hermetic.packer;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Verifier#verify} found: the archive's trust flags are earned when {@link #ok()}.
 *
 * @param archive           the archive verified (a zip, or an exploded directory)
 * @param trustBound        whether its index's trust flags are bound to it: false for a zip edited after
 *                          packing (its seal no longer matches), whose modules the loader checks instead
 *                          of trusting; not a problem by itself, the checks below still decide
 * @param modules           its modules
 * @param trusted           how many of them are {@code trusted}
 * @param checked           how many are {@code checked}
 * @param timestamp         how many are {@code timestamp}
 * @param sourcesHashed     shipped sources whose hash and size were compared with the index
 * @param modulesCompared   {@code trusted} modules with a source whose caches were recompiled and
 *                          compared byte for byte
 * @param packedWith        the feature release of the compiler that packed the caches (the manifest's
 *                          {@code Build-Jdk-Spec}), or empty when the packer did not compile them
 * @param runningRelease    the feature release of the compiler this verification ran
 * @param problems          what is stale, differs or could not be compared, in module order
 */
public record Verification(Path archive, boolean trustBound, int modules, int trusted, int checked, int timestamp, int sourcesHashed,
                           int modulesCompared, Optional<Integer> packedWith, int runningRelease,
                           List<Problem> problems) {
    public Verification {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(packedWith, "packedWith");
        problems = List.copyOf(problems);
    }

    /** @return whether nothing is stale, differs or could not be compared */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** What kind of problem a module has. */
    public enum Kind {
        /** The shipped source is not the one the index recorded (hash or size), or it is missing. */
        STALE,
        /** A recompiled class file differs from the cache of the same name. */
        DIFFERS,
        /** The source compiles to a class that has no cache and is not declared to the module. */
        CACHE_MISSING,
        /** The module has a cache that its source does not compile to. */
        EXTRA_CACHE,
        /** The shipped sources do not compile with the recorded options. */
        DOES_NOT_COMPILE,
        /**
         * Bytes could not be compared: the caches were compiled by another feature release of javac, the
         * recorded options are not ones verify replays, or this runtime has no compiler.
         */
        CANNOT_COMPARE;

        /** @return the label used in output: {@code stale}, {@code cache-missing}, ... */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One problem of one module.
     *
     * @param module the module's source path ({@code com/example/Main.java}), or the archive entry at
     *               fault when no module is ({@code HERMETIC-INF/sources/})
     * @param kind   what kind of problem
     * @param detail what is wrong, starting with a short phrase ({@code differs: com/example/Main.class})
     */
    public record Problem(String module, Kind kind, String detail) {
        /** @return one line naming the module and what is wrong */
        public String message() {
            return module + ": " + detail;
        }
    }
}
