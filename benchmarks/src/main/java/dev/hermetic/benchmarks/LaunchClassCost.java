package dev.hermetic.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What the JDK's application class loader costs per class against a minimal loader defining the same
 * bytes, for the loader classes a launch loads before {@code main}: run under callgrind and compare the
 * instruction counts of the main thread (deterministic with {@code -Xint}); the modes differ only in
 * what they do after reading the class files' bytes from the jar.
 *
 * <pre>
 * valgrind --tool=callgrind --separate-threads=yes java -Xint -cp JAR dev.hermetic.benchmarks.LaunchClassCost bytes|app|define
 * </pre>
 *
 * {@code JAR} holds the loader's classes (the archive-loader jar); {@code bytes} reads them only,
 * {@code app} then loads each through the application class loader (no linking), {@code define} defines
 * each from its bytes through a fresh minimal loader (no linking either).
 */
public final class LaunchClassCost {
    /** The loader classes a trusted launch loads after {@code Launcher}, in the order it loads them. */
    private static final String[] LAUNCH = {
        "dev.hermetic.loader.ArchiveClassLoader", "dev.hermetic.loader.LoaderSettings",
        "dev.hermetic.loader.LoaderSettings$Check", "dev.hermetic.loader.archive.Integrity",
        "dev.hermetic.loader.archive.Archive", "dev.hermetic.loader.archive.ArchiveFormatException",
        "dev.hermetic.loader.archive.Store", "dev.hermetic.loader.archive.SealedStore",
        "dev.hermetic.loader.archive.FileBlock", "dev.hermetic.loader.archive.Seal",
        "dev.hermetic.loader.archive.EndRecord", "dev.hermetic.loader.archive.IndexBytes",
        "dev.hermetic.loader.archive.IndexLayout", "dev.hermetic.loader.archive.IndexBytes$Page",
        "dev.hermetic.loader.archive.IndexReader", "dev.hermetic.loader.archive.Container",
        "dev.hermetic.loader.ModuleValidator", "dev.hermetic.loader.ClassPathLookup",
        "dev.hermetic.loader.archive.IndexedEntry", "dev.hermetic.loader.archive.ValidationMode",
        "dev.hermetic.loader.archive.Module",
    };

    private LaunchClassCost() {
    }

    /** Defines classes from bytes, delegating everything else to the application class loader. */
    private static final class Minimal extends ClassLoader {
        Minimal() {
            super(LaunchClassCost.class.getClassLoader());
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    public static void main(String[] args) throws Exception {
        List<byte[]> bytes = read(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]);
        switch (args[0]) {
            case "bytes" -> {
            }
            case "app" -> {
                for (String name : LAUNCH) {
                    Class.forName(name, false, LaunchClassCost.class.getClassLoader());
                }
            }
            case "define" -> {
                Minimal minimal = new Minimal();
                for (int i = 0; i < LAUNCH.length; i++) {
                    minimal.define(LAUNCH[i], bytes.get(i));
                }
            }
            default -> throw new IllegalArgumentException("bytes, app or define: " + args[0]);
        }
        System.out.println(args[0] + ": " + LAUNCH.length + " classes");
    }

    private static List<byte[]> read(String jar) throws IOException {
        List<byte[]> all = new ArrayList<>();
        try (JarFile file = new JarFile(jar)) {
            for (String name : LAUNCH) {
                JarEntry entry = file.getJarEntry(name.replace('.', '/') + ".class");
                try (InputStream in = file.getInputStream(entry)) {
                    all.add(in.readAllBytes());
                }
            }
        }
        return all;
    }
}
