package dev.hermetic.loader;

import dev.hermetic.launch.MainCall;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The launch itself, which {@link Launcher} runs, in the launcher's own loader when it can: opens the
 * archive it was loaded from, makes an {@link ArchiveClassLoader} over it the thread context class
 * loader, and runs the application's {@code main} with the same arguments. Standard streams, exit codes
 * and uncaught exceptions pass through as with {@code java -cp}: an exception thrown by {@code main}
 * propagates with the launcher's own frames removed from its stack trace, so the JVM prints what
 * {@code java -cp} would. Kept small on purpose: every class loaded before {@code main} costs start-up
 * time.
 */
final class Launch implements Consumer<Object> {
    static {
        // in the launcher's own loader: its front calls the launch through the JDK type both share
        Consumer<Object> own = ownLoader();
        if (own != null) {
            own.accept(new Launch());
        }
    }

    /** The archive's loader, once opened: by {@link AgentLaunch} before {@code main}, else by {@link #main}. */
    private static ArchiveClassLoader opened;

    private Launch() {
    }

    /** @return the launcher's own loader, which takes what the launch hands over, or null in another loader */
    @SuppressWarnings("unchecked")
    private static Consumer<Object> ownLoader() {
        ClassLoader loader = Launch.class.getClassLoader();
        return loader instanceof Consumer ? (Consumer<Object>) loader : null;
    }

    /**
     * Opens the archive this launcher was loaded from, once per JVM: the agent launcher and the launcher
     * share one loader, so an agent and the application see the same classes.
     */
    static synchronized ArchiveClassLoader openArchive() throws IOException, URISyntaxException {
        if (opened == null) {
            URL location = Launcher.location(Launch.class);
            if (location == null) {
                throw new IOException("no archive to launch: the launcher's classes have no location, and the class"
                        + " path names no one file: " + System.getProperty("java.class.path"));
            }
            opened = ArchiveClassLoader.open(Launcher.file(location).toPath(), location,
                    ClassLoader.getPlatformClassLoader(), null);
        }
        return opened;
    }

    /**
     * @param args the application's arguments
     * @throws Throwable whatever the application's {@code main} throws
     */
    public static void main(String[] args) throws Throwable {
        if (!"false".equals(System.getProperty("hermetic.preload"))) {
            Thread ahead = new Thread(new Ahead(), "hermetic-preload-launcher");
            ahead.setDaemon(true);
            ahead.start();
        }
        ArchiveClassLoader loader;
        try {
            loader = openArchive();
        } catch (IOException | IllegalArgumentException e) {
            Launcher.fail(e);
            return;
        }
        String mainClass = loader.mainClass();
        Method main;
        try {
            main = Class.forName(mainClass, false, loader).getMethod("main", String[].class);
            if (!Modifier.isStatic(main.getModifiers())) {
                throw new NoSuchMethodException("main is not static");
            }
            // java -cp calls main through JNI, whatever the class's access; so do we
            main.setAccessible(true);
        } catch (ClassNotFoundException | LinkageError e) {
            System.err.println("Error: Could not find or load main class " + mainClass);
            System.err.println("Caused by: " + e);
            System.exit(1);
            return;
        } catch (NoSuchMethodException e) {
            System.err.println("Error: Main method not found in class " + mainClass
                    + ", please define the main method as:\n   public static void main(String[] args)");
            System.exit(1);
            return;
        }
        Thread.currentThread().setContextClassLoader(loader);
        Consumer<Object> own = ownLoader();
        try {
            // initialised first, as the JVM's launcher initialises the main class whichever class declares
            // main (and a handle to a class being initialised needs a lambda form no JDK pre-generates)
            Class.forName(mainClass, true, loader);
            // no reflection, no method handle: a class of the archive's loader calls main, which the
            // launcher's loader answers MainCall's name with
            Class<?> call = own != null && MainCallClass.canCall(main) ? loader.defineMainCall(main.getDeclaringClass())
                    : null;
            if (call != null) {
                own.accept(call);
                MainCall.run(args);
            } else {
                Launcher.call(main, args);
            }
        } catch (Throwable thrown) {
            // what main threw, or the main class's initialiser (an ExceptionInInitializerError)
            dropLauncherFrames(thrown, main.getDeclaringClass().getName());
            throw thrown;
        }
    }

    /**
     * What the front calls in the launcher's own loader, through the JDK type both share: {@link #main} with
     * the arguments, what it throws passing through as it is ({@code accept} declares nothing; the JVM
     * checks nothing).
     */
    @Override
    public void accept(Object args) {
        try {
            main((String[]) args);
        } catch (Throwable thrown) {
            throw Launch.<RuntimeException>unchecked(thrown);
        }
    }

    /** Throws {@code thrown} as it is, its type unknown to the compiler. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T unchecked(Throwable thrown) throws T {
        throw (T) thrown;
    }

    /**
     * Calls {@link #noMain} as {@code main} is called outside the launcher's own loader: from JDK 18 on
     * this makes the lambda forms of the call to the application's {@code main}.
     */
    static void makeMainCallForms() throws Throwable {
        Launcher.call(Launch.class.getDeclaredMethod("noMain", String[].class), new String[0]);
    }

    /** Not private: {@link Launcher#call}'s lookup, in {@code Launcher}, must have access. */
    static void noMain(String[] args) {
    }

    /**
     * The loader's classes a launch loads before {@code main} whatever the application (a sealed archive,
     * trusted, no nested jar), in the order it loads them; {@link #loadLaunchClasses} loads them from the
     * last. {@code LauncherTests} fails when the list and the launch differ.
     */
    static final String[] LAUNCH_CLASSES = {
        "dev.hermetic.loader.ArchiveClassLoader", "dev.hermetic.loader.LoaderSettings",
        "dev.hermetic.loader.archive.Integrity", "dev.hermetic.loader.archive.Archive",
        "dev.hermetic.loader.archive.ArchiveFormatException", "dev.hermetic.loader.archive.Store",
        "dev.hermetic.loader.archive.SealedStore", "dev.hermetic.loader.archive.FileBlock",
        "dev.hermetic.loader.archive.EndRecord", "dev.hermetic.loader.archive.Seal",
        "dev.hermetic.loader.archive.IndexBytes", "dev.hermetic.loader.archive.IndexLayout",
        "dev.hermetic.loader.archive.IndexBytes$Page", "dev.hermetic.loader.archive.IndexReader",
        "dev.hermetic.loader.archive.Container", "dev.hermetic.loader.LoaderSettings$Check",
        "dev.hermetic.loader.ModuleValidator", "dev.hermetic.loader.ClassPathLookup",
        "dev.hermetic.loader.archive.IndexedEntry", "dev.hermetic.loader.archive.ValidationMode",
        "dev.hermetic.loader.archive.Module", "dev.hermetic.loader.MainCallClass",
    };

    /**
     * Work done on a second thread while the launch opens the archive, so that it overlaps with the
     * launch's own on another core; {@code -Dhermetic.preload=false} turns it off with the rest of the
     * work done ahead. From JDK 18 on, outside the launcher's own loader (where {@link MainCall} calls
     * {@code main}), it first {@linkplain #makeMainCallForms makes the lambda forms} the call to the
     * application's {@code main} needs (they are shared by every method of the same erased type), 3 to 7 ms
     * of a JDK 25 launch on this project's machine. Then it
     * {@linkplain #loadLaunchClasses loads the launch's classes}. It stops at the first failure: the
     * launch loads the same classes itself and reports what fails (a class this thread failed to
     * initialise, in practice only for want of memory, then fails with {@link NoClassDefFoundError}).
     */
    private static final class Ahead implements Runnable {
        @Override
        public void run() {
            if (Launcher.HANDLES && ownLoader() == null) {
                try {
                    makeMainCallForms();
                } catch (Throwable e) {
                    // the launch's own call makes the forms then
                }
            }
            try {
                loadLaunchClasses();
            } catch (Throwable e) {
                // the launch meets it itself
            }
        }
    }

    /**
     * Reads the environment as the settings will (the JDK parses all of it at the first {@code getenv}),
     * unless {@code -Dhermetic.check} makes that unneeded, then loads, links and initialises
     * {@link #LAUNCH_CLASSES} from the last, while the launch loads them from the first: loading,
     * verifying and initialising them is most of what the launcher costs over {@code java -cp}. Sharing
     * its core with the JIT, the second thread gets through a quarter to a half of them before the two
     * meet: 3.5 ms of a JDK 17 hello world when the application class loader defined them
     * ({@code benchmarks/README.md}, fifth round; no measurable change on JDK 25, where the forms come
     * first). Their static initialisers read nothing the launch
     * sets up and name no other class of the list ({@code LauncherTests} reads them), so which thread runs
     * one makes no difference and the two threads cannot wait on each other's.
     */
    static void loadLaunchClasses() throws ClassNotFoundException {
        if (System.getProperty(LoaderSettings.CHECK_PROPERTY) == null) {
            System.getenv(LoaderSettings.CHECK_VARIABLE);
        }
        for (int i = LAUNCH_CLASSES.length - 1; i >= 0; i--) {
            Class.forName(LAUNCH_CLASSES[i], true, Launch.class.getClassLoader());
        }
    }

    /**
     * Cuts the launcher's frames from what the application threw, its causes and its suppressed
     * throwables: each trace that ends in the launcher ends instead at the {@code main} frame of the class
     * that declares it (the main class or a superclass), or at the static initialiser the main class's
     * initialisation ran (its own or a superclass's), else it holds only invocation frames and is emptied,
     * as the JVM leaves a main class's {@code ExceptionInInitializerError}. Then the JVM prints what
     * {@code java -cp} would, "... n more" lines included.
     */
    private static void dropLauncherFrames(Throwable thrown, String declaringMain) {
        dropLauncherFrames(thrown, declaringMain, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void dropLauncherFrames(Throwable thrown, String declaringMain, Set<Throwable> seen) {
        if (!seen.add(thrown)) {
            return;
        }
        StackTraceElement[] trace = thrown.getStackTrace();
        if (trace.length > 0 && trace[trace.length - 1].getClassName().equals(Launcher.class.getName())) {
            int end = trace.length;
            // from the launcher's end: the first frame of the application's is main's or an initialiser's
            while (end > 0 && !(trace[end - 1].getMethodName().equals("<clinit>")
                    || trace[end - 1].getMethodName().equals("main") && trace[end - 1].getClassName().equals(declaringMain))) {
                end--;
            }
            thrown.setStackTrace(Arrays.copyOf(trace, end));
        }
        if (thrown.getCause() != null) {
            dropLauncherFrames(thrown.getCause(), declaringMain, seen);
        }
        for (Throwable suppressed : thrown.getSuppressed()) {
            dropLauncherFrames(suppressed, declaringMain, seen);
        }
    }
}
