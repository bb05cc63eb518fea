package dev.hermetic.loader.compile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.loader.archive.TestArchives;
import dev.hermetic.loader.archive.ValidationMode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModuleCompiler} with the real system compiler over a real archive made by {@link TestArchives}:
 *
 * <ul>
 *   <li>{@code app/Main.java} (module 0, checked): its archived source and caches are an OLD version,
 *       compiled by {@link TestArchives#compile}, which also declares a second top-level class
 *       {@code Extra} (cache {@code app/Extra.class}, module 0);</li>
 *   <li>{@code app/Util.java} (module 1, trusted): cached ({@code app/Util.class}, STORED);</li>
 *   <li>{@code app/support/Helper.java} (module 2, checked): source only, no cache;</li>
 *   <li>{@code app/broken/Broken.java} (module 3, checked): source only, with a syntax error on line 2;</li>
 *   <li>{@code dep.jar}, nested: {@code dep/Greeter.class} DEFLATED ({@link TestArchives#jar}).</li>
 * </ul>
 * The tests compile NEW sources for {@code app/Main.java} against it, as an overlay would give them.
 */
class ModuleCompilerTests {
    private static final String OLD_MAIN = """
            package app;

            public class Main {
                public static String run() { return "old " + new Extra(); }
            }

            class Extra {
            }
            """;
    private static final String NEW_MAIN = """
            package app;

            import app.support.Helper;
            import dep.Greeter;
            import java.util.function.Supplier;

            public class Main {
                static class Inner {
                    String name() { return "inner"; }
                }

                public static String run() {
                    Supplier<String> anonymous = new Supplier<String>() {
                        @Override
                        public String get() { return "anonymous"; }
                    };
                    return String.join(",", Util.util(), Greeter.greet("dep"), Helper.help(), anonymous.get(),
                            new Inner().name());
                }
            }
            """;
    private static final String UTIL = "package app;\n\npublic class Util {\n"
            + "    public static String util() { return \"util\"; }\n}\n";
    private static final String HELPER = "package app.support;\n\npublic class Helper {\n"
            + "    public static String help() { return \"helper\"; }\n}\n";
    private static final String BROKEN = "package app.broken;\npublic class Broken { int x = 1 }\n";
    private static final String GREETER = "package dep;\n\npublic class Greeter {\n"
            + "    public static String greet(String who) { return \"hello \" + who; }\n}\n";
    private static final List<String> OPTIONS = List.of("--release", "17", "-encoding", "UTF-8", "-g:source,lines",
            "-proc:none");

    @TempDir
    static Path dir;
    static Archive archive;
    static ModuleCompiler compiler;

    @BeforeAll
    static void pack() throws IOException {
        Map<String, byte[]> dep = TestArchives.compile(dir, Map.of("dep/Greeter.java", GREETER));
        Map<String, byte[]> app = TestArchives.compile(dir, Map.of("app/Main.java", OLD_MAIN, "app/Util.java", UTIL));
        assertThat(app).containsOnlyKeys("app/Main.class", "app/Extra.class", "app/Util.class");
        TestArchives.Builder builder = TestArchives.archive("app.Main");
        int main = builder.module("app/Main.java", OLD_MAIN.getBytes(UTF_8), ValidationMode.CHECKED);
        int util = builder.module("app/Util.java", UTIL.getBytes(UTF_8), ValidationMode.TRUSTED);
        builder.module("app/support/Helper.java", HELPER.getBytes(UTF_8), ValidationMode.CHECKED);
        builder.module("app/broken/Broken.java", BROKEN.getBytes(UTF_8), ValidationMode.CHECKED);
        Map<String, byte[]> jar = new LinkedHashMap<>();
        jar.put("dep/", new byte[0]);
        jar.putAll(dep);
        Path file = builder
                .app("app/Main.class", app.get("app/Main.class"), main)
                .app("app/Extra.class", app.get("app/Extra.class"), main)
                .app("app/Util.class", app.get("app/Util.class"), util)
                .lib("dep.jar", TestArchives.jar(jar))
                .write(dir.resolve("app.jar")).path();
        archive = Archive.open(file);
        assertThat(archive.find("dep/Greeter.class").method()).isEqualTo(ZipEntry.DEFLATED);
        compiler = ModuleCompiler.of(archive);
    }

    @AfterAll
    static void close() throws IOException {
        archive.close();
    }

    private static Module module(String source) throws IOException {
        return archive.modules().stream().filter(m -> m.source().equals(source)).findFirst().orElseThrow();
    }

    @Test
    void compileWhenSourceUsesACachedClassANestedJarClassAndASourceOnlyModuleThenItsClassesRunInAFreshLoader()
            throws Exception {
        Map<String, byte[]> main = compiler.compile(module("app/Main.java"), NEW_MAIN.getBytes(UTF_8), OPTIONS);
        Module helperModule = module("app/support/Helper.java");
        Map<String, byte[]> helper = compiler.compile(helperModule, archive.readSource(helperModule), OPTIONS);

        // only the module's own classes, every nested and anonymous one, sorted by name
        assertThat(main.keySet()).containsExactly("app/Main$1.class", "app/Main$Inner.class", "app/Main.class");
        assertThat(helper.keySet()).containsExactly("app/support/Helper.class");
        Map<String, byte[]> classes = new HashMap<>(main);
        classes.putAll(helper);
        classes.put("app/Util.class", archive.read(archive.find("app/Util.class")));
        classes.put("dep/Greeter.class", archive.read(archive.find("dep/Greeter.class")));
        Class<?> loaded = new TestArchives.MapClassLoader(classes).loadClass("app.Main");
        assertThat(loaded.getMethod("run").invoke(null)).isEqualTo("util,hello dep,helper,anonymous,inner");
        assertThat(majorVersion(main.get("app/Main.class"))).isEqualTo(61);
    }

    @Test
    void compileWhenTheArchivedSourceIsGivenThenItsOwnStaleCachesAreNotNeeded() throws Exception {
        Module main = module("app/Main.java");

        Map<String, byte[]> classes = compiler.compile(main, archive.readSource(main), OPTIONS);

        assertThat(classes.keySet()).containsExactly("app/Extra.class", "app/Main.class");
        Class<?> loaded = new TestArchives.MapClassLoader(classes).loadClass("app.Main");
        assertThat((String) loaded.getMethod("run").invoke(null)).startsWith("old app.Extra@");
    }

    @Test
    void compileWhenTheNewSourceUsesAClassOnlyTheModulesStaleCachesHaveThenItDoesNotCompile() {
        // app/Extra.class is in the archive, but it is module 0's own (stale) output: hidden
        String source = "package app;\n\npublic class Main {\n    static Object extra = new Extra();\n}\n";

        assertThatThrownBy(() -> compiler.compile(module("app/Main.java"), source.getBytes(UTF_8), OPTIONS))
                .isInstanceOf(CompileException.class)
                .hasMessage("cannot compile app/Main.java: 1 error at line 4: cannot find symbol"
                        + " (symbol: class Extra, location: class app.Main)");
    }

    @Test
    void compileWhenTheSourceHasErrorsThenTheExceptionNamesTheSourceTheFirstErrorAndTheCount() throws IOException {
        String source = "package app;\n\npublic class Main {\n    Missing a;\n    int b = \"text\";\n}\n";

        CompileException e = org.junit.jupiter.api.Assertions.assertThrows(CompileException.class,
                () -> compiler.compile(module("app/Main.java"), source.getBytes(UTF_8), OPTIONS));

        assertThat(e).hasMessage("cannot compile app/Main.java: 2 errors, the first at line 4: cannot find symbol"
                + " (symbol: class Missing, location: class app.Main)");
        assertThat(e.source()).isEqualTo("app/Main.java");
        assertThat(e.errorCount()).isEqualTo(2);
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.errors()).containsExactly(
                "app/Main.java:4: error: cannot find symbol\n  symbol:   class Missing\n  location: class app.Main",
                "app/Main.java:5: error: incompatible types: java.lang.String cannot be converted to int");
    }

    @Test
    void compileWhenASourceOnlyDependencyDoesNotCompileThenTheExceptionNamesIt() {
        String source = "package app;\n\npublic class Main {\n    app.broken.Broken broken;\n}\n";

        assertThatThrownBy(() -> compiler.compile("app/Main.java", source.getBytes(UTF_8), OPTIONS))
                .isInstanceOf(CompileException.class)
                .hasMessage("cannot compile app/Main.java: 1 error in app/broken/Broken.java at line 2: ';' expected");
    }

    @Test
    void compileWhenExplodedAndADependencysCacheWasDeletedThenItsSourceStandsInUntilThatIsDeletedToo()
            throws Exception {
        Path root = TestArchives.explode(archive.path(), dir.resolve("exploded"));
        Files.delete(root.resolve("HERMETIC-INF/classes/app/Util.class"));

        try (Archive exploded = Archive.open(root)) {
            assertThat(exploded.exploded()).isTrue();
            Map<String, byte[]> classes = ModuleCompiler.of(exploded).compile(module("app/Main.java"),
                    NEW_MAIN.getBytes(UTF_8), OPTIONS);

            // app/Util.java was read from the source path, not compiled into the result
            assertThat(classes.keySet()).containsExactly("app/Main$1.class", "app/Main$Inner.class", "app/Main.class");
        }
        Files.delete(root.resolve("HERMETIC-INF/sources/app/Util.java"));
        try (Archive exploded = Archive.open(root)) {
            assertThatThrownBy(() -> ModuleCompiler.of(exploded).compile(module("app/Main.java"),
                    NEW_MAIN.getBytes(UTF_8), OPTIONS))
                    .isInstanceOf(CompileException.class)
                    .hasMessage("cannot compile app/Main.java: 1 error at line 17: cannot find symbol"
                            + " (symbol: variable Util, location: class app.Main)");
        }
    }

    @Test
    void compileWhenReleaseIsGivenThenTheClassFilesHaveItsMajorVersion() throws Exception {
        Module helper = module("app/support/Helper.java");
        byte[] source = archive.readSource(helper);

        Map<String, byte[]> release11 = compiler.compile(helper, source, List.of("--release", "11"));
        Map<String, byte[]> release17 = compiler.compile(helper, source, List.of("--release=17"));

        assertThat(majorVersion(release11.get("app/support/Helper.class"))).isEqualTo(55);
        assertThat(majorVersion(release17.get("app/support/Helper.class"))).isEqualTo(61);
    }

    @Test
    void compileWhenReleaseIsNewerThanThisJdkThenTheExceptionSaysSo() {
        int tooNew = Runtime.version().feature() + 1;

        assertThatThrownBy(() -> compiler.compile("app/Main.java", NEW_MAIN.getBytes(UTF_8),
                List.of("--release", Integer.toString(tooNew))))
                .isInstanceOf(CompileException.class)
                .hasMessage("cannot compile app/Main.java: invalid compiler options: error: release version "
                        + tooNew + " not supported");
    }

    @Test
    void compileWhenAnOptionIsUnknownThenTheExceptionSaysSo() {
        assertThatThrownBy(() -> compiler.compile("app/Main.java", NEW_MAIN.getBytes(UTF_8), List.of("-bogus")))
                .isInstanceOf(CompileException.class)
                .hasMessage("cannot compile app/Main.java: invalid compiler options: error: invalid flag: -bogus");
    }

    @Test
    void compileWhenTheSourceIsNotValidInItsEncodingThenTheExceptionGivesTheOffset() {
        byte[] source = "package app; class Main { String s = \"\u00e9\"; }".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> compiler.compile("app/Main.java", source, OPTIONS))
                .isInstanceOf(CompileException.class)
                .hasMessage("cannot compile app/Main.java: app/Main.java is not valid UTF-8: byte offset 38");
    }

    @Test
    void compileWhenTheEncodingIsGivenThenTheSourceIsDecodedWithIt() throws Exception {
        String text = "package app;\n\npublic class Main {\n    public static String run() { return \"\u00e9t\u00e9\"; }\n}\n";

        Map<String, byte[]> classes = compiler.compile("app/Main.java", text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                List.of("-encoding", "ISO-8859-1"));

        Class<?> loaded = new TestArchives.MapClassLoader(classes).loadClass("app.Main");
        assertThat(loaded.getMethod("run").invoke(null)).isEqualTo("\u00e9t\u00e9");
    }

    @Test
    void javacOptionsWhenLocationsAreGivenThenTheyAreDroppedAndImplicitNoneIsAdded() {
        assertThat(ModuleCompiler.javacOptions(List.of("-d", "out", "--release", "17", "-cp", "a.jar",
                "--source-path=src", "-implicit:class", "-g")))
                .containsExactly("--release", "17", "-g", "-implicit:none", "-proc:none");
        assertThat(ModuleCompiler.javacOptions(List.of("-proc:full")))
                .containsExactly("-proc:full", "-implicit:none");
    }

    @Test
    void optionsWhenTheRecordedReleaseIsNewerThanTheRuntimeThenItIsLowered() {
        assertThat(ModuleCompiler.options("--release 21 -encoding UTF-8 -g:source,lines -proc:none", 17))
                .containsExactly("--release", "17", "-encoding", "UTF-8", "-g:source,lines", "-proc:none");
        assertThat(ModuleCompiler.options("--release=11  -g", 17)).containsExactly("--release=11", "-g");
        assertThat(ModuleCompiler.options("", 17)).isEmpty();
    }

    @Test
    void unavailableReasonWhenThisJdkHasACompilerThenNull() {
        assertThat(ModuleCompiler.unavailableReason()).isNull();
    }

    @Test
    void unavailableReasonWhenTheRuntimeLacksJavaCompilerThenItSaysSoAndCompileFailsClearly() throws Exception {
        ChildJvm.Run run = ChildJvm.run(dir, List.of("--limit-modules", "java.base"), NoCompiler.class,
                archive.path().toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("""
                reason: this Java runtime has no compiler (module java.compiler is absent)
                compile: CompileException: cannot compile app/Main.java: this Java runtime has no compiler (module java.compiler is absent)
                """);
        assertThat(run.exit()).isZero();
    }

    @Test
    void unavailableReasonWhenTheRuntimeHasJavaCompilerButNotJdkCompilerThenItSaysSo() throws Exception {
        ChildJvm.Run run = ChildJvm.run(dir, List.of("--limit-modules", "java.base,java.compiler"), NoCompiler.class,
                archive.path().toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("""
                reason: this Java runtime has no compiler (module jdk.compiler is absent; is this a JRE?)
                compile: CompileException: cannot compile app/Main.java: this Java runtime has no compiler (module jdk.compiler is absent; is this a JRE?)
                """);
        assertThat(run.exit()).isZero();
    }

    private static int majorVersion(byte[] classFile) {
        assertThat(ByteBuffer.wrap(classFile).getInt(0)).isEqualTo(0xCAFEBABE);
        return ByteBuffer.wrap(classFile).getShort(6);
    }

    /**
     * Run in a child JVM whose runtime lacks the compiler: prints the reason and what compiling does.
     * Touches nothing of JUnit, AssertJ or {@code javax.tools}.
     */
    public static final class NoCompiler {
        public static void main(String[] args) throws IOException {
            System.out.println("reason: " + ModuleCompiler.unavailableReason());
            try (Archive archive = Archive.open(Path.of(args[0]))) {
                ModuleCompiler.of(archive).compile(archive.module(0), "class Main {}".getBytes(UTF_8), List.of());
                System.out.println("compile: compiled");
            } catch (CompileException e) {
                System.out.println("compile: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}
