package dev.hermetic.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What the JDK's application class loader costs per class against other ways of defining the same
 * bytes, for the loader classes a launch loads before {@code main}: run under callgrind and compare the
 * instruction counts of the main thread, which {@code benchmarks/hello-world/main-thread-instructions.sh}
 * prints; the modes differ only in what they do after reading the class files' bytes from the jar.
 *
 * <pre>
 * benchmarks/hello-world/main-thread-instructions.sh java [-Xint] -cp JAR dev.hermetic.benchmarks.LaunchClassCost MODE [link]
 * </pre>
 *
 * {@code JAR} holds the loader's classes and this one, STORED as in an archive (commands in
 * {@code benchmarks/README.md}); the bytes are read from the first jar of the class path. Modes: {@code bytes} reads them
 * only; {@code app} then loads each through the application class loader; {@code define} defines each
 * from its bytes through a fresh minimal loader (the platform loader as parent); {@code lookup} defines
 * each into the application class loader with {@link MethodHandles.Lookup#defineClass}, one lookup per
 * package (the JDK links such a class at once). With {@code link}, every mode then links and
 * initialises each class, so that all four do what a launch does with them.
 */
public final class LaunchClassCost {
    /**
     * The loader classes a trusted launch loads after {@code Launch} ({@code Launch.LAUNCH_CLASSES},
     * which {@code LaunchClassCostTests} compares), in an order where the classes a class's verification
     * needs come first ({@code lookup} links each class as it defines it).
     */
    static final String[] LAUNCH = {
        "dev.hermetic.loader.ArchiveClassLoader", "dev.hermetic.loader.LoaderSettings",
        "dev.hermetic.loader.LoaderSettings$Check", "dev.hermetic.loader.archive.Integrity",
        "dev.hermetic.loader.archive.ArchiveFormatException", "dev.hermetic.loader.archive.Store",
        "dev.hermetic.loader.archive.SealedStore", "dev.hermetic.loader.archive.Archive",
        "dev.hermetic.loader.archive.FileBlock", "dev.hermetic.loader.archive.Seal",
        "dev.hermetic.loader.archive.EndRecord", "dev.hermetic.loader.archive.IndexBytes",
        "dev.hermetic.loader.archive.IndexLayout", "dev.hermetic.loader.archive.IndexBytes$Page",
        "dev.hermetic.loader.archive.IndexReader", "dev.hermetic.loader.archive.Container",
        "dev.hermetic.loader.ModuleValidator", "dev.hermetic.loader.ClassPathLookup",
        "dev.hermetic.loader.archive.IndexedEntry", "dev.hermetic.loader.archive.ValidationMode",
        "dev.hermetic.loader.archive.Module", "dev.hermetic.loader.MainCallClass",
    };

    private LaunchClassCost() {
    }

    /** Defines classes from bytes, delegating everything else to the platform class loader. */
    private static final class Minimal extends ClassLoader {
        Minimal() {
            super(getPlatformClassLoader());
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    public static void main(String[] args) throws Exception {
        List<byte[]> bytes = read(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]);
        ClassLoader app = LaunchClassCost.class.getClassLoader();
        // one class per package to look up from, loaded the usual way in every mode: neither is in LAUNCH
        Class<?> loaderPackage = Class.forName("dev.hermetic.loader.Launcher", false, app);
        Class<?> archivePackage = Class.forName("dev.hermetic.loader.archive.ArchiveLayout", false, app);
        Class<?>[] classes = new Class<?>[LAUNCH.length];
        switch (args[0]) {
            case "bytes" -> {
                // read only: nothing loaded, nothing to link
            }
            case "app" -> {
                for (int i = 0; i < LAUNCH.length; i++) {
                    classes[i] = Class.forName(LAUNCH[i], false, app);
                }
            }
            case "define" -> {
                Minimal minimal = new Minimal();
                for (int i = 0; i < LAUNCH.length; i++) {
                    classes[i] = minimal.define(LAUNCH[i], bytes.get(i));
                }
            }
            case "lookup" -> {
                MethodHandles.Lookup loader = MethodHandles.privateLookupIn(loaderPackage, MethodHandles.lookup());
                MethodHandles.Lookup archive = MethodHandles.privateLookupIn(archivePackage, MethodHandles.lookup());
                for (int i = 0; i < LAUNCH.length; i++) {
                    classes[i] = (LAUNCH[i].contains(".archive.") ? archive : loader).defineClass(bytes.get(i));
                }
            }
            default -> throw new IllegalArgumentException("bytes, app, define or lookup: " + args[0]);
        }
        if (args.length > 1 && args[1].equals("link") && !args[0].equals("bytes")) {
            for (Class<?> c : classes) {
                Class.forName(c.getName(), true, c.getClassLoader());
            }
        }
        // no string concatenation: its bootstrap would cost every mode some 37 M instructions
        System.out.println(args[0]);
    }

    private static List<byte[]> read(String jar) throws IOException {
        List<byte[]> all = new ArrayList<>();
        try (JarFile file = new JarFile(jar)) {
            for (String name : LAUNCH) {
                String classFile = name.replace('.', '/') + ".class";
                JarEntry entry = file.getJarEntry(classFile);
                if (entry == null) {
                    throw new IOException(jar + ": no " + classFile + ", a launch class (build the jar"
                            + " as benchmarks/run-all.sh does)");
                }
                try (InputStream in = file.getInputStream(entry)) {
                    all.add(in.readAllBytes());
                }
            }
        }
        return all;
    }
}
