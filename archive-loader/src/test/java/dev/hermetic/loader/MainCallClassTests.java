package dev.hermetic.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hermetic.launch.MainCall;
import dev.hermetic.loader.archive.TestArchives;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MainCallClass}: its class file defined by a loader of the compiled applications, as the archive's
 * loader defines it in a launch, and run; the JVM verifies it as it verifies any class of such a loader.
 */
class MainCallClassTests {
    @TempDir
    static Path shared;
    private static Map<String, byte[]> classes;

    @BeforeAll
    static void compile() throws Exception {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("p/Main.java", "package p; public class Main { public static String ran;"
                + " public static void main(String[] args) { ran = String.join(\",\", args); } }");
        // a name in modified UTF-8 of two and three bytes a char, and a supplementary char's surrogates
        sources.put("p/Ünïcødé€𝒜.java", "package p; public class Ünïcødé€𝒜 {"
                + " public static void main(String[] args) { Main.ran = \"unicode \" + args.length; } }");
        sources.put("p/Face.java", "package p; public interface Face {"
                + " static void main(String[] args) { Main.ran = \"interface \" + args[0]; } }");
        sources.put("p/Hidden.java", "package p; class Hidden { public static void main(String[] args) { } }");
        sources.put("p/Quiet.java", "package p; public class Quiet { static void main(String[] args) { } }");
        sources.put("p/Throws.java", "package p; public class Throws {"
                + " public static void main(String[] args) throws Exception { throw new Exception(\"checked\"); } }");
        classes = TestArchives.compile(shared, sources);
    }

    /** Defines the applications' classes, then a {@link MainCall} for one of them, as a launch's archive loader does. */
    private static final class AppLoader extends TestArchives.MapClassLoader {
        AppLoader() {
            super(classes);
        }

        /** Runs the defined MainCall, reflectively here (a launch calls it by invokestatic). */
        Object run(String mainClass, String... args) throws Throwable {
            Class<?> main = loadClass(mainClass);
            byte[] bytes = MainCallClass.of(main);
            Class<?> call = defineClass(MainCallClass.NAME, bytes, 0, bytes.length);
            try {
                call.getMethod("run", String[].class).invoke(null, (Object) args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return loadClass("p.Main").getField("ran").get(null);
        }
    }

    @Test
    void nameWhenComparedThenItIsTheStubsTheLaunchCompilesAgainst() {
        assertThat(MainCallClass.NAME).isEqualTo(MainCall.class.getName());
    }

    @Test
    void ofWhenDefinedAndRunThenCallsThatClassesMainWithTheArguments() throws Throwable {
        assertThat(new AppLoader().run("p.Main", "a", "b c", "")).isEqualTo("a,b c,");
    }

    @Test
    void ofWhenTheClassNameIsNotAsciiThenItsConstantIsModifiedUtf8() throws Throwable {
        assertThat(new AppLoader().run("p.Ünïcødé€𝒜", "x", "y")).isEqualTo("unicode 2");
    }

    @Test
    void ofWhenMainIsAnInterfacesThenCallsItThroughAnInterfaceMethodReference() throws Throwable {
        assertThat(new AppLoader().run("p.Face", "z")).isEqualTo("interface z");
    }

    @Test
    void ofWhenMainThrowsACheckedExceptionThenItPassesThroughAsItIs() {
        assertThatThrownBy(() -> new AppLoader().run("p.Throws")).isExactlyInstanceOf(Exception.class).hasMessage("checked");
    }

    @Test
    void canCallWhenMainOrItsClassIsNotPublicThenFalse() throws Exception {
        AppLoader loader = new AppLoader();

        assertThat(MainCallClass.canCall(loader.loadClass("p.Main").getMethod("main", String[].class))).isTrue();
        assertThat(MainCallClass.canCall(loader.loadClass("p.Face").getMethod("main", String[].class))).isTrue();
        assertThat(MainCallClass.canCall(loader.loadClass("p.Hidden").getMethod("main", String[].class))).isFalse();
        assertThat(MainCallClass.canCall(loader.loadClass("p.Quiet").getDeclaredMethod("main", String[].class)))
                .isFalse();
    }

    @Test
    void mainCallWhenRunItselfThenFailsSayingOnlyALaunchDefinesIt() {
        assertThatThrownBy(() -> MainCall.run(new String[0])).isInstanceOf(IllegalStateException.class)
                .hasMessage("dev.hermetic.launch.MainCall runs only as a launch defines it");
    }
}
