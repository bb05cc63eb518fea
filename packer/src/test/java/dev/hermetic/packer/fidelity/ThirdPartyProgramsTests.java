package dev.hermetic.packer.fidelity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fidelity requirement, end to end: for real third-party programs from Maven Central,
 * {@code pack --out X.jar --lib A.jar --lib B.jar --main-class C} then {@code java -jar X.jar ARGS} prints
 * exactly what {@code java -cp A.jar:B.jar C ARGS} prints: the same exit code, standard output and
 * standard error, and the same files written.
 *
 * <p>The programs' jars (all of each program's runtime jars, versions pinned) are copied by the build
 * into {@code target/programs/NAME/} (the {@code maven-dependency-plugin} execution in
 * {@code packer/pom.xml}); the build passes that directory as {@code hermetic.fidelity.programs}.
 *
 * <p>Both runs of a case are child JVMs of the same JDK with the same options, in the same working
 * directory, prepared the same way. No output is normalised: every case is chosen to be deterministic
 * (no timings, identity hash codes or temporary paths in its output), so any difference is the loader's.
 * Each case is also run on a JDK 21 or newer when one is installed, with the same archive (whose
 * launcher is compiled for release 17).
 */
class ThirdPartyProgramsTests {
    private static final Path PREFERRED_NEWER_JDK = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    private static final long TIMEOUT_SECONDS = 60;
    /** Same on both sides; they only make these short runs start faster on a small machine. */
    private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** Each program is packed once (per main class) and the archive shared by the JDK 17 and newer runs. */
    private static final Map<String, Path> ARCHIVES = new ConcurrentHashMap<>();

    @TempDir
    static Path archives;

    @TempDir
    Path temp;

    /** The archives lived in this run's static {@code @TempDir}, deleted after it. */
    @AfterAll
    static void forgetArchives() {
        ARCHIVES.clear();
    }

    /**
     * One program run.
     *
     * @param name     the case's name
     * @param feature  the loader feature the run exercises, shown in the test name
     * @param program  the program's directory below {@code target/programs}
     * @param jars     the program's jars in class-path order: {@code --lib} order and {@code -cp} order
     * @param main     the main class
     * @param args     its arguments
     * @param exitCode the exit code the program is expected to give (checked on the {@code -cp} run)
     * @param expect   text the {@code -cp} run's output must contain, so that a case whose program did
     *                 nothing useful (a usage message, say) cannot pass
     * @param setup    prepares the working directory
     */
    record Case(String name, String feature, String program, List<String> jars, String main, List<String> args,
                int exitCode, String expect, Setup setup) {
        @Override
        public String toString() {
            return name + " [" + feature + "]";
        }
    }

    /** Writes a case's input files into its working directory. */
    @FunctionalInterface
    interface Setup {
        Setup NONE = (work, program) -> { };

        void prepare(Path work, Path program) throws IOException;
    }

    static Stream<Case> programs() {
        List<String> antlr = List.of("antlr4-4.13.2.jar", "antlr4-runtime-4.13.2.jar", "antlr-runtime-3.5.3.jar",
                "ST4-4.3.4.jar", "org.abego.treelayout.core-1.0.3.jar", "icu4j-72.1.jar");
        List<String> asm = List.of("asm-util-9.8.jar", "asm-9.8.jar", "asm-tree-9.8.jar", "asm-analysis-9.8.jar");
        return Stream.of(
                new Case("h2-runscript", "JDBC DriverManager, SQL engine, script file from the working directory",
                        "h2", List.of("h2-2.3.232.jar"), "org.h2.tools.RunScript",
                        List.of("-url", "jdbc:h2:mem:fidelity", "-script", "script.sql", "-showResults"), 0,
                        "--> 2 ZWEI", (work, program) -> write(work.resolve("script.sql"), """
                                CREATE TABLE T(ID INT PRIMARY KEY, NAME VARCHAR(20), BORN DATE);
                                INSERT INTO T VALUES (1, 'eins', DATE '2001-02-03'), (2, 'zwei', DATE '1999-12-31');
                                SELECT ID, UPPER(NAME), YEAR(BORN) FROM T ORDER BY ID;
                                SELECT COUNT(*), SUM(ID) * 21 FROM T;
                                SELECT H2VERSION();
                                """)),
                new Case("rhino-script", "classes generated at run time in a child loader; manifests via getResources",
                        "rhino", List.of("rhino-1.7.15.jar"), "org.mozilla.javascript.tools.shell.Main",
                        List.of("-opt", "9", "script.js"), 0, "Rhino 1.7.15",
                        (work, program) -> write(work.resolve("script.js"), """
                                var xs = [3, 1, 2].sort();
                                print(xs.join(','));
                                print(JSON.stringify({answer: 6 * 7, list: xs}));
                                function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
                                print(fib(20));
                                print(org.mozilla.javascript.Context.getCurrentContext().getImplementationVersion());
                                var list = new java.util.ArrayList(); list.add('b'); list.add('a');
                                java.util.Collections.sort(list);
                                print(list);
                                """)),
                new Case("rhino-error", "exit code and stderr; messages from a ResourceBundle",
                        "rhino", List.of("rhino-1.7.15.jar"), "org.mozilla.javascript.tools.shell.Main",
                        List.of("-e", "print('before'); undefinedFunction()"), 3, "before", Setup.NONE),
                new Case("asm-textifier", "four jars on one class path; a class file from the working directory",
                        "asm", asm, "org.objectweb.asm.util.Textifier", List.of("Label.class"), 0,
                        "public class org/objectweb/asm/Label",
                        (work, program) -> Files.write(work.resolve("Label.class"),
                                entry(program.resolve("asm-9.8.jar"), "org/objectweb/asm/Label.class"))),
                new Case("asm-asmifier", "system resources: a JDK class read as a resource",
                        "asm", asm, "org.objectweb.asm.util.ASMifier", List.of("java.lang.Runnable"), 0,
                        "public class RunnableDump implements Opcodes", Setup.NONE),
                new Case("antlr-generate", "StringTemplate group files read through resource URLs; files written",
                        "antlr", antlr, "org.antlr.v4.Tool",
                        List.of("-o", "out", "-package", "demo", "-visitor", "-Xexact-output-dir", "Expr.g4"), 0,
                        "public class ExprParser extends Parser", ThirdPartyProgramsTests::writeGrammar),
                new Case("antlr-interpreter", "six jars; grammar interpreted without generated code",
                        "antlr", antlr, "org.antlr.v4.gui.Interpreter",
                        List.of("Expr.g4", "prog", "-tokens", "-tree", "input.txt"), 0, "(prog:1 (stat:2 a =",
                        ThirdPartyProgramsTests::writeGrammar),
                new Case("groovy-script", "compiler at run time; AST transforms; Package attributes; resource URLs",
                        "groovy", List.of("groovy-4.0.28.jar"), "groovy.ui.GroovyMain", List.of("probe.groovy"), 0,
                        "P(1, z)", (work, program) -> write(work.resolve("probe.groovy"), """
                                println 6 * 7
                                println GroovySystem.version
                                def pkg = groovy.lang.GroovyObject.package
                                println "$pkg.name $pkg.implementationTitle $pkg.implementationVersion $pkg.specificationVersion $pkg.sealed"
                                def url = groovy.lang.GroovyObject.getResource('GroovyObject.class')
                                println new URL(url.toExternalForm()).bytes.length
                                println url.toURI().toURL().bytes.length
                                println new URL(url, 'Closure.class').bytes.length
                                println new URL(url, '/META-INF/groovy-release-info.properties').text.readLines().findAll { it.startsWith('ImplementationVersion') }
                                def connection = url.openConnection()
                                println "$connection.contentLengthLong $connection.contentLength"
                                println groovy.lang.GroovyObject.protectionDomain.codeSource.certificates
                                println Thread.currentThread().contextClassLoader.getResources('META-INF/groovy-release-info.properties').toList().size()
                                @groovy.transform.ToString class P { int x; String y }
                                println new P(x: 1, y: 'z')
                                println 'abc'.md5()
                                """)),
                new Case("h2-multi-release", "multi-release jar (Utils21 only in META-INF/versions/21); JDBC DriverManager"
                        + " service lookup from script code", "h2", List.of("rhino-1.7.15.jar", "h2-2.3.232.jar"),
                        "org.mozilla.javascript.tools.shell.Main", List.of("probe.js"), 0, "2.3.232",
                        (work, program) -> write(work.resolve("probe.js"), """
                                var loader = java.lang.Thread.currentThread().getContextClassLoader();
                                var url = loader.getResource('org/h2/util/Utils21.class');
                                print(url == null ? 'no Utils21' : String(url).substring(String(url).lastIndexOf('!/') + 2));
                                try {
                                    var type = java.lang.Class.forName('org.h2.util.Utils21', false, loader);
                                    print(type.getName() + ' ' + type.getDeclaredMethods().length);
                                } catch (e) {
                                    print('not loadable: ' + e.javaException);
                                }
                                var connection = java.sql.DriverManager.getConnection('jdbc:h2:mem:mr');
                                var rs = connection.createStatement().executeQuery('SELECT H2VERSION(), 6 * 7');
                                rs.next();
                                print(rs.getString(1) + ' ' + rs.getInt(2));
                                connection.close();
                                """)),
                new Case("saxon-transform", "hierarchical nested URLs: xmlresolver resolves a catalog and DTDs"
                        + " relative to resources in its data jar", "saxon",
                        List.of("Saxon-HE-12.5.jar", "xmlresolver-5.2.2.jar", "xmlresolver-5.2.2-data.jar",
                                "httpclient5-5.1.3.jar", "httpcore5-5.1.3.jar", "httpcore5-h2-5.1.3.jar"),
                        "net.sf.saxon.Transform", List.of("-s:in.xml", "-xsl:style.xsl"), 0, "1=EINS",
                        (work, program) -> {
                            write(work.resolve("in.xml"), """
                                    <?xml version="1.0"?>
                                    <!DOCTYPE doc PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"
                                      "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
                                    <doc><item n="2">zwei</item><item n="1">eins</item><item n="3">&#xE9;t&#xE9;</item></doc>
                                    """);
                            write(work.resolve("style.xsl"), """
                                    <xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
                                      <xsl:output method="text"/>
                                      <xsl:template match="/">
                                        <xsl:for-each select="//item"><xsl:sort select="@n"/>
                                          <xsl:value-of select="@n || '=' || upper-case(.)"/><xsl:text>&#10;</xsl:text>
                                        </xsl:for-each>
                                        <xsl:value-of select="system-property('xsl:product-version')"/><xsl:text>&#10;</xsl:text>
                                      </xsl:template>
                                    </xsl:stylesheet>
                                    """);
                        }),
                new Case("bouncycastle-signed", "signed jar: signatures verified, signers in the CodeSource;"
                        + " a JCA provider from a nested jar", "bouncycastle",
                        List.of("rhino-1.7.15.jar", "bcprov-jdk18on-1.78.1.jar"), "org.mozilla.javascript.tools.shell.Main",
                        List.of("probe.js"), 0, "Legion of the Bouncy Castle",
                        (work, program) -> write(work.resolve("probe.js"), """
                                java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
                                var md = java.security.MessageDigest.getInstance('SHA3-256', 'BC');
                                print(org.bouncycastle.util.encoders.Hex.toHexString(md.digest(new java.lang.String('abc').getBytes('UTF-8'))));
                                var loader = java.lang.Thread.currentThread().getContextClassLoader();
                                var type = java.lang.Class.forName('org.bouncycastle.jce.provider.BouncyCastleProvider', false, loader);
                                var signers = type.getProtectionDomain().getCodeSource().getCodeSigners();
                                print(signers.length + ' ' + signers[0].getSignerCertPath().getCertificates().get(0).getSubjectX500Principal());
                                var other = java.lang.Class.forName('org.bouncycastle.crypto.digests.SHA512Digest', false, loader);
                                print(java.util.Arrays.equals(signers, other.getProtectionDomain().getCodeSource().getCodeSigners()));
                                print(java.security.Security.getProvider('BC').getInfo());
                                """)),
                new Case("junit-version", "Package Implementation-Version from the nested jar's manifest",
                        "junit", List.of("junit-platform-console-standalone-1.11.4.jar"),
                        "org.junit.platform.console.ConsoleLauncher", List.of("--version"), 0,
                        "JUnit Platform Console Launcher 1.11.4", Setup.NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void javaJarWhenProgramIsPackedThenItBehavesAsOnTheClassPath(Case c) throws Exception {
        assertSameBehaviour(c, Path.of(System.getProperty("java.home")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void javaJarWhenRunOnJdk21OrNewerThenTheRelease17ArchiveBehavesAsOnTheClassPath(Case c) throws Exception {
        Optional<Path> jdk = newerJdk();
        assumeTrue(jdk.isPresent(), "no JDK 21 or newer under /usr/lib/jvm");
        assertSameBehaviour(c, jdk.get());
    }

    private void assertSameBehaviour(Case c, Path javaHome) throws Exception {
        Path program = programsDirectory().resolve(c.program());
        List<Path> jars = new ArrayList<>();
        for (String jar : c.jars()) {
            Path path = program.resolve(jar);
            assertThat(path).as("program jar; run the build's generate-test-resources phase").isRegularFile();
            jars.add(path);
        }
        Path archive = archive(c, jars);
        Path javaExecutable = javaHome.resolve("bin/java");

        Path work = Files.createDirectories(temp.resolve("work"));
        c.setup().prepare(work, program);
        Map<String, byte[]> inputs = files(work);

        List<String> classPathCommand = new ArrayList<>(List.of(javaExecutable.toString()));
        classPathCommand.addAll(JVM_OPTIONS);
        classPathCommand.addAll(List.of("-cp", jars.stream().map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator)), c.main()));
        classPathCommand.addAll(c.args());
        Run expected = run(classPathCommand, work, inputs);

        List<String> jarCommand = new ArrayList<>(List.of(javaExecutable.toString()));
        jarCommand.addAll(JVM_OPTIONS);
        jarCommand.addAll(List.of("-jar", archive.toString()));
        jarCommand.addAll(c.args());
        Run actual = run(jarCommand, work, inputs);

        assertThat(expected.exitCode()).as("exit code of java -cp (stderr: %s)", expected.stderr())
                .isEqualTo(c.exitCode());
        // Not vacuous: the program did its work. Programs that only write files (the ANTLR tool) print
        // nothing, so what they wrote counts as their output.
        assertThat(expected.stdout().isEmpty() && expected.written().isEmpty())
                .as("java -cp printed nothing and wrote nothing").isFalse();
        assertThat(expected.stdout() + String.join("", expected.written().values())).contains(c.expect());

        assertThat(actual.exitCode()).as("exit code of java -jar (stderr: %s)", actual.stderr())
                .isEqualTo(expected.exitCode());
        assertThat(actual.stdout()).as("stdout of java -jar").isEqualTo(expected.stdout());
        assertThat(actual.stderr()).as("stderr of java -jar").isEqualTo(expected.stderr());
        assertThat(actual.written()).as("files written by java -jar").isEqualTo(expected.written());
    }

    /** {@code pack --out X.jar --lib A.jar --lib B.jar ... --main-class C}: the libraries alone, no {@code --app}. */
    private static Path archive(Case c, List<Path> jars) {
        return ARCHIVES.computeIfAbsent(c.program() + "-" + c.main(), key -> {
            try {
                PackOptions.Builder options = PackOptions.builder().out(archives.resolve(key + ".jar"))
                        .mainClass(c.main());
                for (Path jar : jars) {
                    options.addLib(jar);
                }
                return Packer.pack(options.build()).archive();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * What one run did.
     *
     * @param written the files it created or changed in the working directory, by relative name
     */
    record Run(int exitCode, String stdout, String stderr, Map<String, String> written) {
    }

    /**
     * Runs a command in {@code work} and returns what it did; then puts the working directory back as
     * {@code inputs} describes it, for the next run.
     */
    private Run run(List<String> command, Path work, Map<String, byte[]> inputs) throws IOException, InterruptedException {
        Path out = Files.createTempFile(temp, "stdout", ".txt");
        Path err = Files.createTempFile(temp, "stderr", ".txt");
        Process process = new ProcessBuilder(command).directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("timed out after %d s: %s%nstdout: %s%nstderr: %s", TIMEOUT_SECONDS, command,
                    Files.readString(out), Files.readString(err));
        }
        Map<String, String> written = new TreeMap<>();
        for (Map.Entry<String, byte[]> file : files(work).entrySet()) {
            byte[] before = inputs.get(file.getKey());
            if (before == null || !Arrays.equals(before, file.getValue())) {
                written.put(file.getKey(), new String(file.getValue(), StandardCharsets.UTF_8));
            }
        }
        restore(work, inputs);
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err), written);
    }

    private static File nullFile() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** @return the regular files below {@code root} by {@code /}-separated relative name, with their bytes */
    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                files.put(root.relativize(path).toString().replace(File.separatorChar, '/'),
                        Files.readAllBytes(path));
            }
        }
        return files;
    }

    /** Deletes everything below {@code root} and writes {@code inputs} back. */
    private static void restore(Path root, Map<String, byte[]> inputs) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                if (!path.equals(root)) {
                    Files.delete(path);
                }
            }
        }
        for (Map.Entry<String, byte[]> input : inputs.entrySet()) {
            Path file = root.resolve(input.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, input.getValue());
        }
    }

    private static Path programsDirectory() {
        Path programs = Path.of(System.getProperty("hermetic.fidelity.programs", "target/programs"));
        assertThat(programs).as("the programs directory the build fills (hermetic.fidelity.programs)").isDirectory();
        return programs;
    }

    /**
     * A JDK of feature release 21 or newer: the preferred Temurin 25 if installed, else the newest JDK
     * found under {@code /usr/lib/jvm} (by its {@code release} file).
     */
    private static Optional<Path> newerJdk() throws IOException {
        if (Files.isExecutable(PREFERRED_NEWER_JDK.resolve("bin/java"))) {
            return Optional.of(PREFERRED_NEWER_JDK);
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        Path best = null;
        int bestFeature = 20;
        try (Stream<Path> homes = Files.list(jvms)) {
            for (Path home : (Iterable<Path>) homes.sorted()::iterator) {
                int feature = feature(home);
                if (feature > bestFeature && Files.isExecutable(home.resolve("bin/java"))) {
                    best = home;
                    bestFeature = feature;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** @return the JDK's feature release from its {@code release} file, or 0 when it has none */
    private static int feature(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(release)) {
            properties.load(in);
        } catch (IOException e) {
            return 0;
        }
        // "25.0.3", "21", "17.0.15+6"; old style "1.8.0_452" is release 8
        String[] parts = properties.getProperty("JAVA_VERSION", "").replace("\"", "").split("[._+-]");
        try {
            int feature = Integer.parseInt(parts[0]);
            return feature == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : feature;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void writeGrammar(Path work, Path program) throws IOException {
        write(work.resolve("Expr.g4"), """
                grammar Expr;
                prog : stat+ EOF ;
                stat : expr NEWLINE | ID '=' expr NEWLINE | NEWLINE ;
                expr : expr ('*'|'/') expr | expr ('+'|'-') expr | INT | ID | '(' expr ')' ;
                ID : [a-zA-Z\\u00C0-\\u024F]+ ;
                INT : [0-9]+ ;
                NEWLINE : '\\r'? '\\n' ;
                WS : [ \\t]+ -> skip ;
                """);
        write(work.resolve("input.txt"), "a = 6*7\n(a+1)/2\n");
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static byte[] entry(Path jar, String name) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
                return in.readAllBytes();
            }
        }
    }
}
