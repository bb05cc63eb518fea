package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Launcher-Agent-Class} of the application's manifest: the archive's manifest names
 * {@code dev.hermetic.loader.AgentLauncher} instead and the application's agent as
 * {@code Hermetic-Agent-Class}; {@code java -jar} of the archive runs the agent before {@code main}, in the
 * same loader as the application, exactly as {@code java -jar} of the plain application jar does (its
 * {@code Class-Path} naming the library jar beside it). Compared in child JVMs, on the running JDK and on
 * JDK 25 when installed.
 */
class LauncherAgentTests {
    private static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    static Path tmp;

    static Path plain;
    static Path lib;

    @BeforeAll
    static void writeJars() throws IOException {
        Path src = tmp.resolve("src");
        writeSource(src, "lib.Helper", """
                package lib;

                public class Helper {
                    public static String describe(String what) {
                        return "helper saw " + what;
                    }
                }
                """);
        Path libClasses = javac(src, tmp.resolve("lib-classes"), List.of());
        lib = TestFixtures.jar().tree(libClasses, false).write(tmp.resolve("plain/lib.jar"));

        Path appSrc = tmp.resolve("app-src");
        writeSource(appSrc, "app.Agent", """
                package app;

                import java.lang.instrument.Instrumentation;

                public class Agent {
                    public static String recorded = "agent did not run";

                    public static void agentmain(String args, Instrumentation instrumentation) {
                        ClassLoader context = Thread.currentThread().getContextClassLoader();
                        recorded = lib.Helper.describe("args [" + args + "]")
                                + ", redefine " + instrumentation.isRedefineClassesSupported()
                                + ", retransform " + instrumentation.isRetransformClassesSupported()
                                + ", Main loaded before agent " + isLoaded(instrumentation, "app.Main")
                                + ", context loader is the agent's " + (context == Agent.class.getClassLoader());
                    }

                    private static boolean isLoaded(Instrumentation instrumentation, String name) {
                        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
                            if (type.getName().equals(name)) {
                                return true;
                            }
                        }
                        return false;
                    }
                }
                """);
        writeSource(appSrc, "app.OneArgumentAgent", """
                package app;

                public class OneArgumentAgent {
                    public static void agentmain(String args) {
                        Agent.recorded = "one-argument agent, args [" + args + "]";
                    }
                }
                """);
        writeSource(appSrc, "app.Main", """
                package app;

                public class Main {
                    public static void main(String[] args) {
                        System.out.println(Agent.recorded);
                        System.out.println("same loader " + (Agent.class.getClassLoader() == Main.class.getClassLoader()));
                        System.out.println("context loader is main's "
                                + (Thread.currentThread().getContextClassLoader() == Main.class.getClassLoader()));
                    }
                }
                """);
        Path appClasses = javac(appSrc, tmp.resolve("app-classes"), List.of(), libClasses);
        plain = TestFixtures.jar().mainClass("app.Main").attribute("Launcher-Agent-Class", "app.Agent")
                .attribute("Can-Redefine-Classes", "true").attribute("Class-Path", "lib.jar")
                .tree(appClasses, false).write(tmp.resolve("plain/app.jar"));
        TestFixtures.jar().mainClass("app.Main").attribute("Launcher-Agent-Class", "app.OneArgumentAgent")
                .tree(appClasses, false).write(tmp.resolve("plain/one.jar"));
    }

    @Test
    void packWhenAppManifestHasLauncherAgentClassThenTheArchiveRunsItThroughTheAgentLauncher() throws IOException {
        Path archive = pack("manifest.jar", plain);

        Manifest manifest;
        try (JarFile jar = new JarFile(archive.toFile())) {
            manifest = jar.getManifest();
        }
        assertThat(manifest.getMainAttributes().getValue("Launcher-Agent-Class"))
                .isEqualTo("dev.hermetic.loader.AgentLauncher");
        assertThat(manifest.getMainAttributes().getValue("Hermetic-Agent-Class")).isEqualTo("app.Agent");
        assertThat(manifest.getMainAttributes().getValue("Can-Redefine-Classes")).isEqualTo("true");
        assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo("dev.hermetic.loader.Launcher");
    }

    @Test
    void javaJarWhenAgentRecordsAStaticThenMainPrintsWhatAPlainJarPrints() throws Exception {
        Path archive = pack("agent.jar", plain);

        for (Path jdk : jdks()) {
            TestFixtures.Result expected = java(jdk, "-jar", plain.toString());
            assertThat(expected.stdout()).isEqualTo("""
                    helper saw args [], redefine true, retransform false, Main loaded before agent false, context loader is the agent's true
                    same loader true
                    context loader is main's true
                    """);
            assertThat(java(jdk, "-jar", archive.toString())).as("on %s", jdk).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "hermetic.launcher={0}")
    @ValueSource(strings = {"own", "app"})
    void javaJarWhenTheAotCacheWasTrainedOnARelativePathThenTheAgentRunsAsWithoutIt(String launcher) throws Exception {
        assumeTrue(Files.isExecutable(JDK_25.resolve("bin/java")), "JDK 25 is not installed at " + JDK_25);
        Path trained = Files.createDirectories(tmp.resolve("trained-" + launcher));
        Path archive = Packer.pack(PackOptions.builder().out(trained.resolve("agent.jar")).addApp(plain).addLib(lib)
                .launcherAtRoot(launcher.equals("app")).build()).archive();
        Path cache = trained.resolve("agent.aot");
        TestFixtures.Result training = TestFixtures.run(trained, List.of(JDK_25.resolve("bin/java").toString(),
                "-XX:AOTCacheOutput=" + cache, "-Dhermetic.launcher=" + launcher, "-jar", "agent.jar"));
        assertThat(training.exit()).as(training.stderr()).isZero();

        // the cache gives the launcher's classes no location here; the agent's manifest is the archive's all the same
        TestFixtures.Result run = java(JDK_25, "-XX:AOTCache=" + cache, "-Dhermetic.launcher=" + launcher, "-jar",
                archive.toString());

        assertThat(run).isEqualTo(java(JDK_25, "-jar", plain.toString()));
    }

    @Test
    void javaJarWhenAgentHasOnlyTheOneArgumentAgentmainThenItIsCalledAsTheJdkCallsIt() throws Exception {
        Path archive = pack("one.jar", tmp.resolve("plain/one.jar"));

        TestFixtures.Result expected = java(jdks().get(0), "-jar", tmp.resolve("plain/one.jar").toString());
        assertThat(expected.stdout()).startsWith("one-argument agent, args []\n");
        assertThat(java(jdks().get(0), "-jar", archive.toString())).isEqualTo(expected);
    }

    @Test
    void javaCpWhenArchiveHasAnAgentThenTheAgentDoesNotRunAsForAPlainJar() throws Exception {
        Path archive = pack("cp.jar", plain);

        TestFixtures.Result expected = java(jdks().get(0), "-cp", plain + java.io.File.pathSeparator + lib, "app.Main");
        assertThat(expected.stdout()).startsWith("agent did not run\n");
        assertThat(java(jdks().get(0), "-cp", archive.toString(), "dev.hermetic.loader.Launcher")).isEqualTo(expected);
    }

    @Test
    void javaJarWhenTheTableOfLauncherClassesIsCorruptThenTheAgentsLaunchFailsInOneLine() throws Exception {
        Path archive = pack("corrupt.jar", plain);
        byte[] bytes = Files.readAllBytes(archive);
        // the table's magic, whose first occurrence is its header: the table is the archive's third entry
        int magic = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("HRML");
        bytes[magic] = 'X';
        Files.write(archive, bytes);

        TestFixtures.Result run = java(jdks().get(0), "-jar", archive.toString());

        // as without an agent, where the launcher says it
        assertThat(run).isEqualTo(new TestFixtures.Result(1, "", "Error: " + archive
                + ": HERMETIC-INF/loader.classes: not a table of launcher classes of version 1\n"));
    }

    @Test
    void javaJarWhenHermeticLauncherIsNeitherOwnNorAppThenTheAgentDoesNotRunAndTheLaunchFailsInOneLine()
            throws Exception {
        Path archive = pack("bad-switch.jar", plain);
        Path classLog = tmp.resolve("bad-switch-classes.log");

        TestFixtures.Result run = java(jdks().get(0), "-Xlog:class+load:file=" + classLog, "-Dhermetic.launcher=fast",
                "-jar", archive.toString());

        assertThat(run).isEqualTo(new TestFixtures.Result(1, "", "Error: -Dhermetic.launcher=fast: expected own or app\n"));
        assertThat(Files.readString(classLog)).contains("dev.hermetic.loader.AgentLauncher ").doesNotContain("app.Agent ");
    }

    @Test
    void packWhenLauncherAgentClassIsMissingThenItIsRefused() throws IOException {
        Path jar = TestFixtures.jar().mainClass("app.Main").attribute("Launcher-Agent-Class", "app.Nowhere")
                .tree(tmp.resolve("app-classes"), false).write(tmp.resolve("nowhere/app.jar"));

        assertThatThrownBy(() -> pack("nowhere.jar", jar)).isInstanceOf(PackException.class)
                .hasMessage("Launcher-Agent-Class app.Nowhere is not in the application or its libraries");
    }

    private static Path pack(String name, Path app) throws IOException {
        return Packer.pack(PackOptions.builder().out(tmp.resolve(name)).addApp(app).addLib(lib).build()).archive();
    }

    private static List<Path> jdks() {
        List<Path> jdks = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        if (Files.isExecutable(JDK_25.resolve("bin/java"))) {
            jdks.add(JDK_25);
        }
        return jdks;
    }

    private static TestFixtures.Result java(Path jdk, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(jdk.resolve("bin/java").toString()));
        command.addAll(List.of(args));
        return TestFixtures.run(tmp, command);
    }
}
