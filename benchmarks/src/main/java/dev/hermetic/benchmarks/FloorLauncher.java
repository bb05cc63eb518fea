package dev.hermetic.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The floor: reads every entry of the jars given into memory first, then runs the main class through a
 * minimal loader that defines each class from those bytes ({@code defineClass}, no lookup, no I/O, no
 * checks). What a loader costs beyond the JDK's own define, link and initialise is what lies above this.
 * Self-contained (this class and its nested loader only), so that the harness copies it into a tiny jar.
 *
 * <pre>java -cp floor.jar dev.hermetic.benchmarks.FloorLauncher MAIN JAR...</pre>
 */
public final class FloorLauncher {
    private FloorLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, byte[]> entries = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            try (ZipFile zip = new ZipFile(args[i])) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    if (!entry.isDirectory()) {
                        try (InputStream in = zip.getInputStream(entry)) {
                            entries.putIfAbsent(entry.getName(), in.readAllBytes());
                        }
                    }
                }
            }
        }
        MemoryLoader loader = new MemoryLoader(entries);
        Thread.currentThread().setContextClassLoader(loader);
        Method main = loader.loadClass(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) new String[0]);
    }

    /** Defines classes from bytes in memory; the platform loader as parent. */
    static final class MemoryLoader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> entries;

        MemoryLoader(Map<String, byte[]> entries) {
            super("floor", ClassLoader.getPlatformClassLoader());
            this.entries = entries;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = entries.get(name.replace('.', '/') + ".class");
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            byte[] bytes = entries.get(name);
            return bytes == null ? super.getResourceAsStream(name) : new ByteArrayInputStream(bytes);
        }
    }

    /** @return the bytes of this class and its loader, to write a tiny jar of them */
    static Map<String, byte[]> classFiles() throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        for (Class<?> c : new Class<?>[] {FloorLauncher.class, MemoryLoader.class}) {
            String name = c.getName().replace('.', '/') + ".class";
            try (InputStream in = FloorLauncher.class.getClassLoader().getResourceAsStream(name)) {
                files.put(name, in.readAllBytes());
            }
        }
        return files;
    }
}
