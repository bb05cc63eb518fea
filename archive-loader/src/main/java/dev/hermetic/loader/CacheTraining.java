package dev.hermetic.loader;

import java.util.HashSet;
import java.util.Queue;
import java.util.Set;

/**
 * {@code -Dhermetic.train=true}, for the run that trains the JDK's caches ({@code -XX:ArchiveClassesAtExit},
 * {@code -XX:AOTCacheOutput}): links every class the loader defined before the JVM writes its archive at
 * exit. JDK 17 links the classes of its own loaders itself before it writes one, but not those of other
 * loaders, and leaves out every class not linked by then: the classes a run loads only for the
 * verifier's checks, or by name without using them (with H2's shell, 307 of its 579). Linking them
 * here lets the archive hold them all, and the next runs define them from it. From JDK 18 on the JDK
 * archives unlinked classes too (JDK-8265604, openjdk/jdk pull request 4803), and the switch does nothing.
 *
 * <p>Costs, in the training run only: the verification of those classes and the reflection objects
 * that link them, at exit.
 */
final class CacheTraining {
    private CacheTraining() {
    }

    /** On JDK 17, links the classes in {@code defined}, and those defined meanwhile, when the JVM exits. */
    static void linkAtExit(Queue<Class<?>> defined) {
        if (Runtime.version().feature() < 18) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> link(defined), "hermetic-train"));
        }
    }

    /**
     * Links each class of {@code defined} once, until a pass defines no more: reflecting on a class's
     * fields links it, and loads the types they name, which the next pass links in turn.
     *
     * @return how many classes were linked, or failed to link (the JDK's dump leaves those out)
     */
    static int link(Queue<Class<?>> defined) {
        Set<Class<?>> done = new HashSet<>();
        boolean more = true;
        while (more) {
            more = false;
            for (Class<?> c : defined) {
                if (done.add(c)) {
                    more = true;
                    try {
                        c.getDeclaredFields();
                    } catch (LinkageError e) {
                        // fails verification or names a missing class: the archive goes without it
                    }
                }
            }
        }
        return done.size();
    }
}
