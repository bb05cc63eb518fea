package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.jdkTool;
import static dev.hermetic.packer.TestFixtures.write;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A packed archive started with {@code java -jar} in a child JVM behaves as {@code java -cp} of the same
 * classes and jars: the same stdout, stderr and exit code, byte for byte, for ordinary output with
 * arguments, {@code System.exit}, an uncaught exception with a cause (the whole trace), classpath
 * resources, and a class and resources from a nested {@code --lib} jar. Two archives are checked: one
 * packed from the class directory ({@code --app}), one compiled by the packer from the sources.
 */
class PackerEndToEndTests {
    @TempDir
    static Path tmp;

    static Path classes;
    static Path lib;
    static Path fromClasses;
    static Path fromSources;

    @BeforeAll
    static void packApplication() throws IOException {
        Path libSrc = tmp.resolve("lib-src");
        writeSource(libSrc, "lib.Greeter", """
                package lib;

                import java.io.IOException;
                import java.io.InputStream;
                import java.nio.charset.StandardCharsets;

                public final class Greeter {
                    public static String greet(String name) {
                        return "hello, " + name;
                    }

                    public static String resource() throws IOException {
                        try (InputStream in = Greeter.class.getResourceAsStream("greeting.txt")) {
                            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        }
                    }
                }
                """);
        Path libClasses = javac(libSrc, tmp.resolve("lib-classes"), List.of());
        lib = jar().attribute("Implementation-Title", "greeter").tree(libClasses, false)
                .deflated("lib/greeting.txt", "greetings from the nested jar ✓\n")
                .stored("lib/stored.txt", "stored in the nested jar\n")
                .write(tmp.resolve("greeter.jar"));

        Path src = tmp.resolve("src");
        writeSource(src, "app.Main", """
                package app;

                import java.io.IOException;
                import java.io.InputStream;
                import java.nio.charset.StandardCharsets;
                import lib.Greeter;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        switch (args[0]) {
                            case "args" -> {
                                System.out.println("args " + args.length);
                                for (String arg : args) {
                                    System.out.println("[" + arg + "]");
                                }
                                System.err.println("to stderr ✓");
                                System.out.print("no line end");
                            }
                            case "exit" -> {
                                System.out.println("before exit");
                                System.err.println("exiting with 7");
                                System.exit(7);
                            }
                            case "throw" -> {
                                System.out.println("about to fail");
                                fail(args[0]);
                            }
                            case "resource" -> {
                                System.out.print(read(Main.class.getResourceAsStream("/config/app.properties")));
                                System.out.print(read(Main.class.getResource("local.txt").openStream()));
                                System.out.print(read(Thread.currentThread().getContextClassLoader()
                                        .getResourceAsStream("config/app.properties")));
                                System.out.println(Main.class.getResource("/config/missing.txt"));
                            }
                            case "lib" -> {
                                System.out.println(Greeter.greet("world"));
                                System.out.print(Greeter.resource());
                                System.out.print(read(Main.class.getResourceAsStream("/lib/stored.txt")));
                                System.out.println(Class.forName("lib.Greeter").getName());
                                System.out.println(Greeter.class.getClassLoader() == Main.class.getClassLoader());
                            }
                            default -> throw new IllegalArgumentException(args[0]);
                        }
                    }

                    static void fail(String why) {
                        try {
                            Integer.parseInt(why);
                        } catch (NumberFormatException e) {
                            throw new IllegalStateException("boom: " + why, e);
                        }
                    }

                    static String read(InputStream in) throws IOException {
                        try (in) {
                            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        }
                    }
                }
                """);
        write(src.resolve("config/app.properties"), "name=app ✓\n");
        write(src.resolve("app/local.txt"), "next to Main.class\n");
        classes = javac(src, tmp.resolve("classes"), List.of(), lib);
        for (String resource : List.of("config/app.properties", "app/local.txt")) {
            write(classes.resolve(resource), Files.readAllBytes(src.resolve(resource)));
        }

        fromClasses = tmp.resolve("from-classes.jar");
        Packer.pack(PackOptions.builder().out(fromClasses).mainClass("app.Main").addApp(classes).addLib(lib).build());
        fromSources = tmp.resolve("from-sources.jar");
        Packer.pack(PackOptions.builder().out(fromSources).mainClass("app.Main").addSources(src).addLib(lib).build());
    }

    static Stream<Arguments> runs() {
        return Stream.of(
                Arguments.of(List.of("args", "one", "two words", "grüße ✓", "")),
                Arguments.of(List.of("exit")),
                Arguments.of(List.of("throw")),
                Arguments.of(List.of("resource")),
                Arguments.of(List.of("lib")));
    }

    @ParameterizedTest
    @MethodSource("runs")
    void javaJarWhenRunningAPackedArchiveThenOutputAndExitCodeAreThoseOfJavaCp(List<String> args) throws Exception {
        List<String> java = List.of(jdkTool("java"), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        List<String> cp = new ArrayList<>(java);
        cp.addAll(List.of("-cp", classes + File.pathSeparator + lib, "app.Main"));
        cp.addAll(args);
        TestFixtures.Child plain = TestFixtures.Child.start(tmp, Map.of(), cp);
        List<TestFixtures.Child> packed = new ArrayList<>();
        for (Path archive : List.of(fromClasses, fromSources)) {
            List<String> jar = new ArrayList<>(java);
            jar.addAll(List.of("-jar", archive.toString()));
            jar.addAll(args);
            packed.add(TestFixtures.Child.start(tmp, Map.of(), jar));
        }

        TestFixtures.Result expected = plain.await();
        assertRanAsIntended(args.get(0), expected);
        for (TestFixtures.Child child : packed) {
            assertThat(child.await()).isEqualTo(expected);
        }
    }

    /** Guards against both runs failing the same way: {@code java -cp} did what the mode is for. */
    static void assertRanAsIntended(String mode, TestFixtures.Result result) {
        switch (mode) {
            case "args" -> {
                assertThat(result.exit()).isZero();
                assertThat(result.stdout()).isEqualTo(String.join(System.lineSeparator(),
                        "args 5", "[args]", "[one]", "[two words]", "[grüße ✓]", "[]", "no line end"));
                assertThat(result.stderr()).isEqualTo("to stderr ✓" + System.lineSeparator());
            }
            case "exit" -> {
                assertThat(result.exit()).isEqualTo(7);
                assertThat(result.stderr()).isEqualTo("exiting with 7" + System.lineSeparator());
            }
            case "throw" -> {
                assertThat(result.exit()).isEqualTo(1);
                assertThat(result.stderr()).startsWith("Exception in thread \"main\" java.lang.IllegalStateException: boom: throw")
                        .contains("\tat app.Main.fail(Main.java:", "\tat app.Main.main(Main.java:",
                                "Caused by: java.lang.NumberFormatException: For input string: \"throw\"", "\t... ");
            }
            case "resource" -> {
                assertThat(result.exit()).isZero();
                assertThat(result.stdout().lines()).containsExactly("name=app ✓", "next to Main.class", "name=app ✓", "null");
            }
            case "lib" -> {
                assertThat(result.exit()).isZero();
                assertThat(result.stdout().lines()).containsExactly("hello, world", "greetings from the nested jar ✓",
                        "stored in the nested jar", "lib.Greeter", "true");
            }
            default -> throw new AssertionError(mode);
        }
    }
}
