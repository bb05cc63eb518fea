package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.jdkTool;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.Container;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code --lib} jar's manifest {@code Class-Path}: the packer nests the jars it names, in the order the
 * JDK's class path searches them (each right after the jar naming it, depth first, each jar once, missing
 * ones ignored), so {@code java -jar} of the archive behaves as {@code java -cp} of the given jars.
 *
 * <p>Fixtures, all real jars in {@code jars/}: {@code a.jar} (the main class; {@code Class-Path: b.jar
 * missing.jar}), {@code b.jar} ({@code Class-Path: lib/d%20e.jar}), {@code lib/d e.jar}
 * ({@code Class-Path: ../c.jar}), {@code c.jar}; each has a class and a {@code which.txt} naming it.
 */
class LibClassPathTests {
    private static final String MAIN = """
            package app;

            import java.io.InputStream;
            import java.net.URL;
            import java.util.Enumeration;

            public class Main {
                public static void main(String[] args) throws Exception {
                    ClassLoader loader = Main.class.getClassLoader();
                    for (Enumeration<URL> e = loader.getResources("which.txt"); e.hasMoreElements(); ) {
                        try (InputStream in = e.nextElement().openStream()) {
                            System.out.println("which.txt: " + new String(in.readAllBytes(), "UTF-8"));
                        }
                    }
                    for (String name : new String[] {"b.B", "d.D", "c.C", "missing.M"}) {
                        try {
                            Class<?> type = Class.forName(name, true, loader);
                            System.out.println(name + ": " + type.getMethod("hello").invoke(null)
                                    + (type.getClassLoader() == loader ? " (same loader)" : " (other loader)"));
                        } catch (ClassNotFoundException e) {
                            System.out.println(name + ": " + e);
                        }
                    }
                }
            }
            """;

    @TempDir
    static Path tmp;

    static Path jars;

    @BeforeAll
    static void writeJars() throws IOException {
        jars = tmp.resolve("jars");
        jar("app.Main", MAIN, "a", "b.jar missing.jar").write(jars.resolve("a.jar"));
        jar("b.B", hello("b.B"), "b", "lib/d%20e.jar").write(jars.resolve("b.jar"));
        jar("d.D", hello("d.D"), "d", "../c.jar").write(jars.resolve("lib/d e.jar"));
        jar("c.C", hello("c.C"), "c", null).write(jars.resolve("c.jar"));
    }

    @Test
    void packWhenLibClassPathNamesSiblingJarsThenJavaJarMatchesJavaCpOfTheGivenJar() throws Exception {
        Path archive = pack("only-a.jar", jars.resolve("a.jar"));

        assertThat(nested(archive)).containsExactly("a.jar", "b.jar", "d e.jar", "c.jar");
        TestFixtures.Result expected = java("-cp", jars.resolve("a.jar").toString(), "app.Main");
        TestFixtures.Result actual = java("-jar", archive.toString());
        assertThat(expected.stdout()).isEqualTo("""
                which.txt: a
                which.txt: b
                which.txt: d
                which.txt: c
                b.B: hello from b.B (same loader)
                d.D: hello from d.D (same loader)
                c.C: hello from c.C (same loader)
                missing.M: java.lang.ClassNotFoundException: missing.M
                """);
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void packWhenANamedJarIsAlsoGivenLaterThenItIsNestedOnceInTheJdkOrder() throws Exception {
        // -cp a.jar:c.jar: c.jar comes in through d e.jar's Class-Path before its own place, then is skipped
        Path archive = pack("a-and-c.jar", jars.resolve("a.jar"), jars.resolve("c.jar"));

        assertThat(nested(archive)).containsExactly("a.jar", "b.jar", "d e.jar", "c.jar");
        assertThat(java("-jar", archive.toString()))
                .isEqualTo(java("-cp", jars.resolve("a.jar") + File.pathSeparator + jars.resolve("c.jar"), "app.Main"));
    }

    @Test
    void packWhenANamedJarIsGivenEarlierThenItKeepsItsPlace() throws Exception {
        Path archive = pack("c-then-a.jar", jars.resolve("c.jar"), jars.resolve("a.jar"));

        assertThat(nested(archive)).containsExactly("c.jar", "a.jar", "b.jar", "d e.jar");
        assertThat(java("-jar", archive.toString()))
                .isEqualTo(java("-cp", jars.resolve("c.jar") + File.pathSeparator + jars.resolve("a.jar"), "app.Main"));
    }

    @Test
    void classPathWhenEntriesAreRelativeEncodedOrNotFilesThenTheyResolveAsTheJdkResolvesThem() throws IOException {
        Path jar = jar("x.X", hello("x.X"), "x", "b.jar lib/d%20e.jar ../up.jar http://example.com/remote.jar"
                + " file:/abs/olute.jar missing-dir/").write(tmp.resolve("cp/x.jar"));

        assertThat(LibClassPath.classPath(jar)).containsExactly(tmp.resolve("cp/b.jar"), tmp.resolve("cp/lib/d e.jar"),
                tmp.resolve("up.jar"), Path.of("/abs/olute.jar"));
    }

    @Test
    void packWhenClassPathNamesAnExistingDirectoryThenItIsRefused() throws IOException {
        Files.createDirectories(tmp.resolve("dir/classes"));
        Path jar = jar("x.X", hello("x.X"), "x", "classes/").write(tmp.resolve("dir/x.jar"));

        assertThatThrownBy(() -> pack("dir.jar", jar)).isInstanceOf(PackException.class)
                .hasMessage(jar + ": --lib: Class-Path names directory " + tmp.resolve("dir/classes")
                        + "; only jars can be nested");
    }

    @Test
    void packWhenClassPathNamesAJarWithTheFileNameOfAnotherThenItIsRefused() throws IOException {
        Path other = jar("y.Y", hello("y.Y"), "y", null).write(tmp.resolve("same/sub/c.jar"));
        Path naming = jar("x.X", hello("x.X"), "x", "sub/c.jar").write(tmp.resolve("same/x.jar"));

        assertThatThrownBy(() -> pack("same.jar", jars.resolve("c.jar"), naming)).isInstanceOf(PackException.class)
                .hasMessage(other + ": --lib: named by the Class-Path of " + naming + ", has the same file name as "
                        + jars.resolve("c.jar"));
    }

    /** A jar holding one compiled class, {@code which.txt} saying {@code which}, and a {@code Class-Path}. */
    private static TestFixtures.JarBuilder jar(String className, String source, String which, String classPath)
            throws IOException {
        Path src = Files.createTempDirectory(tmp, "src");
        writeSource(src, className, source);
        Path classes = javac(src, Files.createTempDirectory(tmp, "classes"), List.of());
        TestFixtures.JarBuilder jar = TestFixtures.jar().tree(classes, false).deflated("which.txt", which);
        if (classPath != null) {
            jar.attribute("Class-Path", classPath);
        }
        return jar;
    }

    private static String hello(String className) {
        int dot = className.lastIndexOf('.');
        return "package " + className.substring(0, dot) + ";\n"
                + "public class " + className.substring(dot + 1) + " {\n"
                + "    public static String hello() {\n"
                + "        return \"hello from " + className + "\";\n"
                + "    }\n"
                + "}\n";
    }

    private static Path pack(String name, Path... libs) throws IOException {
        PackOptions.Builder options = PackOptions.builder().out(tmp.resolve(name)).mainClass("app.Main");
        for (Path lib : libs) {
            options.addLib(lib);
        }
        return Packer.pack(options.build()).archive();
    }

    /** @return the file names of the archive's nested jars in its class path order */
    private static List<String> nested(Path archive) throws IOException {
        List<String> names = new ArrayList<>();
        try (Archive opened = Archive.open(archive)) {
            for (Container container : opened.containers()) {
                if (container.nested()) {
                    names.add(container.entry().substring(container.entry().lastIndexOf('/') + 1));
                }
            }
        }
        return names;
    }

    private static TestFixtures.Result java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(jdkTool("java")));
        command.addAll(List.of(args));
        return TestFixtures.run(tmp, command);
    }
}
