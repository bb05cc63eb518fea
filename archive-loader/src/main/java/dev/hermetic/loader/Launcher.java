package dev.hermetic.loader;

import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSource;
import java.util.function.Consumer;
import java.util.zip.ZipException;

/**
 * The archive's {@code Main-Class}: runs the {@linkplain Launch launch} (open the archive, run the
 * application's {@code main} in an {@link ArchiveClassLoader}) with the launcher's classes defined by a
 * {@link LauncherClassLoader} of their own, from the archive's {@code HERMETIC-INF/loader.classes},
 * instead of by the JDK's application class loader one class at a time: 2.3 to 4 ms of a JDK 17 hello
 * world ({@code benchmarks/README.md}, sixth round); an exploded archive directory's from its file of
 * that name (seventh round); an archive a zip tool rewrote, the entry moved or compressed, from the entry
 * read whole. The launch stays in the application class loader, which loads the same classes from the
 * archive's root or the directory, when {@code -Dhermetic.launcher=app} says so and when there is no
 * such entry (an archive or directory of an older packer), provided the root holds them: the packer
 * writes them there only with {@code --launcher-at-root}, and without them such a launch is a one-line
 * error, exit 1. An application's {@code Launcher-Agent-Class} runs in the same loader as the
 * application ({@link AgentLauncher}), whichever it is.
 *
 * <p>In the launcher's own loader the front calls the launch through a {@code Consumer} that
 * {@link Launch} hands that loader ({@link LauncherClassLoader#entryPoint}), and the launch calls
 * {@code main} through {@link dev.hermetic.launch.MainCall}: neither call is reflection's or a method
 * handle's. {@link Launch} calls {@link #location}, {@link #fail} and {@link #call}: the launcher's loader
 * therefore defines a copy of this class too, whose {@link #own} stays null.
 *
 * <p>Works as {@code java -jar app.jar} and as {@code java -cp app.jar dev.hermetic.loader.Launcher}.
 * Standard streams, exit codes and uncaught exceptions pass through as with {@code java -cp}.
 */
public final class Launcher {
    /**
     * Whether a {@code main} is called through a method handle rather than {@link Method#invoke}: from
     * JDK 18 on, reflection is built on method handles (JEP 416), and its first call spins an accessor of
     * its own (on JDK 25, some 200 classes and 5 lambda forms before {@code main}); up to JDK 17 its first
     * calls are native, and a method handle would initialise {@code java.lang.invoke} for one call.
     */
    static final boolean HANDLES = Runtime.version().feature() >= 18;

    /** The launcher's own loader, once made by {@link #openOwnOrExit}; null when the launch runs without one. */
    private static volatile LauncherClassLoader own;
    /** Whether {@link #openOwnOrExit} ran: {@link #own} may be null after it. */
    private static boolean opened;

    private Launcher() {
    }

    /**
     * @param args the application's arguments
     * @throws Throwable whatever the application's {@code main} throws
     */
    public static void main(String[] args) throws Throwable {
        LauncherClassLoader loader = openOwnOrExit();
        if (loader == null) {
            Launch.main(args);
            return;
        }
        Consumer<Object> launch;
        try {
            launch = loader.entryPoint();
        } catch (IOException e) {
            fail(e);
            return;
        }
        launch.accept(args);
    }

    /**
     * Makes the launcher's own loader at the first call: by {@link AgentLauncher} when the application has
     * an agent, which must share its classes with the application, else by {@link #main}. A corrupt
     * {@code HERMETIC-INF/loader.classes} or a {@code -Dhermetic.launcher} other than {@code own} or
     * {@code app} ends the JVM with a one-line error, exit 1, as the launch does for a corrupt archive.
     *
     * @return that loader, or null when the launch runs in the application class loader
     * @throws URISyntaxException when the launcher's code source is not a URI (the JDK's always is)
     */
    static synchronized LauncherClassLoader openOwnOrExit() throws URISyntaxException {
        if (!opened) {
            String mode = System.getProperty("hermetic.launcher", "own");
            try {
                if (!mode.equals("own") && !mode.equals("app")) {
                    throw new IllegalArgumentException("-Dhermetic.launcher=" + mode + ": expected own or app");
                }
                own = mode.equals("app") ? null : LauncherClassLoader.of(Launcher.class);
                if (own == null) {
                    requireLaunchAtRoot(mode);
                }
            } catch (IOException | IllegalArgumentException e) {
                fail(e);
            }
            opened = true;
        }
        return own;
    }

    /**
     * Checks that the application class loader can run the launch, before it does: an archive packed
     * without {@code --launcher-at-root} holds only the launcher's front at its root
     * ({@link dev.hermetic.loader.archive.ArchiveLayout#LAUNCHER_FRONT}). Loads {@link Launch} there, as
     * the launch then would.
     *
     * @throws ZipException naming the archive and how to pack it when its root holds no launch
     */
    private static void requireLaunchAtRoot(String mode) throws IOException, URISyntaxException {
        try {
            Class.forName(LauncherClassLoader.LAUNCH, false, Launcher.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            URL location = location(Launcher.class);
            String where = location == null ? "the launcher's class path"
                    : "file".equals(location.getProtocol()) ? file(location).toString() : location.toString();
            throw new ZipException(mode.equals("app")
                    ? "-Dhermetic.launcher=app: " + where + " holds the launcher's classes in "
                            + LauncherClassLoader.ENTRY + " alone; pack it with --launcher-at-root to launch in "
                            + "the application class loader"
                    : where + ": neither " + LauncherClassLoader.ENTRY + " nor the launcher's classes at its root: "
                            + "pack it again");
        }
    }

    /**
     * Ends the JVM with a one-line error, exit 1, as {@code java -jar} does for a corrupt jar: for a corrupt
     * archive or table (the exception names the file and the entry) or a bad {@code -Dhermetic.*} value.
     */
    static void fail(Exception e) {
        System.err.println("Error: " + e.getMessage());
        System.exit(1);
    }

    /**
     * Where the archive, or exploded archive directory, a launcher class was loaded from is: the URL of its
     * code source, which the JVM made, unless the class path's one entry names another file, for a class
     * of the application class loader. The JDK 25 AOT cache gives the classes it serves a code source
     * without a location, or with the location of a file of the same name in the working directory, when
     * the class path it was trained with is spelt otherwise than at the launch (a relative path, then an
     * absolute one). The entry is compared as the JDK made the URL: canonical.
     *
     * @return that URL (the code source's own object when it stands, which {@link LauncherClassLoader#of}
     *         relies on), or null when neither says
     * @throws IOException when the class path's entry has no canonical path or makes no URL
     * @throws URISyntaxException when the code source's URL is not a URI (the JDK's always is)
     */
    static URL location(Class<?> launcher) throws IOException, URISyntaxException {
        CodeSource source = launcher.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (launcher.getClassLoader() != ClassLoader.getSystemClassLoader()) {
            return location; // the launcher's own loader gave its classes the location the front settled on
        }
        String classPath = System.getProperty("java.class.path", "");
        if (!classPath.isEmpty() && classPath.indexOf(File.pathSeparatorChar) < 0) {
            File named = new File(classPath).getCanonicalFile();
            if (location == null || !"file".equals(location.getProtocol()) || !named.equals(file(location))) {
                location = named.toURI().toURL();
            }
        }
        return location;
    }

    /**
     * @return the file of a {@code file:} URL, decoding its path only when it has escapes: a URL the JDK
     *         made for a plain path, the common case, costs no {@code URI} parsed in the interpreter
     */
    static File file(URL location) throws URISyntaxException {
        String path = location.getPath();
        return path.indexOf('%') < 0 ? new File(path) : new File(location.toURI());
    }

    /** @return the launcher's own loader when the launch runs in one, else null */
    static LauncherClassLoader own() {
        return own;
    }

    /**
     * Calls a {@code static void} method of a {@code String[]} made accessible, unwrapping what it throws:
     * the application's {@code main} where {@link dev.hermetic.launch.MainCall} cannot call it (outside the
     * launcher's own loader, or not public), through a method handle from JDK 18 on.
     */
    static void call(Method main, String[] args) throws Throwable {
        if (HANDLES) {
            MethodHandles.lookup().unreflect(main).invokeExact(args);
        } else {
            try {
                main.invoke(null, (Object) args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
