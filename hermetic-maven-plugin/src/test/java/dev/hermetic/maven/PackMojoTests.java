package dev.hermetic.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipFile;
import javax.tools.ToolProvider;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.model.Model;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PackMojo} run directly on a real {@link MavenProject} over real files (classes compiled by
 * the JDK's compiler, jars written here); the Maven builds themselves are the invoker tests in
 * {@code src/it}.
 */
class PackMojoTests {
    @TempDir
    Path dir;

    Path target;
    Path classes;
    MavenProject project;
    /** What the mojo attached, as Maven's own helper would attach it. */
    final List<Artifact> attached = new ArrayList<>();

    @BeforeEach
    void compileProject() throws IOException {
        target = Files.createDirectories(dir.resolve("target"));
        classes = Files.createDirectories(target.resolve("classes"));
        Path source = dir.resolve("src/main/java/app/Main.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package app; public class Main { public static void main(String[] a) {"
                + " System.out.println(\"hi\"); } }");
        int exit = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d",
                classes.toString(), source.toString());
        assertThat(exit).isZero();

        Model model = new Model();
        model.setGroupId("it");
        model.setArtifactId("app");
        model.setVersion("1.0");
        model.setPackaging("jar");
        project = new MavenProject(model);
        project.setArtifact(artifact("it", "app", "compile", null));
    }

    private PackMojo mojo() {
        MavenProjectHelper helper = new MavenProjectHelper() {
            @Override
            public void attachArtifact(MavenProject p, String type, String classifier, File file) {
                Artifact a = new DefaultArtifact(p.getGroupId(), p.getArtifactId(), p.getVersion(), null, type,
                        classifier, new DefaultArtifactHandler(type));
                a.setFile(file);
                attached.add(a);
            }

            @Override
            public void attachArtifact(MavenProject p, String type, File file) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void attachArtifact(MavenProject p, File file, String classifier) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void addResource(MavenProject p, String dir, List<String> includes, List<String> excludes) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void addTestResource(MavenProject p, String dir, List<String> includes, List<String> excludes) {
                throw new UnsupportedOperationException();
            }
        };
        PackMojo mojo = new PackMojo(helper);
        mojo.project = project;
        mojo.outputDirectory = target.toFile();
        mojo.classesDirectory = classes.toFile();
        mojo.finalName = "app-1.0";
        mojo.sourceDirectory = dir.resolve("src/main/java").toFile();
        mojo.outputTimestamp = "2024-01-02T03:04:06Z";
        return mojo;
    }

    private static DefaultArtifact artifact(String group, String id, String scope, File file) {
        // As Maven's own "jar" handler is configured: its artifacts go on the class path.
        DefaultArtifactHandler jar = new DefaultArtifactHandler("jar");
        jar.setAddedToClasspath(true);
        DefaultArtifact a = new DefaultArtifact(group, id, "1.0", scope, "jar", null, jar);
        a.setFile(file);
        return a;
    }

    private Path jar(String name, String mainClass) throws IOException {
        Path jar = target.resolve(name);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest)) {
            zip.putNextEntry(new JarEntry("app/Main.class"));
            zip.write(Files.readAllBytes(classes.resolve("app/Main.class")));
            zip.closeEntry();
            zip.putNextEntry(new JarEntry(name + ".txt"));
            zip.write(name.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }

    @Test
    void executeWhenClassifierEmptyThenArchiveReplacesJarAndOriginalIsKept() throws Exception {
        Path jar = jar("app-1.0.jar", "app.Main");
        project.getArtifact().setFile(jar.toFile());

        mojo().execute();

        Path original = target.resolve("app-1.0.jar.original");
        assertThat(original).isRegularFile();
        assertThat(PackMojo.isArchive(jar)).isTrue();
        assertThat(PackMojo.isArchive(original)).isFalse();
        assertThat(project.getArtifact().getFile()).isEqualTo(jar.toFile());
        assertThat(attached).isEmpty();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assertThat(zip.getEntry("HERMETIC-INF/classes/app/Main.class")).isNotNull();
            assertThat(zip.getEntry("HERMETIC-INF/sources/app/Main.java")).isNull();
        }
    }

    @Test
    void executeWhenLauncherAtRootThenTheRootHoldsEveryLoaderClassElseTheFront() throws Exception {
        Path jar = jar("app-1.0.jar", "app.Main");
        project.getArtifact().setFile(jar.toFile());
        PackMojo mojo = mojo();
        mojo.launcherAtRoot = true;
        mojo.classifier = "all";

        mojo().execute();
        mojo.execute();

        String loader = "dev/hermetic/loader/ArchiveClassLoader.class";
        try (ZipFile front = new ZipFile(jar.toFile());
             ZipFile all = new ZipFile(target.resolve("app-1.0-all.jar").toFile())) {
            assertThat(front.getEntry(loader)).isNull();
            assertThat(all.getEntry(loader)).isNotNull();
            assertThat(front.getEntry("dev/hermetic/loader/Launcher.class")).isNotNull();
        }
    }

    @Test
    void executeWhenRunAgainOnItsOwnArchiveThenPacksTheOriginalNotTheArchive() throws Exception {
        Path jar = jar("app-1.0.jar", "app.Main");
        project.getArtifact().setFile(jar.toFile());
        mojo().execute();
        byte[] first = Files.readAllBytes(jar);

        // A second `mvn package` whose jar plugin found the jar up to date leaves the archive in place.
        mojo().execute();

        assertThat(Files.readAllBytes(jar)).isEqualTo(first);
        assertThat(PackMojo.isArchive(target.resolve("app-1.0.jar.original"))).isFalse();
    }

    @Test
    void executeWhenClassifierGivenAndJarIsAlreadyAnArchiveThenPacksClassesWithItsStartClass() throws Exception {
        // As after the README's quick start packed target/hello.jar by hand, and the jar plugin kept it.
        Path jar = jar("app-1.0.jar", "app.Main");
        project.getArtifact().setFile(jar.toFile());
        mojo().execute();
        assertThat(PackMojo.isArchive(jar)).isTrue();
        Files.delete(target.resolve("app-1.0.jar.original"));
        PackMojo mojo = mojo();
        mojo.classifier = "hermetic";

        mojo.execute();

        Path archive = target.resolve("app-1.0-hermetic.jar");
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            assertThat(zip.getEntry("HERMETIC-INF/classes/app/Main.class")).isNotNull();
            assertThat(zip.getEntry("HERMETIC-INF/classes/HERMETIC-INF/index")).isNull();
        }
        assertThat(PackMojo.startClass(archive)).isEqualTo("app.Main");
    }

    @Test
    void executeWhenClassifierGivenThenAttachesArchiveAndKeepsJar() throws Exception {
        Path jar = jar("app-1.0.jar", null);
        project.getArtifact().setFile(jar.toFile());
        PackMojo mojo = mojo();
        mojo.classifier = "hermetic";
        mojo.mainClass = "app.Main";
        mojo.includeSources = true;

        mojo.execute();

        Path archive = target.resolve("app-1.0-hermetic.jar");
        assertThat(PackMojo.isArchive(archive)).isTrue();
        assertThat(PackMojo.isArchive(jar)).isFalse();
        assertThat(attached).singleElement().satisfies(a -> {
            assertThat(a.getClassifier()).isEqualTo("hermetic");
            assertThat(a.getFile()).isEqualTo(archive.toFile());
        });
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            assertThat(zip.getEntry("HERMETIC-INF/sources/app/Main.java")).isNotNull();
            assertThat(zip.getEntry("app-1.0.jar.txt")).isNull();
            assertThat(zip.getEntry("HERMETIC-INF/classes/app-1.0.jar.txt")).isNotNull();
            assertThat(zip.getEntry("HERMETIC-INF/index").getTimeLocal()).hasToString("2024-01-02T03:04:06");
        }
    }

    @Test
    void executeWhenNoJarThenPacksClassesDirectory() throws Exception {
        PackMojo mojo = mojo();
        mojo.classifier = "hermetic";
        mojo.mainClass = "app.Main";

        mojo.execute();

        assertThat(PackMojo.isArchive(target.resolve("app-1.0-hermetic.jar"))).isTrue();
    }

    @Test
    void executeWhenSkipThenWritesNothing() throws Exception {
        PackMojo mojo = mojo();
        mojo.skip = true;
        mojo.mainClass = "app.Main";

        mojo.execute();

        try (var files = Files.list(target)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("classes");
        }
    }

    @Test
    void executeWhenNoMainClassThenFailsNamingTheProblem() {
        PackMojo mojo = mojo();
        mojo.classifier = "hermetic";

        assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class)
                .hasMessage("hermetic:pack: no main class: give --main-class, or an --app jar whose manifest has Main-Class");
    }

    @Test
    void executeWhenValidationUnknownThenFailsNamingTheParameter() {
        PackMojo mojo = mojo();
        mojo.classifier = "hermetic";
        mojo.mainClass = "app.Main";
        mojo.validation = "sometimes";

        assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("hermetic:pack: validation: ")
                .hasMessageContaining("sometimes");
    }

    @Test
    void executeWhenValidationRuleMalformedThenFailsNamingTheParameter() {
        PackMojo mojo = mojo();
        mojo.classifier = "hermetic";
        mojo.mainClass = "app.Main";
        mojo.validationRules = List.of("no-equals-sign");

        assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("hermetic:pack: validationRules: ");
    }

    @Test
    void timestampWhenIsoOrEpochSecondsThenParsed() {
        assertThat(PackMojo.timestamp("2024-01-02T03:04:05Z")).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(PackMojo.timestamp("2024-01-02T05:04:05+02:00")).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(PackMojo.timestamp("1700000000")).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    }

    @Test
    void timestampWhenUnsetOrSwitchedOffThenPackerDefault() {
        assertThat(PackMojo.timestamp(null)).isEqualTo(Instant.parse("1980-02-01T00:00:00Z"));
        assertThat(PackMojo.timestamp("")).isEqualTo(Instant.parse("1980-02-01T00:00:00Z"));
        assertThat(PackMojo.timestamp("x")).isEqualTo(Instant.parse("1980-02-01T00:00:00Z"));
    }

    @Test
    void timestampWhenGarbageThenFailsNamingIt() {
        assertThatThrownBy(() -> PackMojo.timestamp("yesterday")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("outputTimestamp 'yesterday' is neither ISO-8601 (2024-01-01T00:00:00Z) nor epoch seconds");
    }

    @Test
    void librariesWhenScopesMixedThenCompileAndRuntimeJarsInOrder() throws IOException {
        File b = jar("b.jar", null).toFile();
        File a = jar("a.jar", null).toFile();
        File t = jar("t.jar", null).toFile();
        File p = jar("p.jar", null).toFile();
        File r = jar("r.jar", null).toFile();
        List<Artifact> artifacts = List.of(artifact("g", "b", "compile", b), artifact("g", "t", "test", t),
                artifact("g", "a", "compile", a), artifact("g", "p", "provided", p), artifact("g", "r", "runtime", r));

        assertThat(PackMojo.libraries(artifacts)).containsExactly(b.toPath(), a.toPath(), r.toPath());
    }

    @Test
    void librariesWhenDependencyIsADirectoryThenFailsNamingIt() {
        Artifact module = artifact("g", "m", "compile", classes.toFile());

        assertThatThrownBy(() -> PackMojo.libraries(List.of(module))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dependency g:m:jar:1.0 resolves to " + classes + ", not a jar (is it a module of this"
                        + " build that has not been packaged?)");
    }
}
