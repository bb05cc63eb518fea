import java.util.zip.ZipFile;

/**
 * The floor of any launcher that defines the application through a class loader of its own: reads the
 * main class's bytes from its own jar (entry {@code app/NAME.class}, out of the application class
 * loader's sight) through the JDK's {@code ZipFile}, which shares the central directory {@code java -jar}
 * already parsed, defines them in a minimal loader and calls {@code main} reflectively. Nothing else: no
 * index, no checks, no settings. {@code -Dmain=NAME} names the class (default {@code Hello}).
 */
public final class MinimalLaunch {
    private MinimalLaunch() {
    }

    public static void main(String[] args) throws Throwable {
        String name = System.getProperty("main", "Hello");
        byte[] bytes;
        try (ZipFile jar = new ZipFile(System.getProperty("java.class.path"))) {
            bytes = jar.getInputStream(jar.getEntry("app/" + name + ".class")).readAllBytes();
        }
        Class<?> main = Class.forName(name, true, new OneClass(name, bytes));
        main.getMethod("main", String[].class).invoke(null, (Object) args);
    }

    /** Defines one class from bytes; everything else comes from the application class loader. */
    private static final class OneClass extends ClassLoader {
        private final String name;
        private final byte[] bytes;

        OneClass(String name, byte[] bytes) {
            super(MinimalLaunch.class.getClassLoader());
            this.name = name;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> findClass(String wanted) throws ClassNotFoundException {
            if (!wanted.equals(name)) {
                throw new ClassNotFoundException(wanted);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
