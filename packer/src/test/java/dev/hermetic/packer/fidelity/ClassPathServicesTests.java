package dev.hermetic.packer.fidelity;

import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;
import dev.hermetic.packer.TestFixtures;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK's class path lookups, each in focus, from a probe application packed with real libraries
 * from Maven Central (H2, Rhino with its {@code javax.script} engine, Saxon-HE with xmlresolver) and a
 * small library jar built here ({@code plib.jar}); {@code java -jar} of the archive against
 * {@code java -cp} of the same jars, on the running JDK and on JDK 25 when installed:
 * <ul>
 *   <li>{@code java.util.logging}: a {@code logging.properties} resource read with
 *       {@code LogManager.readConfiguration(stream)} whose {@code config} class (loaded by the JDK through
 *       the context class loader) installs a {@code Handler} from the nested {@code plib.jar};
 *   <li>JAXP: {@code TransformerFactory.newInstance()} finds Saxon's factory through
 *       {@code META-INF/services/javax.xml.transform.TransformerFactory} in a nested jar;
 *   <li>{@code javax.script}: {@code ScriptEngineManager} finds Rhino's engine in a nested jar;
 *   <li>{@code ResourceBundle.getBundle} of a bundle in a nested jar, with a locale fallback;
 *   <li>{@code Class.forName(name)} called by library code ({@code plib}) for a class of another jar;
 *   <li>JDBC: {@code DriverManager} finds H2's driver through {@code META-INF/services/java.sql.Driver}.
 * </ul>
 * And one difference, asserted so that it stays known: {@code LogManager} loads the classes named by
 * {@code handlers} and {@code config} in a logging configuration with the system class loader only, which
 * cannot see the archive's nested jars.
 */
class ClassPathServicesTests {
    private static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    private static final String PROBE = """
            package app;

            import java.io.InputStream;
            import java.io.StringReader;
            import java.io.StringWriter;
            import java.sql.Connection;
            import java.sql.DriverManager;
            import java.sql.ResultSet;
            import java.util.Collections;
            import java.util.Locale;
            import java.util.ResourceBundle;
            import java.util.logging.LogManager;
            import java.util.logging.Logger;
            import javax.script.ScriptEngine;
            import javax.script.ScriptEngineManager;
            import javax.xml.transform.TransformerFactory;
            import javax.xml.transform.stream.StreamResult;
            import javax.xml.transform.stream.StreamSource;

            public class Probe {
                public static void main(String[] args) throws Exception {
                    String config = args.length == 0 ? "/logging.properties" : args[0];
                    if (!config.equals("none")) {
                        try (InputStream in = Probe.class.getResourceAsStream(config)) {
                            LogManager.getLogManager().readConfiguration(in);
                        }
                    }
                    Logger probe = Logger.getLogger("probe");
                    probe.info("logged");
                    probe.fine("fine shown");
                    probe.finest("finest hidden");
                    if (args.length > 0) {
                        return;
                    }

                    TransformerFactory transformers = TransformerFactory.newInstance();
                    System.out.println("JAXP: " + transformers.getClass().getName());
                    StringWriter out = new StringWriter();
                    transformers.newTransformer(new StreamSource(new StringReader(
                            "<xsl:stylesheet version='3.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>"
                            + "<xsl:output method='text'/><xsl:template match='/'>"
                            + "<xsl:value-of select=\\"string-join(reverse(tokenize(/a, ' ')), '-')\\"/>"
                            + "</xsl:template></xsl:stylesheet>")))
                            .transform(new StreamSource(new StringReader("<a>eins zwei drei</a>")), new StreamResult(out));
                    System.out.println("JAXP: " + out);

                    ScriptEngine engine = new ScriptEngineManager().getEngineByName("rhino");
                    System.out.println("javax.script: " + engine.getFactory().getEngineName() + " "
                            + engine.getFactory().getLanguageVersion() + " " + engine.eval("[6, 7].map(function (x) { return x * 7; }).join()"));

                    System.out.println("ResourceBundle: " + ResourceBundle.getBundle("plib.Messages", Locale.GERMANY).getString("greeting")
                            + " / " + ResourceBundle.getBundle("plib.Messages", Locale.ROOT).getString("greeting")
                            + " / " + ResourceBundle.getBundle("plib.Messages", Locale.GERMANY).getString("only.root"));

                    System.out.println("Class.forName from library code: " + plib.Reflect.describe("org.h2.Driver"));

                    for (java.sql.Driver driver : Collections.list(DriverManager.getDrivers())) {
                        System.out.println("JDBC driver: " + driver.getClass().getName());
                    }
                    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:probe");
                         ResultSet rs = connection.createStatement().executeQuery("SELECT 6 * 7, H2VERSION()")) {
                        rs.next();
                        System.out.println("JDBC: " + rs.getInt(1) + " " + rs.getString(2));
                    }
                }
            }
            """;

    @TempDir
    static Path tmp;

    static List<Path> classPath;
    static Path archive;

    @BeforeAll
    static void packProbe() throws IOException {
        Path programs = Path.of(System.getProperty("hermetic.fidelity.programs", "target/programs"));
        Path libSrc = tmp.resolve("plib-src");
        writeSource(libSrc, "plib.RecordingHandler", """
                package plib;

                import java.util.logging.Handler;
                import java.util.logging.LogRecord;

                public class RecordingHandler extends Handler {
                    @Override
                    public void publish(LogRecord record) {
                        if (isLoggable(record)) {
                            System.out.println("JUL: " + record.getLevel() + " " + record.getLoggerName() + ": "
                                    + record.getMessage() + " (" + getClass().getName() + ")");
                        }
                    }

                    @Override
                    public void flush() {
                    }

                    @Override
                    public void close() {
                    }
                }
                """);
        writeSource(libSrc, "plib.LoggingSetup", """
                package plib;

                import java.util.logging.Logger;

                public class LoggingSetup {
                    public LoggingSetup() {
                        Logger.getLogger("").addHandler(new RecordingHandler());
                    }
                }
                """);
        writeSource(libSrc, "plib.Reflect", """
                package plib;

                public class Reflect {
                    public static String describe(String name) throws ClassNotFoundException {
                        Class<?> type = Class.forName(name);
                        return type.getName() + " from " + type.getProtectionDomain().getCodeSource().getLocation()
                                .toString().replaceAll(".*/", "") + ", same loader as plib "
                                + (type.getClassLoader() == Reflect.class.getClassLoader());
                    }
                }
                """);
        Path libClasses = javac(libSrc, tmp.resolve("plib-classes"), List.of());
        Path plib = TestFixtures.jar().tree(libClasses, false)
                .deflated("plib/Messages.properties", "greeting=hello\nonly.root=from the root bundle\n")
                .deflated("plib/Messages_de.properties", "greeting=hallo\n")
                .write(tmp.resolve("plib.jar"));

        Path appSrc = tmp.resolve("app-src");
        writeSource(appSrc, "app.Probe", PROBE);
        Path appClasses = javac(appSrc, tmp.resolve("app-classes"), List.of(), libClasses);
        Files.writeString(appClasses.resolve("logging.properties"), """
                handlers=java.util.logging.ConsoleHandler
                java.util.logging.ConsoleHandler.level=FINE
                java.util.logging.SimpleFormatter.format=JUL %4$s %3$s: %5$s%n
                .level=INFO
                probe.level=FINE
                """);
        Files.writeString(appClasses.resolve("handlers.properties"), """
                handlers=plib.RecordingHandler
                config=plib.LoggingSetup
                .level=INFO
                """);

        classPath = List.of(appClasses, plib, programs.resolve("h2/h2-2.3.232.jar"),
                programs.resolve("rhino/rhino-1.7.15.jar"), programs.resolve("scripting/rhino-engine-1.7.15.jar"),
                programs.resolve("saxon/Saxon-HE-12.5.jar"), programs.resolve("saxon/xmlresolver-5.2.2.jar"),
                programs.resolve("saxon/xmlresolver-5.2.2-data.jar"));
        for (Path jar : classPath) {
            assertThat(jar).as("program jar; run the build's generate-test-resources phase").exists();
        }
        PackOptions.Builder options = PackOptions.builder().out(tmp.resolve("probe.jar")).addApp(appClasses)
                .mainClass("app.Probe");
        for (Path jar : classPath.subList(1, classPath.size())) {
            options.addLib(jar);
        }
        archive = Packer.pack(options.build()).archive();
    }

    @Test
    void javaJarWhenLibrariesAreFoundThroughClassPathLookupsThenOutputMatchesJavaCp() throws Exception {
        for (Path jdk : jdks()) {
            TestFixtures.Result expected = java(jdk, "-cp", classPath(), "app.Probe");
            assertThat(expected.stderr()).as("java -cp on %s", jdk).isEqualTo("JUL INFO probe: logged\nJUL FINE probe: fine shown\n");
            assertThat(expected.stdout()).as("java -cp on %s (stderr: %s)", jdk, expected.stderr()).contains(
                    "JAXP: net.sf.saxon.TransformerFactoryImpl",
                    "JAXP: drei-zwei-eins",
                    "javax.script: rhino 200 42,49",
                    "ResourceBundle: hallo / hello / from the root bundle",
                    "Class.forName from library code: org.h2.Driver from h2-2.3.232.jar, same loader as plib true",
                    "JDBC driver: org.h2.Driver",
                    "JDBC: 42 2.3.232");
            TestFixtures.Result actual = java(jdk, "-jar", archive.toString());
            assertThat(actual.stdout()).as("stdout of java -jar on %s", jdk)
                    .isEqualTo(expected.stdout());
            assertThat(actual.stderr()).as("stderr of java -jar on %s", jdk).isEqualTo(expected.stderr());
            assertThat(actual.exit()).isEqualTo(expected.exit()).isZero();
        }
    }

    @Test
    void javaJarWhenLoggingConfigClassIsInANestedJarThenTheContextClassLoaderFindsIt() throws Exception {
        for (Path jdk : jdks()) {
            TestFixtures.Result expected = java(jdk, "-Djava.util.logging.config.class=plib.LoggingSetup", "-cp",
                    classPath(), "app.Probe", "none");
            assertThat(expected.stdout()).isEqualTo("JUL: INFO probe: logged (plib.RecordingHandler)\n");

            assertThat(java(jdk, "-Djava.util.logging.config.class=plib.LoggingSetup", "-jar", archive.toString(), "none"))
                    .as("on %s", jdk).isEqualTo(expected);
        }
    }

    @Test
    void javaJarWhenLoggingPropertiesNameNestedHandlerAndConfigClassesThenTheSystemClassLoaderCannotLoadThem()
            throws Exception {
        TestFixtures.Result expected = java(jdks().get(0), "-cp", classPath(), "app.Probe", "/handlers.properties");
        assertThat(expected.stdout()).isEqualTo("JUL: INFO probe: logged (plib.RecordingHandler)\n".repeat(2));
        assertThat(expected.stderr()).isEmpty();

        // LogManager loads the classes named by "handlers" and "config" with the system class loader only
        TestFixtures.Result actual = java(jdks().get(0), "-jar", archive.toString(), "/handlers.properties");
        assertThat(actual.stdout()).isEmpty();
        assertThat(actual.stderr()).contains("Can't load log handler \"plib.RecordingHandler\"\n"
                + "java.lang.ClassNotFoundException: plib.RecordingHandler\n",
                "Can't load config class \"plib.LoggingSetup\"\njava.lang.ClassNotFoundException: plib.LoggingSetup\n");
    }

    private static String classPath() {
        return classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static List<Path> jdks() {
        List<Path> jdks = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        if (Files.isExecutable(JDK_25.resolve("bin/java"))) {
            jdks.add(JDK_25);
        }
        return jdks;
    }

    private static TestFixtures.Result java(Path jdk, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(jdk.resolve("bin/java").toString(), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC"));
        command.addAll(List.of(args));
        return TestFixtures.run(tmp, command);
    }
}
