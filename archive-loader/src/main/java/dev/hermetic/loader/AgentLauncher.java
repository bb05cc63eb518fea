package dev.hermetic.loader;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.Enumeration;
import java.util.jar.Manifest;

/**
 * The archive's {@code Launcher-Agent-Class} when the application's manifest names one: the packer
 * writes {@code Launcher-Agent-Class: dev.hermetic.loader.AgentLauncher} and the application's agent as
 * {@value #AGENT_CLASS}. {@code java -jar} loads this class with the system class loader, which sees only
 * the archive's root, and calls {@link #agentmain(String, Instrumentation)} before {@code main}; this
 * opens the archive's {@link ArchiveClassLoader} (the one {@link Launch} then runs {@code main} with,
 * so the agent and the application share their classes and statics) and calls the application agent's
 * {@code agentmain} as the JDK calls a {@code Launcher-Agent-Class}: {@code agentmain(String,
 * Instrumentation)}, else {@code agentmain(String)}, which must be public, with the same arguments.
 * During the call the archive's loader is the thread context class loader.
 *
 * <p>As with a plain jar, only {@code java -jar} runs the agent, not {@code java -cp archive.jar}.
 */
public final class AgentLauncher {
    /** The manifest attribute naming the application's own {@code Launcher-Agent-Class}. */
    public static final String AGENT_CLASS = "Hermetic-Agent-Class";

    private AgentLauncher() {
    }

    /**
     * @param args        the agent's arguments (the JVM gives a {@code Launcher-Agent-Class} none)
     * @param instrumentation the JVM's instrumentation
     * @throws Throwable what the application's agent throws, or why it cannot be called
     */
    public static void agentmain(String args, Instrumentation instrumentation) throws Throwable {
        // the launch then stays in the application class loader, where this agent's loader is
        Launcher.agentRan = true;
        ArchiveClassLoader loader = Launch.openArchive();
        String agentClass = agentClass();
        if (agentClass == null) {
            throw new IllegalStateException("the archive's manifest names no " + AGENT_CLASS);
        }
        Class<?> agent = Class.forName(agentClass, false, loader);
        // as sun.instrument.InstrumentationImpl looks the method up
        Method method;
        boolean twoArguments = true;
        try {
            method = agent.getDeclaredMethod("agentmain", String.class, Instrumentation.class);
        } catch (NoSuchMethodException first) {
            twoArguments = false;
            try {
                method = agent.getDeclaredMethod("agentmain", String.class);
            } catch (NoSuchMethodException second) {
                throw first;
            }
        }
        if (!Modifier.isPublic(method.getModifiers())) {
            throw new IllegalAccessException("method " + agentClass + ".agentmain must be declared public");
        }
        method.setAccessible(true);
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            if (twoArguments) {
                method.invoke(null, args, instrumentation);
            } else {
                method.invoke(null, args);
            }
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            thread.setContextClassLoader(context);
        }
    }

    /** @return the {@value #AGENT_CLASS} of this archive's manifest, read through the system class loader */
    private static String agentClass() throws IOException {
        String own = "jar:" + AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation().toExternalForm()
                + "!/META-INF/MANIFEST.MF";
        Enumeration<URL> manifests = ClassLoader.getSystemClassLoader().getResources("META-INF/MANIFEST.MF");
        while (manifests.hasMoreElements()) {
            URL url = manifests.nextElement();
            if (url.toExternalForm().equals(own)) {
                try (InputStream in = url.openStream()) {
                    String value = new Manifest(in).getMainAttributes().getValue(AGENT_CLASS);
                    return value == null ? null : value.trim();
                }
            }
        }
        return null;
    }
}
