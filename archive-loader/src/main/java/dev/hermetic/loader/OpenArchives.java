package dev.hermetic.loader;

import dev.hermetic.loader.archive.Archive;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The archives that open class loaders hold, so that {@code hermetic:} URLs, which may be opened from
 * any code, read through the loader's open file instead of opening the archive again. A loader
 * registers its archive when it makes its first {@code hermetic:} URL (an application without nested
 * jars never does); a URL opened before that opens the archive itself.
 */
final class OpenArchives {
    private static final ConcurrentMap<Path, Archive> OPEN = new ConcurrentHashMap<>();

    private OpenArchives() {
    }

    static void register(Archive archive) {
        OPEN.putIfAbsent(archive.path(), archive);
    }

    static void unregister(Archive archive) {
        OPEN.remove(archive.path(), archive);
    }

    /** @return the archive a loader holds open, or null */
    static Archive find(Path path) {
        return OPEN.get(path);
    }
}
