package dev.hermetic.samples.hello;

import static dev.hermetic.samples.support.ChildJvm.assertSameRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;
import dev.hermetic.samples.support.ChildJvm;
import dev.hermetic.samples.support.JavaRun;
import dev.hermetic.samples.support.SampleBuild;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Packs the hello sample with the packer's Java API, runs the archive with {@code java -jar} in a
 * child JVM and compares what it does with {@code java -cp target/classes} running the same class.
 */
class HelloSampleTests {
    private static final String MAIN_CLASS = "dev.hermetic.samples.hello.Hello";
    private static final String CLASS_ENTRY = "dev/hermetic/samples/hello/Hello.class";

    private static SampleBuild build;
    private static Path dir;
    private static ChildJvm jvm;
    /** Packed from target/classes with an explicit main class: the build's own way of packing, minus the jar. */
    private static Path archive;

    @BeforeAll
    static void packClassesDirectory() throws IOException {
        build = SampleBuild.current();
        dir = build.freshDirectory("hello");
        jvm = ChildJvm.in(dir);
        archive = dir.resolve("hello-from-classes.jar");
        Packer.pack(PackOptions.builder()
                .out(archive)
                .mainClass(MAIN_CLASS)
                .addApp(build.classes())
                .timestamp(build.timestamp())
                .build());
    }

    static Stream<Arguments> javaJarWhenArgumentsGivenThenGreetsAsClassPathRunDoes() {
        return Stream.of(
                Arguments.of(List.of(), "Hello, world!"),
                Arguments.of(List.of("A"), "Hello, A!"),
                Arguments.of(List.of("A", "B"), "Hello, A and B!"),
                Arguments.of(List.of("Ada", "Grace Hopper", "Barbara"), "Hello, Ada, Grace Hopper and Barbara!"));
    }

    @ParameterizedTest
    @MethodSource
    void javaJarWhenArgumentsGivenThenGreetsAsClassPathRunDoes(List<String> args, String greeting) throws Exception {
        String[] argv = args.toArray(String[]::new);

        JavaRun plain = jvm.javaClassPath(List.of(build.classes()), MAIN_CLASS, argv);
        JavaRun packed = jvm.javaJar(archive, argv);

        assertThat(plain.stdout()).as("%s", plain).isEqualTo(greeting + System.lineSeparator());
        assertThat(plain.stderr()).as("%s", plain).isEmpty();
        assertThat(plain.exitCode()).as("%s", plain).isZero();
        assertSameRun(packed, plain);
    }

    @Test
    void packWhenOnlySourcesGivenThenPackerCompilesThemIntoRunnableArchive() throws Exception {
        Path fromSources = dir.resolve("hello-from-sources.jar");

        Packer.pack(PackOptions.builder()
                .out(fromSources)
                .mainClass(MAIN_CLASS)
                .addSources(build.sources())
                .timestamp(build.timestamp())
                .build());

        try (ZipFile zip = new ZipFile(fromSources.toFile())) {
            assertThat(zip.getEntry("HERMETIC-INF/classes/" + CLASS_ENTRY)).as("compiled class").isNotNull();
            ZipEntry source = zip.getEntry("HERMETIC-INF/sources/dev/hermetic/samples/hello/Hello.java");
            assertThat(source).as("shipped source").isNotNull();
            try (var in = zip.getInputStream(source)) {
                assertThat(in.readAllBytes())
                        .isEqualTo(Files.readAllBytes(build.sources().resolve("dev/hermetic/samples/hello/Hello.java")));
            }
        }
        JavaRun plain = jvm.javaClassPath(List.of(build.classes()), MAIN_CLASS, "A", "B");
        JavaRun packed = jvm.javaJar(fromSources, "A", "B");
        assertThat(packed.stdout()).as("%s", packed).isEqualTo("Hello, A and B!" + System.lineSeparator());
        assertSameRun(packed, plain);
    }

    @Test
    void packWhenAppJarNamesMainClassAndNoneIsGivenThenArchiveStartsIt() throws Exception {
        Path appJar = dir.resolve("hello-app.jar");
        writeJar(appJar, MAIN_CLASS);
        Path packedJar = dir.resolve("hello-from-jar.jar");

        Packer.pack(PackOptions.builder()
                .out(packedJar)
                .addApp(appJar)
                .timestamp(build.timestamp())
                .build());

        try (ZipFile zip = new ZipFile(packedJar.toFile())) {
            Manifest manifest = new Manifest(zip.getInputStream(zip.getEntry("META-INF/MANIFEST.MF")));
            assertThat(manifest.getMainAttributes().getValue("Start-Class")).isEqualTo(MAIN_CLASS);
        }
        JavaRun plain = jvm.javaClassPath(List.of(appJar), MAIN_CLASS, "jar");
        JavaRun packed = jvm.javaJar(packedJar, "jar");
        assertThat(packed.stdout()).as("%s", packed).isEqualTo("Hello, jar!" + System.lineSeparator());
        assertSameRun(packed, plain);
    }

    @Test
    void packWhenGivenClassesDirectoryThenArchiveHasLauncherAtRootAndAppUnderHermeticInf() throws Exception {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Manifest manifest = new Manifest(zip.getInputStream(zip.getEntry("META-INF/MANIFEST.MF")));
            assertThat(manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS))
                    .isEqualTo("dev.hermetic.loader.Launcher");
            assertThat(manifest.getMainAttributes().getValue("Start-Class")).isEqualTo(MAIN_CLASS);
            assertThat(zip.getEntry("dev/hermetic/loader/Launcher.class")).as("launcher at the root").isNotNull();
            assertThat(zip.getEntry(CLASS_ENTRY)).as("application class at the root").isNull();

            ZipEntry app = zip.getEntry("HERMETIC-INF/classes/" + CLASS_ENTRY);
            assertThat(app).as("application class").isNotNull();
            assertThat(app.getMethod()).as("compression method of %s", app).isEqualTo(ZipEntry.STORED);
            try (var in = zip.getInputStream(app)) {
                assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(build.classes().resolve(CLASS_ENTRY)));
            }
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("HERMETIC-INF/index").doesNotHaveDuplicates();
        }
    }

    /** A plain application jar of target/classes whose manifest names the main class. */
    private static void writeJar(Path jar, String mainClass) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> classes = Files.walk(build.classes())) {
            for (Path p : classes.filter(Files::isRegularFile).sorted().toList()) {
                JarEntry entry = new JarEntry(build.classes().relativize(p).toString().replace('\\', '/'));
                entry.setTime(build.timestamp().toEpochMilli());
                out.putNextEntry(entry);
                Files.copy(p, out);
                out.closeEntry();
            }
        }
    }
}
