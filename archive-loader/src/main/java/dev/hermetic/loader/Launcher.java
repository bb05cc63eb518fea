package dev.hermetic.loader;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The archive's {@code Main-Class}: opens the archive it was loaded from, makes an
 * {@link ArchiveClassLoader} over it the thread context class loader, and runs the application's
 * {@code main} with the same arguments. Standard streams, exit codes and uncaught exceptions pass
 * through as with {@code java -cp}: an exception thrown by {@code main} propagates with the launcher's
 * own frames removed from its stack trace, so the JVM prints what {@code java -cp} would.
 *
 * <p>Works as {@code java -jar app.jar} and as {@code java -cp app.jar dev.hermetic.loader.Launcher}.
 * Kept small on purpose: every class loaded before {@code main} costs start-up time.
 */
public final class Launcher {
    /** The archive's loader, once opened: by {@link AgentLauncher} before {@code main}, else by {@link #main}. */
    private static ArchiveClassLoader opened;

    private Launcher() {
    }

    /**
     * Opens the archive this launcher was loaded from, once per JVM: the agent launcher and the launcher
     * share one loader, so an agent and the application see the same classes.
     */
    static synchronized ArchiveClassLoader openArchive() throws IOException, URISyntaxException {
        if (opened == null) {
            opened = ArchiveClassLoader.open(ownArchive());
        }
        return opened;
    }

    /**
     * @param args the application's arguments
     * @throws Throwable whatever the application's {@code main} throws
     */
    public static void main(String[] args) throws Throwable {
        ArchiveClassLoader loader;
        try {
            loader = openArchive();
        } catch (IOException | IllegalArgumentException e) {
            // a corrupt archive or a bad -Dhermetic.* value: one line, as java -jar says of a corrupt jar
            System.err.println("Error: " + e.getMessage());
            System.exit(1);
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
        try {
            main.invoke(null, (Object) args);
        } catch (IllegalAccessException impossible) {
            throw new IllegalStateException(impossible);
        } catch (InvocationTargetException e) {
            Throwable thrown = e.getCause();
            dropLauncherFrames(thrown, mainClass);
            throw thrown;
        } catch (ExceptionInInitializerError e) {
            // Method.invoke throws this one unwrapped, when initialising the main class fails
            dropLauncherFrames(e, mainClass);
            throw e;
        }
    }

    private static Path ownArchive() throws URISyntaxException {
        return Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /**
     * Cuts the launcher's frames from what the application threw, its causes and its suppressed
     * throwables: each trace that ends in this launcher ends instead at the application's {@code main}
     * frame, or at the main class's static initialiser, else it holds only invocation frames and is
     * emptied, as the JVM leaves a main class's {@code ExceptionInInitializerError}. Then the JVM prints
     * what {@code java -cp} would, "... n more" lines included.
     */
    private static void dropLauncherFrames(Throwable thrown, String mainClass) {
        dropLauncherFrames(thrown, mainClass, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void dropLauncherFrames(Throwable thrown, String mainClass, Set<Throwable> seen) {
        if (!seen.add(thrown)) {
            return;
        }
        StackTraceElement[] trace = thrown.getStackTrace();
        if (trace.length > 0 && trace[trace.length - 1].getClassName().equals(Launcher.class.getName())) {
            int end = trace.length;
            while (end > 0 && !(trace[end - 1].getClassName().equals(mainClass)
                    && (trace[end - 1].getMethodName().equals("main")
                    || trace[end - 1].getMethodName().equals("<clinit>")))) {
                end--;
            }
            thrown.setStackTrace(Arrays.copyOf(trace, end));
        }
        if (thrown.getCause() != null) {
            dropLauncherFrames(thrown.getCause(), mainClass, seen);
        }
        for (Throwable suppressed : thrown.getSuppressed()) {
            dropLauncherFrames(suppressed, mainClass, seen);
        }
    }
}
