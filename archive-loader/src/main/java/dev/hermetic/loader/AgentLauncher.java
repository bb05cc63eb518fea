package dev.hermetic.loader;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The archive's {@code Launcher-Agent-Class} when the application's manifest names one: the packer
 * writes {@code Launcher-Agent-Class: dev.hermetic.loader.AgentLauncher} and the application's agent as
 * {@value #AGENT_CLASS}. {@code java -jar} loads this class with the system class loader, which sees only
 * the archive's root, and calls {@link #agentmain(String, Instrumentation)} before {@code main}; this
 * runs {@link AgentLaunch} in the loader the launch then runs in ({@link Launcher#openOwnOrExit}), which opens
 * the archive's {@link ArchiveClassLoader} (the one {@link Launch} then runs {@code main} with, so the
 * agent and the application share their classes and statics) and calls the application agent's
 * {@code agentmain} as the JDK calls a {@code Launcher-Agent-Class}: {@code agentmain(String,
 * Instrumentation)}, else {@code agentmain(String)}, which must be public, with the same arguments.
 * During the call the archive's loader is the thread context class loader.
 *
 * <p>As with a plain jar, only {@code java -jar} runs the agent, not {@code java -cp archive.jar}.
 */
public final class AgentLauncher {
    /** The manifest attribute naming the application's own {@code Launcher-Agent-Class}. */
    public static final String AGENT_CLASS = "Hermetic-Agent-Class";
    private static final String AGENT_LAUNCH = "dev.hermetic.loader.AgentLaunch";

    private AgentLauncher() {
    }

    /**
     * @param args        the agent's arguments (the JVM gives a {@code Launcher-Agent-Class} none)
     * @param instrumentation the JVM's instrumentation
     * @throws Throwable what the application's agent throws, or why it cannot be called
     */
    public static void agentmain(String args, Instrumentation instrumentation) throws Throwable {
        // in the launcher's own loader, which the launch then uses too: its Launch holds the archive open
        LauncherClassLoader own = Launcher.openOwnOrExit();
        if (own == null) {
            AgentLaunch.run(args, instrumentation);
            return;
        }
        // by name, so that the application class loader does not load it too
        Method run;
        try {
            run = own.launchMethod(AGENT_LAUNCH, "run", String.class, Instrumentation.class);
        } catch (IOException e) {
            Launcher.fail(e);
            return;
        }
        try {
            run.invoke(null, args, instrumentation);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
