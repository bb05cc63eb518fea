package dev.hermetic.loader.archive;

import java.util.List;

/**
 * Where things live inside a Hermetic archive. The archive root holds only the launcher's front (of this
 * library) and the manifest, so that the JDK's application class loader, which opens the archive for
 * {@code java -jar}, never sees application classes.
 *
 * <pre>
 * META-INF/MANIFEST.MF          Main-Class: the launcher; Start-Class: the application's entry point
 * HERMETIC-INF/loader.classes   this library's classes of dev.hermetic.loader in one table, STORED, the
 *                               third entry, from which a launch defines them (LauncherClassLoader)
 * dev/hermetic/loader/...       the launcher's front (LAUNCHER_FRONT), or every class of this library
 * META-INF/services/...         the hermetic: URL handler's provider
 * HERMETIC-INF/classes/...      application class files (the caches) and resources, STORED
 * HERMETIC-INF/sources/...      application .java sources, STORED (optional)
 * HERMETIC-INF/lib/NAME.jar     dependency jars, nested whole and STORED so they are read in place
 * HERMETIC-INF/index            the index (see {@link IndexWriter}), the last entry
 * </pre>
 *
 * The archive comment carries the seal that binds the index's trust flags to these bytes.
 */
public final class ArchiveLayout {
    /** Prefix of application classes and resources. */
    public static final String CLASSES = "HERMETIC-INF/classes/";
    /** Prefix of application sources. */
    public static final String SOURCES = "HERMETIC-INF/sources/";
    /** Prefix of nested dependency jars. */
    public static final String LIB = "HERMETIC-INF/lib/";
    /**
     * The launcher's classes in one table ({@code dev.hermetic.loader.LauncherClassTable}), from which a
     * launch defines them.
     */
    public static final String LAUNCHER_CLASSES = "HERMETIC-INF/loader.classes";
    /**
     * Where the packer writes {@link #LAUNCHER_CLASSES} among the archive's entries, counted from 0: after
     * {@code META-INF/} and the manifest. A launch looks no further.
     */
    public static final int LAUNCHER_CLASSES_POSITION = 2;
    /**
     * The classes a launch loads through the JDK's application class loader, which the root holds
     * whatever else it holds: the {@code Main-Class}, the loader it defines {@link #LAUNCHER_CLASSES}
     * with, the {@code Launcher-Agent-Class} and the {@code hermetic:} URL handler's provider, which
     * {@code java -jar} and the JDK's service lookup load from the root. Each hands over to its copy in
     * that loader. The root holds every class of this library only when the archive is packed for launches
     * in the application class loader ({@code -Dhermetic.launcher=app}): {@code java -jar} indexes every
     * entry of the archive twice, in the interpreter (some 1 ms for those 70 entries).
     */
    public static final List<String> LAUNCHER_FRONT = List.of("dev/hermetic/loader/Launcher.class",
            "dev/hermetic/loader/LauncherClassLoader.class", "dev/hermetic/loader/AgentLauncher.class",
            "dev/hermetic/loader/HermeticUrlStreamHandlerProvider.class");
    /** Name of the index entry. */
    public static final String INDEX = "HERMETIC-INF/index";
    /** Manifest attribute naming the application's main class. */
    public static final String START_CLASS = "Start-Class";
    /** Where a multi-release jar keeps the entries of each release: {@code META-INF/versions/N/}. */
    public static final String VERSIONS = "META-INF/versions/";

    private ArchiveLayout() {
    }
}
