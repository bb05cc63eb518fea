package dev.hermetic.loader;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * What {@link AgentLauncher} runs, in the launcher's own loader unless the launch runs in the application
 * class loader: opens the archive as the launch does and calls the application's agent. A class of its
 * own, so that the front links without the launch's classes in the application class loader.
 */
final class AgentLaunch {
    private AgentLaunch() {
    }

    /** Opens the archive, the launch's way, and calls the application's agent. */
    static void run(String args, Instrumentation instrumentation) throws Throwable {
        ArchiveClassLoader loader = Launch.openArchive();
        String agentClass = agentClass(loader.path());
        if (agentClass == null) {
            throw new IllegalStateException(loader.path() + ": META-INF/MANIFEST.MF names no "
                    + AgentLauncher.AGENT_CLASS);
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

    /** @return the {@value AgentLauncher#AGENT_CLASS} of the manifest of the archive the launch opened */
    private static String agentClass(Path archive) throws IOException {
        try (JarFile jar = new JarFile(archive.toFile())) {
            Manifest manifest = jar.getManifest();
            String value = manifest == null ? null : manifest.getMainAttributes().getValue(AgentLauncher.AGENT_CLASS);
            return value == null ? null : value.trim();
        }
    }
}
