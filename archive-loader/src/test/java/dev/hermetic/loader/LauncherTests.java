package dev.hermetic.loader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.TestArchives;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Launcher} end to end, in child JVMs: each archive (made by {@link TestArchives}) has at its
 * root {@code META-INF/}, a manifest naming the launcher as {@code Main-Class}, the table of the
 * launcher's classes ({@code HERMETIC-INF/loader.classes}, third) and this module's compiled classes
 * (copied from the directory that holds {@code Launcher.class}, with its {@code META-INF/services}); the
 * application's classes, compiled by {@code javac}, are under {@code HERMETIC-INF/classes/} and a nested
 * {@code dep.jar}. Where {@code java -cp} is the reference, the same class files run from a directory.
 */
class LauncherTests {
    private static final String MAIN = "package app;\n"
            + "\n"
            + "import java.io.InputStream;\n"
            + "\n"
            + "public class Main {\n"
            + "    public static void main(String[] args) throws Exception {\n"
            + "        String mode = args.length == 0 ? \"\" : args[0];\n"
            + "        if (mode.equals(\"exit\")) {\n"
            + "            System.out.println(\"exiting\");\n"
            + "            System.exit(3);\n"
            + "        } else if (mode.equals(\"throw\")) {\n"
            + "            fail(\"boom\");\n"
            + "        } else if (mode.equals(\"context\")) {\n"
            + "            ClassLoader context = Thread.currentThread().getContextClassLoader();\n"
            + "            System.out.println(context.getClass().getName());\n"
            + "            System.out.println(context == Main.class.getClassLoader());\n"
            + "            System.out.println(Main.class.getProtectionDomain().getCodeSource().getLocation());\n"
            + "            try (InputStream in = context.getResourceAsStream(\"dep/res.txt\")) {\n"
            + "                System.out.println(new String(in.readAllBytes(), \"UTF-8\"));\n"
            + "            }\n"
            + "            System.out.println(Class.forName(\"dep.Dep\", true, context).getMethod(\"hello\").invoke(null));\n"
            + "        } else if (mode.equals(\"location\")) {\n"
            + "            System.out.println(Main.class.getProtectionDomain().getCodeSource().getLocation());\n"
            + "        } else if (mode.equals(\"launcher\")) {\n"
            + "            // the loader that defined the archive's class loader\n"
            + "            System.out.println(Main.class.getClassLoader().getClass().getClassLoader().getClass().getName());\n"
            + "        } else if (mode.equals(\"url\")) {\n"
            + "            // a hermetic: URL parsed from its text: the JDK asks the URL handler provider of the archive's root\n"
            + "            java.net.URL found = Thread.currentThread().getContextClassLoader().getResource(\"dep/res.txt\");\n"
            + "            java.net.URLConnection connection = java.net.URI.create(found.toExternalForm()).toURL().openConnection();\n"
            + "            try (InputStream in = connection.getInputStream()) {\n"
            + "                System.out.println(new String(in.readAllBytes(), \"UTF-8\"));\n"
            + "            }\n"
            + "            System.out.println(connection.getClass().getClassLoader().getClass().getName());\n"
            + "        } else if (mode.equals(\"unused\")) {\n"
            + "            // loaded by name and never used: never linked\n"
            + "            System.out.println(Class.forName(\"app.Broken\", false, Main.class.getClassLoader()).getName());\n"
            + "        } else {\n"
            + "            System.out.println(args.length + \" args\");\n"
            + "            for (String arg : args) {\n"
            + "                System.out.println(\"[\" + arg + \"]\");\n"
            + "            }\n"
            + "            System.err.println(\"to stderr\");\n"
            + "        }\n"
            + "    }\n"
            + "\n"
            + "    static void fail(String message) {\n"
            + "        try {\n"
            + "            helper();\n"
            + "        } catch (RuntimeException e) {\n"
            + "            IllegalStateException thrown = new IllegalStateException(message, e);\n"
            + "            thrown.addSuppressed(new IllegalArgumentException(\"suppressed\"));\n"
            + "            throw thrown;\n"
            + "        }\n"
            + "    }\n"
            + "\n"
            + "    static void helper() {\n"
            + "        throw new UnsupportedOperationException(\"inner\");\n"
            + "    }\n"
            + "}\n";
    private static final String BROKEN = "package app;\n"
            + "\n"
            + "public class Broken {\n"
            + "    static final int VALUE = Integer.parseInt(\"not a number\");\n"
            + "\n"
            + "    public static void main(String[] args) {\n"
            + "        System.out.println(VALUE);\n"
            + "    }\n"
            + "}\n";
    /** A main class that is not public, whose main MainCall cannot call. */
    private static final String HIDDEN = "package app;\n"
            + "\n"
            + "class Hidden {\n"
            + "    public static void main(String[] args) {\n"
            + "        System.out.println(\"hidden main, \" + args.length + \" args\");\n"
            + "    }\n"
            + "}\n";
    /** A main class whose main its superclass declares: the JVM initialises the class named, not Base. */
    private static final String SUB = "package app;\n"
            + "\n"
            + "public class Sub extends Base {\n"
            + "    static {\n"
            + "        System.out.println(\"Sub initialised\");\n"
            + "    }\n"
            + "}\n";
    private static final String BASE = "package app;\n"
            + "\n"
            + "public class Base {\n"
            + "    public static void main(String[] args) {\n"
            + "        if (args.length > 0 && args[0].equals(\"throw\")) {\n"
            + "            throw new IllegalStateException(\"from Base\");\n"
            + "        }\n"
            + "        System.out.println(\"main of Base\");\n"
            + "    }\n"
            + "}\n";
    /** Makes a hermetic: URL where no launch ran: the archive on a class path, another class's main. */
    private static final String URL_PROBE = "package probe;\n"
            + "\n"
            + "public class UrlProbe {\n"
            + "    public static void main(String[] args) {\n"
            + "        try {\n"
            + "            System.out.println(new java.net.URL(\"hermetic:/x\"));\n"
            + "        } catch (java.net.MalformedURLException e) {\n"
            + "            System.out.println(e.getMessage());\n"
            + "        }\n"
            + "    }\n"
            + "}\n";
    private static final String DEP = "package dep;\n"
            + "\n"
            + "public class Dep {\n"
            + "    public static String hello() {\n"
            + "        return \"hello from dep\";\n"
            + "    }\n"
            + "}\n";

    @TempDir
    static Path shared;
    private static Path classesDir;
    private static Map<String, byte[]> classes;
    private static byte[] depJar;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile() throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("app/Main.java", MAIN);
        sources.put("app/Broken.java", BROKEN);
        sources.put("app/Hidden.java", HIDDEN);
        sources.put("app/Sub.java", SUB);
        sources.put("app/Base.java", BASE);
        sources.put("probe/UrlProbe.java", URL_PROBE);
        sources.put("dep/Dep.java", DEP);
        classes = TestArchives.compile(shared, sources);
        // the same class files as a directory, for java -cp
        classesDir = shared.resolve("cp");
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            Path file = classesDir.resolve(c.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, c.getValue());
        }
        Map<String, byte[]> dep = new LinkedHashMap<>();
        dep.put("dep/Dep.class", classes.get("dep/Dep.class"));
        dep.put("dep/res.txt", "dep resource".getBytes(UTF_8));
        depJar = TestArchives.jar(dep);
    }

    /** The directory this module's classes were compiled to: what the packer copies to an archive's root. */
    private static Path loaderClasses() {
        Path location = Jvms.loaderClasses();
        assertThat(location.resolve("dev/hermetic/loader/Launcher.class")).isRegularFile();
        assertThat(location.resolve("META-INF/services/java.net.spi.URLStreamHandlerProvider")).isRegularFile();
        return location;
    }

    /**
     * An archive as the packer writes it for that {@code -Dhermetic.launcher}: for {@code app}, as with
     * {@code --launcher-at-root}, every loader class at the root too.
     */
    private Path pack(Path file, String mainClass, String launcher) throws IOException {
        Files.createDirectories(file.getParent());
        TestArchives.Builder archive = TestArchives.archive(mainClass);
        if (launcher.equals("app")) {
            archive.launcherAtRoot(loaderClasses());
        } else {
            archive.launcher(loaderClasses());
        }
        return archive
                .app("app/Main.class", classes.get("app/Main.class"))
                .app("app/Broken.class", classes.get("app/Broken.class"))
                .app("app/Hidden.class", classes.get("app/Hidden.class"))
                .app("app/Sub.class", classes.get("app/Sub.class"))
                .app("app/Base.class", classes.get("app/Base.class"))
                .lib("dep.jar", depJar)
                .write(file).path();
    }

    private Path pack(String mainClass, String launcher) throws IOException {
        return pack(dir.resolve("app.jar"), mainClass, launcher);
    }

    private Path pack(String mainClass) throws IOException {
        return pack(mainClass, "own");
    }

    /** What a child JVM did. */
    record Run(int exit, String out, String err) {
    }

    private Run java(String... args) throws IOException, InterruptedException {
        return java(Jvms.current(), args);
    }

    private Run java(Path jdk, String... args) throws IOException, InterruptedException {
        return javaIn(null, jdk, args);
    }

    /** A child JVM working in that directory, or in this JVM's when null. */
    private Run javaIn(Path directory, Path jdk, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(jdk.resolve("bin/java").toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        // options the JVM would announce on stderr
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out, UTF_8).replace("\r\n", "\n"),
                Files.readString(err, UTF_8).replace("\r\n", "\n"));
    }

    private Run javaCp(String mainClass, String... args) throws IOException, InterruptedException {
        return javaCp(Jvms.current(), mainClass, args);
    }

    private Run javaCp(Path jdk, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("-cp", classesDir.toString(), mainClass));
        command.addAll(List.of(args));
        return java(jdk, command.toArray(new String[0]));
    }

    private Run javaJar(Path archive, String... args) throws IOException, InterruptedException {
        return javaJar(Jvms.current(), archive, args);
    }

    private Run javaJar(Path jdk, Path archive, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("-jar", archive.toString()));
        command.addAll(List.of(args));
        return java(jdk, command.toArray(new String[0]));
    }

    /**
     * The JDKs the tests of {@code main}'s call run on: the running one, and JDK 25 when installed, where
     * the launcher calls {@code main} through a method handle instead of reflection.
     */
    static Stream<String> jdks() {
        return Stream.of("running", "25");
    }

    /** {@link #jdks} with the launcher's classes from its own loader and from the application class loader. */
    static Stream<Arguments> jdksAndLaunchers() {
        return jdks().flatMap(jdk -> Stream.of("own", "app").map(l -> Arguments.of(jdk, l)));
    }

    private static Path jdk(String which) {
        if (which.equals("25")) {
            assumeTrue(Jvms.jdk25().isPresent(), "JDK 25 is not installed at " + Jvms.JDK_25);
            return Jvms.JDK_25;
        }
        return Jvms.current();
    }

    @ParameterizedTest(name = "JDK {0}")
    @MethodSource("jdks")
    void mainWhenRunWithArgumentsThenTheApplicationGetsThemAndItsStreamsPassThrough(String which) throws Exception {
        Path jdk = jdk(which);
        Path archive = pack("app.Main");

        Run run = javaJar(jdk, archive, "first", "two words", "", "--flag=x");

        assertThat(run.err()).isEqualTo("to stderr\n");
        assertThat(run.out()).isEqualTo("4 args\n[first]\n[two words]\n[]\n[--flag=x]\n");
        assertThat(run.exit()).isZero();
        assertThat(run).isEqualTo(javaCp(jdk, "app.Main", "first", "two words", "", "--flag=x"));
    }

    @Test
    void mainWhenRecordingAPreloadListThenItNamesTheClassesDefinedInOrderAndRunsAsUsual() throws Exception {
        Path archive = pack("app.Main");
        Path list = dir.resolve("preload.list");

        Run run = java("-Dhermetic.preload.record=" + list, "-jar", archive.toString(), "context");

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).endsWith("hello from dep\n");
        assertThat(Files.readAllLines(list, UTF_8)).containsExactly("app.Main", "dep.Dep");
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void mainWhenLaunchedThenNoLambdaOrStringConcatenationIsBootstrappedBeforeTheApplication() throws Exception {
        Path archive = pack("app.Main");

        Run run = java("-Xlog:class+load", "-jar", archive.toString());

        // each bootstrap spins classes and costs a launch milliseconds: the loader's code before main has
        // none (a lambda's class is Outer$$Lambda$N, a string concatenation's or a method handle's
        // LambdaForm$MH/...)
        String beforeMain = run.out().substring(0, run.out().indexOf(" app.Main source:"));
        assertThat(beforeMain).contains("dev.hermetic.loader.ArchiveClassLoader source:")
                .doesNotContain("java.lang.invoke.LambdaMetafactory ", "$$Lambda", "LambdaForm$MH/", "LambdaForm$DMH/");
    }

    @Test
    void makeMainCallFormsWhenCalledThenReachesNoMainThroughLaunchersCall() {
        // what the second thread does first, and swallows any failure of: from JDK 18 on a method handle
        // from Launcher's lookup, up to JDK 17 reflection, neither of which reaches a private method
        assertThatCode(Launch::makeMainCallForms).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "JDK {0}")
    @MethodSource("jdks")
    void mainWhenCalledThenNoJavaLangInvokeClassIsLoadedBeforeItThatJavaCpDoesNotLoad(String which) throws Exception {
        Path jdk = jdk(which);
        Path archive = pack("app.Main");

        Run ours = java(jdk, "-Xlog:class+load", "-jar", archive.toString());
        Run cp = java(jdk, "-Xlog:class+load", "-cp", classesDir.toString(), "app.Main");

        // neither the front's call of the launch nor the launch's call of main is reflection's or a method
        // handle's, which from JDK 18 on initialise java.lang.invoke: MainCall, loaded last, calls main
        assertThat(ours.exit()).as(ours.err()).isZero();
        List<String> beforeMain = loadedBefore(ours.out(), MainCallClass.NAME);
        assertThat(beforeMain).contains("dev.hermetic.loader.ArchiveClassLoader", "app.Main")
                .noneMatch(name -> name.contains("LambdaForm$") || name.contains("$$Lambda"));
        assertThat(cp.exit()).isZero();
        assertThat(invokeClasses(beforeMain)).isSubsetOf(invokeClasses(loadedBefore(cp.out(), "app.Main")));
    }

    /** @return the classes {@code -Xlog:class+load} logged before that one, that one included */
    private static List<String> loadedBefore(String log, String last) {
        List<String> names = new ArrayList<>();
        Matcher line = Pattern.compile("\\[class,load\\] (\\S+) source:").matcher(log);
        while (line.find()) {
            names.add(line.group(1));
            if (line.group(1).equals(last)) {
                return names;
            }
        }
        throw new AssertionError(last + " was never loaded:\n" + log);
    }

    private static Set<String> invokeClasses(List<String> names) {
        Set<String> invoke = new TreeSet<>();
        for (String name : names) {
            if (name.startsWith("java.lang.invoke.")) {
                invoke.add(name);
            }
        }
        return invoke;
    }

    @ParameterizedTest(name = "JDK {0}, hermetic.launcher={1}")
    @MethodSource("jdksAndLaunchers")
    void mainWhenTheMainClassIsNotPublicOrItsSuperclassDeclaresMainThenTheSameOutputAsJavaCp(String which,
            String launcher) throws Exception {
        Path jdk = jdk(which);

        for (String mainClass : List.of("app.Hidden", "app.Sub")) {
            Path archive = pack(dir.resolve(mainClass + ".jar"), mainClass, launcher);
            Run jar = java(jdk, "-Dhermetic.launcher=" + launcher, "-jar", archive.toString(), "a", "b");
            Run cp = javaCp(jdk, mainClass, "a", "b");

            // a class that is not public is called as reflection calls it; Sub, whose main Base declares,
            // is initialised before main runs, as the JVM's launcher does
            assertThat(cp.out()).isIn("hidden main, 2 args\n", "Sub initialised\nmain of Base\n");
            assertThat(jar).as(mainClass).isEqualTo(cp);
        }
        // what the inherited main throws keeps its frame in Base, as with java -cp
        Run thrown = java(jdk, "-Dhermetic.launcher=" + launcher, "-jar", dir.resolve("app.Sub.jar").toString(), "throw");
        Run cp = javaCp(jdk, "app.Sub", "throw");
        assertThat(cp.err()).contains("java.lang.IllegalStateException: from Base\n\tat app.Base.main(Base.java:");
        assertThat(thrown).isEqualTo(cp);
    }

    @Test
    void mainWhenTheArchiveHoldsTheLauncherClassesThenTheLaunchRunsInALauncherClassLoader() throws Exception {
        Path archive = pack("app.Main");

        Run run = javaJar(archive, "launcher");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo(LauncherClassLoader.class.getName());
    }

    @Test
    void mainWhenAHermeticUrlIsParsedFromItsTextThenTheLauncherLoadersHandlerReadsIt() throws Exception {
        Path archive = pack("app.Main");

        Run run = javaJar(archive, "url");

        // the provider the JDK finds at the root hands the scheme to its copy in the launcher's loader
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly("dep resource", LauncherClassLoader.class.getName());
    }

    @Test
    void mainWhenHermeticLauncherIsAppThenTheLaunchRunsInTheApplicationClassLoader() throws Exception {
        Path archive = pack("app.Main", "app");

        Run run = java("-Dhermetic.launcher=app", "-jar", archive.toString(), "launcher");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo(ClassLoader.getSystemClassLoader().getClass().getName());
    }

    @Test
    void mainWhenHermeticLauncherIsAppAndTheRootHoldsOnlyTheFrontThenFailsNamingTheArchiveAndThePackerOption()
            throws Exception {
        Path archive = pack("app.Main");

        Run run = java("-Dhermetic.launcher=app", "-jar", archive.toString(), "launcher");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).isEqualTo("Error: -Dhermetic.launcher=app: " + archive
                + " holds the launcher's classes in " + LauncherClassLoader.ENTRY
                + " alone; pack it with --launcher-at-root to launch in the application class loader");
    }

    @ParameterizedTest(name = "packed for hermetic.launcher={0}")
    @ValueSource(strings = {"own", "app"})
    void mainWhenAZipToolMovedAndDeflatedTheTableThenTheLaunchRunsInALauncherClassLoaderReadingItWhole(String launcher)
            throws Exception {
        Path rewritten = dir.resolve("rewritten.jar");
        // as a zip tool rewrites an archive: here the table moved last and deflated, the other entries
        // stored or deflated as they were, the archive's comment (its seal) gone
        try (ZipFile in = new ZipFile(pack("app.Main", launcher).toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(rewritten))) {
            List<ZipEntry> entries = new ArrayList<>(Collections.list(in.entries()));
            entries.sort(Comparator.comparing((ZipEntry e) -> e.getName().equals(LauncherClassLoader.ENTRY)));
            for (ZipEntry entry : entries) {
                ZipEntry copy = entry.getName().equals(LauncherClassLoader.ENTRY) ? new ZipEntry(entry.getName())
                        : new ZipEntry(entry);
                copy.setCompressedSize(-1);
                out.putNextEntry(copy);
                try (InputStream bytes = in.getInputStream(entry)) {
                    bytes.transferTo(out);
                }
            }
        }

        Run run = java("-Dhermetic.verbose=true", "-jar", rewritten.toString(), "launcher");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo(LauncherClassLoader.class.getName());
        assertThat(run.err()).startsWith("[hermetic] " + LauncherClassLoader.ENTRY + " is not in its place in "
                + rewritten + " (did a zip tool rewrite it?): read whole\n");
    }

    @Test
    void mainWhenTheArchiveHasNeitherTheTableNorTheLauncherClassesAtItsRootThenFailsNamingTheArchive() throws Exception {
        TestArchives.Builder builder = TestArchives.archive("app.Main").launcherManifest();
        for (String front : ArchiveLayout.LAUNCHER_FRONT) {
            builder.root(front, Files.readAllBytes(loaderClasses().resolve(front)));
        }
        Path archive = builder.app("app/Main.class", classes.get("app/Main.class")).write(dir.resolve("bare.jar")).path();

        Run run = javaJar(archive, "launcher");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).isEqualTo("Error: " + archive + ": neither " + LauncherClassLoader.ENTRY
                + " nor the launcher's classes at its root: pack it again");
    }

    @ParameterizedTest(name = "hermetic.launcher={0}")
    @ValueSource(strings = {"own", "app"})
    void mainWhenTheAotCacheWasTrainedOnARelativePathThenTheLaunchFindsTheArchiveByTheClassPath(String launcher)
            throws Exception {
        Path jdk = jdk("25");
        Path archive = pack(dir.resolve("trained/app.jar"), "app.Main", launcher);
        Path cache = dir.resolve("app.aot");
        Run training = javaIn(archive.getParent(), jdk, "-XX:AOTCacheOutput=" + cache, "-Dhermetic.launcher=" + launcher,
                "-jar", "app.jar", "x");
        assertThat(training.exit()).as(training.err()).isZero();

        Run run = java(jdk, "-XX:AOTCache=" + cache, "-Dhermetic.launcher=" + launcher, "-jar", archive.toString(),
                "location");
        // another archive of the trained name where the launch runs, whose application prints its own loader
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        pack(elsewhere.resolve("app.jar"), "app.Hidden", launcher);
        Run beside = javaIn(elsewhere, jdk, "-XX:AOTCache=" + cache, "-Dhermetic.launcher=" + launcher, "-jar",
                archive.toString(), "location");

        // the JDK 25 AOT cache serves the launcher's classes with a code source of no location when it was
        // trained with the class path spelt otherwise, or with the location of the file of the trained name
        // in the working directory: the launch takes the class path's one entry instead
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo(archive.toUri().toURL().toString());
        assertThat(beside).isEqualTo(run);
    }

    @Test
    void hermeticUrlWhenNoLaunchRanAndTheRootHoldsOnlyTheFrontThenUnknownProtocol() throws Exception {
        Path archive = pack("app.Main");

        // the JDK finds the root's provider, which has no handler without a launch: as with no provider
        Run run = java("-cp", archive + java.io.File.pathSeparator + classesDir, "probe.UrlProbe");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("unknown protocol: hermetic");
    }

    @Test
    void mainWhenHermeticLauncherIsNeitherOwnNorAppThenFailsNamingTheValuesAllowed() throws Exception {
        Path archive = pack("app.Main");

        Run run = java("-Dhermetic.launcher=fast", "-jar", archive.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).isEqualTo("Error: -Dhermetic.launcher=fast: expected own or app");
    }

    @Test
    void mainWhenTheArchiveHasNoTableOfLauncherClassesThenTheLaunchRunsInTheApplicationClassLoader() throws Exception {
        Path archive = TestArchives.archive("app.Main").launcherManifest().rootTree(loaderClasses())
                .app("app/Main.class", classes.get("app/Main.class"))
                .write(dir.resolve("old.jar")).path();

        Run run = java("-Dhermetic.verbose=true", "-jar", archive.toString(), "launcher");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo(ClassLoader.getSystemClassLoader().getClass().getName());
        assertThat(run.err()).startsWith("[hermetic] no " + LauncherClassLoader.ENTRY + " in " + archive
                + ": the launcher's classes come from the application class loader\n");
    }

    @ParameterizedTest(name = "hermetic.launcher={0}")
    @ValueSource(strings = {"own", "app"})
    void mainWhenLaunchedFromAnExplodedArchiveThenTheLaunchRunsInTheLoaderAsFromTheArchive(String launcher)
            throws Exception {
        Path exploded = TestArchives.explode(pack("app.Main", launcher), dir.resolve("exploded"));

        Run run = java("-Dhermetic.launcher=" + launcher, "-cp", exploded.toString(), Launcher.class.getName(), "launcher");

        // the launcher's own loader from the directory's file of the table, as from the archive's entry
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo(launcher.equals("own") ? LauncherClassLoader.class.getName()
                : ClassLoader.getSystemClassLoader().getClass().getName());
    }

    @Test
    void mainWhenTheTableOfLauncherClassesIsCorruptThenFailsNamingTheArchiveAndTheEntry() throws Exception {
        // the launcher's root, its table then replaced in its place
        Path archive = TestArchives.archive("app.Main").launcher(loaderClasses())
                .root(LauncherClassLoader.ENTRY, "not a table".getBytes(UTF_8))
                .app("app/Main.class", classes.get("app/Main.class"))
                .write(dir.resolve("corrupt.jar")).path();

        Run run = javaJar(archive);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).isEqualTo("Error: " + archive + ": " + LauncherClassLoader.ENTRY
                + ": not a table of launcher classes of version 1");
    }

    @ParameterizedTest(name = "hermetic.preload={0}")
    @MethodSource("preloadSettings")
    void mainWhenLaunchedThenTheLoaderClassesBeforeMainAreTheLaunchClassesInOrderUnlessPreloading(String preload) throws Exception {
        TestArchives.Builder builder = TestArchives.archive("app.Main").launcher(loaderClasses());
        int module = builder.moduleWithoutSource("app/Main.java");
        Path archive = builder.app("app/Main.class", classes.get("app/Main.class"), module)
                .write(dir.resolve("app.jar")).path();

        Run run = java("-Dhermetic.preload=" + preload, "-Xlog:class+load", "-jar", archive.toString());

        // what Launcher's second thread loads ahead must be what a launch loads, or it works for nothing
        // and the launch still loads the rest itself; in order when the launch loads them alone
        String beforeMain = run.out().substring(0, run.out().indexOf(" " + MainCallClass.NAME + " source:"));
        // what starts every launch: the front and its loader (their copies in that loader too), the launch
        // and its second thread
        Set<String> launching = Set.of(Launcher.class.getName(), LauncherClassLoader.class.getName(),
                Launch.class.getName(), Launch.class.getName() + "$Ahead");
        List<String> loaded = new ArrayList<>();
        for (String line : beforeMain.split("\n")) {
            // [0.052s][info][class,load] NAME source: LOCATION
            String name = line.substring(line.indexOf("] ") + 2).replaceFirst(" source: .*", "");
            if (name.startsWith("dev.hermetic.loader.") && !launching.contains(name)) {
                loaded.add(name);
            }
        }
        // its constants are compiled into LauncherClassLoader: a launch never loads the table's writer
        assertThat(beforeMain).doesNotContain(LauncherClassTable.class.getName());
        if (preload.equals("false")) {
            assertThat(loaded).containsExactly(Launch.LAUNCH_CLASSES);
        } else {
            assertThat(loaded).containsExactlyInAnyOrder(Launch.LAUNCH_CLASSES);
        }
    }

    static Stream<String> preloadSettings() {
        return Stream.of("false", "true");
    }

    /**
     * The second thread initialises the launch classes from the last while the launch initialises them
     * from the first: a static initialiser that named another of them could make each thread wait for the
     * other's. The initialisers' code, as {@code javap} prints it, names none.
     */
    @Test
    void launchClassesWhenTheirStaticInitialisersAreReadThenNoneNamesAnotherLaunchClass() {
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        Set<String> launch = Set.of(Launch.LAUNCH_CLASSES);
        Pattern named = Pattern.compile("dev/hermetic/loader/[A-Za-z0-9_/$]+");
        List<String> withInitialisers = new ArrayList<>();
        for (String name : Launch.LAUNCH_CLASSES) {
            StringWriter out = new StringWriter();
            int status = javap.run(new PrintWriter(out), new PrintWriter(out), "-c", "-p",
                    loaderClasses().resolve(name.replace('.', '/') + ".class").toString());
            assertThat(status).as("%s", out).isZero();
            String text = out.toString();
            int start = text.indexOf("  static {};");
            if (start >= 0) {
                withInitialisers.add(name);
            }
            String initialiser = "";
            if (start >= 0) {
                int end = text.indexOf("\n\n", start);
                initialiser = text.substring(start, end < 0 ? text.length() : end);
            }
            Matcher m = named.matcher(initialiser);
            List<String> others = new ArrayList<>();
            while (m.find()) {
                String other = m.group().replace('/', '.');
                if (!other.equals(name) && launch.contains(other)) {
                    others.add(other);
                }
            }
            assertThat(others).as("launch classes named by the static initialiser of %s", name).isEmpty();
        }
        // the parsing found them: registerAsParallelCapable, an enum's constants
        assertThat(withInitialisers).contains(ArchiveClassLoader.class.getName(), LoaderSettings.Check.class.getName());
    }

    /** A loader of this module's classes alone, recording the names it is asked for. */
    private static final class Recording extends URLClassLoader {
        final List<String> asked = new ArrayList<>();

        Recording() throws MalformedURLException {
            super(new URL[] {loaderClasses().toUri().toURL()}, getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (asked) {
                asked.add(name);
            }
            return super.loadClass(name, resolve);
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }
    }

    @Test
    void loadLaunchClassesWhenCalledThenEveryLaunchClassIsLoadedStartingFromTheLast() throws Exception {
        try (Recording loader = new Recording()) {
            // linking Launch (its verification loads ArchiveClassLoader) happens here, before the call
            Method load = loader.loadClass(Launch.class.getName()).getDeclaredMethod("loadLaunchClasses");
            load.setAccessible(true);
            int before = loader.asked.size();

            load.invoke(null);

            // what the second thread does, in a loader where the launch has loaded none of them yet
            assertThat(Launch.LAUNCH_CLASSES).allMatch(loader::loaded);
            assertThat(loader.asked.subList(before, loader.asked.size()).stream()
                    .filter(n -> n.startsWith("dev.hermetic.loader.")).findFirst())
                    .contains(Launch.LAUNCH_CLASSES[Launch.LAUNCH_CLASSES.length - 1]);
        }
    }

    @Test
    void mainWhenTrainingACdsArchiveThenAClassLoadedButNeverLinkedIsArchivedToo() throws Exception {
        Path archive = pack("app.Main");
        Path untrained = dir.resolve("untrained.jsa");
        Path trained = dir.resolve("trained.jsa");

        Run dump = java("-XX:ArchiveClassesAtExit=" + untrained, "-jar", archive.toString(), "unused");
        assumeTrue(Files.isRegularFile(untrained), "this JDK makes no dynamic CDS archive: " + dump);
        Run trainedDump = java("-XX:ArchiveClassesAtExit=" + trained, "-Dhermetic.train=true", "-jar",
                archive.toString(), "unused");
        Run withUntrained = java("-XX:SharedArchiveFile=" + untrained, "-Xlog:class+load", "-jar", archive.toString(),
                "unused");
        Run withTrained = java("-XX:SharedArchiveFile=" + trained, "-Xlog:class+load", "-jar", archive.toString(),
                "unused");

        assertThat(trainedDump.out()).startsWith("app.Broken\n").doesNotContain("Skipping app/Broken");
        assertThat(trainedDump.exit()).isZero();
        assertThat(withTrained.out()).contains("app.Main source: shared objects file (top)")
                .contains("app.Broken source: shared objects file (top)").contains("\napp.Broken\n");
        if (Runtime.version().feature() < 18) {
            // JDK 17 leaves the unlinked class out and says why (its warnings go to stdout); later JDKs
            // archive it themselves (JDK-8265604)
            assertThat(dump.out()).startsWith("app.Broken\n").contains("Skipping app/Broken: Not linked");
            assertThat(withUntrained.out()).contains("app.Main source: shared objects file (top)")
                    .contains("app.Broken source: file:").contains("\napp.Broken\n");
        } else {
            assertThat(withUntrained.out()).contains("app.Broken source: shared objects file (top)");
        }
    }

    @Test
    void mainWhenStartedWithJavaCpAndTheLauncherClassThenTheSameAsJavaJar() throws Exception {
        Path archive = pack("app.Main");

        Run run = java("-cp", archive.toString(), Launcher.class.getName(), "a", "b c");

        assertThat(run).isEqualTo(new Run(0, "2 args\n[a]\n[b c]\n", "to stderr\n"));
    }

    @Test
    void mainWhenTheApplicationCallsSystemExitThenItsExitCodePassesThrough() throws Exception {
        Path archive = pack("app.Main");

        Run run = javaJar(archive, "exit");

        assertThat(run).isEqualTo(new Run(3, "exiting\n", ""));
    }

    @ParameterizedTest(name = "JDK {0}, hermetic.launcher={1}")
    @MethodSource("jdksAndLaunchers")
    void mainWhenTheApplicationThrowsThenTheSameTraceAndExitCodeAsJavaCp(String which, String launcher) throws Exception {
        Path jdk = jdk(which);
        Path archive = pack("app.Main", launcher);

        Run jar = java(jdk, "-Dhermetic.launcher=" + launcher, "-jar", archive.toString(), "throw");
        Run cp = javaCp(jdk, "app.Main", "throw");

        assertThat(cp.err()).startsWith("Exception in thread \"main\" java.lang.IllegalStateException: boom\n"
                + "\tat app.Main.fail(Main.java:");
        assertThat(cp.err()).contains("Caused by: java.lang.UnsupportedOperationException: inner\n", "Suppressed: ");
        assertThat(jar.err()).isEqualTo(cp.err());
        assertThat(jar.err()).doesNotContain("dev.hermetic.loader", "Launcher", "MethodHandle");
        assertThat(jar.out()).isEmpty();
        assertThat(jar.exit()).isEqualTo(1).isEqualTo(cp.exit());
    }

    @ParameterizedTest(name = "JDK {0}, hermetic.launcher={1}")
    @MethodSource("jdksAndLaunchers")
    void mainWhenTheMainClassFailsToInitialiseThenTheSameTraceAsJavaCp(String which, String launcher) throws Exception {
        Path jdk = jdk(which);
        Path archive = pack("app.Broken", launcher);

        Run jar = java(jdk, "-Dhermetic.launcher=" + launcher, "-jar", archive.toString());
        Run cp = javaCp(jdk, "app.Broken");

        assertThat(cp.err()).startsWith("Exception in thread \"main\" java.lang.ExceptionInInitializerError\n");
        assertThat(cp.err()).contains("Caused by: java.lang.NumberFormatException: For input string: \"not a number\"\n",
                "\tat app.Broken.<clinit>(Broken.java:4)\n");
        assertThat(jar.err()).isEqualTo(cp.err());
        assertThat(jar.err()).doesNotContain("dev.hermetic.loader");
        assertThat(jar.exit()).isEqualTo(1).isEqualTo(cp.exit());
    }

    @Test
    void mainWhenTheMainClassIsMissingThenTheJavaErrorAndExitCode1() throws Exception {
        Path archive = pack("app.Missing");

        Run jar = javaJar(archive);
        Run cp = javaCp("app.Missing");

        assertThat(jar.err()).isEqualTo("Error: Could not find or load main class app.Missing\n"
                + "Caused by: java.lang.ClassNotFoundException: app.Missing\n");
        assertThat(jar).isEqualTo(new Run(1, "", jar.err()));
        assertThat(jar).isEqualTo(cp);
    }

    @Test
    void mainWhenTheApplicationRunsThenTheContextClassLoaderIsTheArchiveClassLoader() throws Exception {
        // in a directory whose name needs encoding in URLs
        Path archive = pack(dir.resolve("with space/app.jar"), "app.Main", "own");

        Run run = javaJar(archive, "context");

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo(ArchiveClassLoader.class.getName() + "\n"
                + "true\n"
                + archive.toUri().toURL() + "\n"
                + "dep resource\n"
                + "hello from dep\n");
        assertThat(run.out()).contains("/with%20space/app.jar\n");
        assertThat(run.exit()).isZero();
    }

    @ParameterizedTest(name = "hermetic.launcher={0}")
    @ValueSource(strings = {"own", "app"})
    void mainWhenTheArchivePathNeedsEncodingThenTheCodeSourceIsTheUrlJavaCpGivesAJarThere(String launcher)
            throws Exception {
        // a space, and a non-ASCII letter where this JVM's file names can hold one (not under LANG=C)
        boolean unicode = Charset.forName(System.getProperty("sun.jnu.encoding")).newEncoder().canEncode('\u00e9');
        Path folder = dir.resolve(unicode ? "with space \u00e9" : "with space");
        Path archive = pack(folder.resolve("app.jar"), "app.Main", launcher);
        Path plain = Files.write(folder.resolve("plain.jar"),
                TestArchives.jar(Map.of("app/Main.class", classes.get("app/Main.class"))));

        Run ours = java("-Dhermetic.launcher=" + launcher, "-jar", archive.toString(), "location");
        Run cp = java("-cp", plain.toString(), "app.Main", "location");

        assertThat(cp.out()).endsWith("/plain.jar\n").contains(unicode ? "with%20space%20%" : "with%20space/");
        assertThat(ours).isEqualTo(new Run(0, cp.out().replace("/plain.jar\n", "/app.jar\n"), ""));
    }
}
