package dev.hermetic.loader;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.IndexedEntry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * Defines the classes an application is known to load at start-up on a thread of its own, ahead of the
 * application's thread, so that reading, parsing and defining them overlaps with what the
 * application's thread does meanwhile (linking, verifying, initialising, running) on another core.
 *
 * <p>The list is the application resource {@value #LIST} (in the application's classes or resources,
 * such as {@code src/main/resources/META-INF/hermetic/preload.list}): one binary class name per line,
 * in the order a training run defined them, which {@code -Dhermetic.preload.record=FILE} writes at exit
 * ({@link #record}; preloading is off while recording, so the order is the application's own).
 * {@code -Dhermetic.preload=false} leaves the list unused.
 *
 * <p>Preloading only loads: it never links or initialises a class, so static initialisers run when and
 * on the thread the application causes them to, as without a list. A class that fails to load is left
 * for the application's own load to fail on, with its own error. The thread is a daemon, named
 * {@code hermetic-preload}; it ends at the end of the list or when the loader is closed.
 *
 * <p>Costs: one read of the list at open. The thread's work is work the application's thread would
 * otherwise do; a list naming classes the application does not load at start-up costs their
 * definition (the other core's time, and metaspace) for nothing: record it from a representative run.
 */
final class Preloader implements Runnable {
    /** The preload list's name in the application's class path. */
    static final String LIST = "META-INF/hermetic/preload.list";

    private final ArchiveClassLoader loader;
    private final List<String> names;

    private Preloader(ArchiveClassLoader loader, List<String> names) {
        this.loader = loader;
        this.names = names;
    }

    /**
     * Starts preloading the archive's list, when it is the application's own (not a library jar's). An
     * unreadable list costs only the preloading: the application's own loads then meet whatever is wrong
     * with the archive.
     *
     * @param list the archive's first {@value #LIST}
     */
    static void start(ArchiveClassLoader loader, Archive archive, IndexedEntry list) {
        if (list.container() != 0) {
            return;
        }
        byte[] bytes;
        try {
            bytes = archive.read(list);
        } catch (IOException unreadable) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                names.add(name);
            }
        }
        Thread thread = new Thread(new Preloader(loader, names), "hermetic-preload");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        for (String name : names) {
            try {
                loader.loadClass(name);
            } catch (ClassNotFoundException | LinkageError | SecurityException e) {
                // the application's own load of this class, if any, fails with its own error
            } catch (IllegalStateException closed) {
                return;
            }
        }
    }

    /**
     * Writes the names of the classes a loader defines, one per line in order, to {@code file} when the
     * JVM exits (atomically: a temporary file renamed over it).
     *
     * @param defined the queue the loader adds each class it defines to
     */
    static void record(Path file, Queue<Class<?>> defined) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".preload", ".tmp");
                Files.write(temp, () -> defined.stream().<CharSequence>map(Class::getName).iterator(),
                        StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                ModuleValidator.warn("cannot write the preload list " + file + ": " + e);
            }
        }, "hermetic-preload-record"));
    }
}
