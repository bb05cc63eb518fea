package dev.hermetic.maven;

import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.packer.PackException;
import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.PackResult;
import dev.hermetic.packer.Packer;
import dev.hermetic.packer.Timestamps;
import dev.hermetic.packer.ValidationRule;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipFile;
import javax.inject.Inject;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/**
 * {@code hermetic:pack}: packs the project into one Hermetic archive during {@code package}, like
 * {@code spring-boot:repackage} does for Spring Boot: a thin layer over {@code Packer.pack}.
 *
 * <ul>
 *   <li><b>Application</b> ({@code --app}): the project's jar, as the jar plugin made it earlier in
 *       {@code package} (its manifest gives the main class and the carried attributes such as
 *       {@code Add-Opens}); without one (packaging other than {@code jar}), {@code target/classes}.</li>
 *   <li><b>Libraries</b> ({@code --lib}): the project's {@code compile} and {@code runtime} scope
 *       dependency jars, transitive ones included, in the order Maven puts them on the class path.</li>
 *   <li><b>Sources</b> ({@code --sources}): {@code src/main/java} with {@code includeSources}.</li>
 *   <li><b>Entry time</b>: {@code outputTimestamp}, by default {@code project.build.outputTimestamp}
 *       (ISO-8601 or epoch seconds); unset (or Maven's one-character "off" value), the packer's fixed
 *       default, so the archive is reproducible either way.</li>
 *   <li><b>Output</b>: with a {@code classifier}, {@code target/FINALNAME-CLASSIFIER.jar}, attached to the
 *       project (installed and deployed beside the main jar); with an empty classifier (the default, as
 *       in Spring Boot), the archive replaces the main artifact {@code target/FINALNAME.jar}, and the jar
 *       plugin's jar is kept as {@code target/FINALNAME.jar.original}.</li>
 * </ul>
 */
@Mojo(name = "pack", defaultPhase = LifecyclePhase.PACKAGE, requiresDependencyResolution = ResolutionScope.RUNTIME,
        threadSafe = true)
public class PackMojo extends AbstractMojo {
    private static final Set<String> PACKED_SCOPES = Set.of(Artifact.SCOPE_COMPILE, Artifact.SCOPE_RUNTIME);

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    private final MavenProjectHelper projectHelper;
    /** The Start-Class of a project jar that was already an archive; see {@link #application}. */
    private String archiveStartClass;

    /** The application's main class; default: the project jar's {@code Main-Class}. */
    @Parameter(property = "hermetic.mainClass")
    String mainClass;

    /**
     * {@code trusted}, {@code checked} or {@code timestamp}: the validation mode of every module whose
     * source is shipped ({@code --validation}); default: {@code checked} (the packer did not compile
     * the project's classes).
     */
    @Parameter(property = "hermetic.validation")
    String validation;

    /**
     * Per-module modes, {@code GLOB=MODE} each ({@code com/example/legacy/**=timestamp}); the first rule
     * that matches a module's source path wins, over {@code validation}.
     */
    @Parameter
    List<String> validationRules = new ArrayList<>();

    /** Whether to ship the sources of {@code sourceDirectory} beside the classes. */
    @Parameter(property = "hermetic.includeSources", defaultValue = "false")
    boolean includeSources;

    /** The sources shipped with {@code includeSources}. */
    @Parameter(defaultValue = "${project.build.sourceDirectory}")
    File sourceDirectory;

    /**
     * The archive's classifier: attached as {@code FINALNAME-CLASSIFIER.jar}; empty to replace the main
     * artifact (the original jar is kept as {@code FINALNAME.jar.original}).
     */
    @Parameter(property = "hermetic.classifier", defaultValue = "")
    String classifier;

    /** The time of every entry: ISO-8601 or epoch seconds. */
    @Parameter(property = "hermetic.outputTimestamp", defaultValue = "${project.build.outputTimestamp}")
    String outputTimestamp;

    /**
     * Whether to DEFLATE the application's resources (files that are not class files) where that makes
     * them smaller ({@code --compress-resources}). Classes, sources, nested jars and the index stay
     * stored: the loader reads them in place.
     */
    @Parameter(property = "hermetic.compressResources", defaultValue = "false")
    boolean compressResources;

    /** Threads that compress resources ({@code --threads}); default: the available processors. */
    @Parameter(property = "hermetic.threads")
    Integer threads;

    /**
     * An archive packed earlier with {@code compressResources} whose unchanged resources are copied
     * compressed instead of being compressed again ({@code --reuse}); the result is byte-identical.
     */
    @Parameter(property = "hermetic.reuse")
    File reuse;

    /**
     * Whether the archive's root holds every class of the archive loader, not only the launcher's front
     * ({@code --launcher-at-root}): for launches in the JDK's application class loader
     * ({@code -Dhermetic.launcher=app}); costs every launch about 1 ms.
     */
    @Parameter(property = "hermetic.launcherAtRoot", defaultValue = "false")
    boolean launcherAtRoot;

    /** Skips packing. */
    @Parameter(property = "hermetic.skip", defaultValue = "false")
    boolean skip;

    @Parameter(defaultValue = "${project.build.directory}", readonly = true, required = true)
    File outputDirectory;

    @Parameter(defaultValue = "${project.build.outputDirectory}", readonly = true, required = true)
    File classesDirectory;

    @Parameter(defaultValue = "${project.build.finalName}", readonly = true, required = true)
    String finalName;

    /** @param projectHelper attaches the archive to the project when it has a classifier */
    @Inject
    public PackMojo(MavenProjectHelper projectHelper) {
        this.projectHelper = projectHelper;
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping: hermetic.skip is set");
            return;
        }
        if ("pom".equals(project.getPackaging())) {
            getLog().info("Skipping: packaging pom has nothing to pack");
            return;
        }
        boolean replace = classifier == null || classifier.isBlank();
        Path out = outputDirectory.toPath().resolve(finalName + (replace ? "" : "-" + classifier.trim()) + ".jar");
        try {
            Path app = application(replace, out);
            PackOptions options = options(app, out);
            PackResult result = Packer.pack(options);
            getLog().info(String.format(Locale.ROOT, "Packed %s: %d bytes, %d entries, %d modules, %d nested jars,"
                    + " main class %s", result.archive(), result.size(), result.entries(), result.modules(),
                    result.nestedJars(), result.mainClass()));
            if (replace) {
                project.getArtifact().setFile(out.toFile());
            } else {
                projectHelper.attachArtifact(project, "jar", classifier.trim(), out.toFile());
            }
        } catch (PackException | IllegalArgumentException e) {
            throw new MojoFailureException("hermetic:pack: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("hermetic:pack: " + e, e);
        }
    }

    /**
     * The {@code --app} input: the project's jar, else its classes directory. When the archive replaces
     * the jar, the jar is first moved to {@code .original}. A jar that is already a Hermetic archive (a
     * rebuild whose jar plugin found an archive from an earlier run up to date, or one packed over it by
     * hand) is never packed again: its {@code .original} is, else the classes directory, with the
     * archive's {@code Start-Class} as the main class unless one is configured.
     */
    Path application(boolean replace, Path out) throws IOException {
        File artifactFile = project.getArtifact() == null ? null : project.getArtifact().getFile();
        Path jar = artifactFile != null && artifactFile.isFile() ? artifactFile.toPath() : null;
        Path original = out.resolveSibling(out.getFileName() + ".original");
        if (jar != null && isArchive(jar)) {
            archiveStartClass = startClass(jar);
            if (replace && Files.isRegularFile(original)) {
                return original;
            }
            getLog().warn(jar + " is already a Hermetic archive: packing " + classesDirectory + " instead");
            return classesDirectory.toPath();
        }
        if (!replace || jar == null) {
            return jar != null ? jar : classesDirectory.toPath();
        }
        Files.move(jar, original, StandardCopyOption.REPLACE_EXISTING);
        return original;
    }

    /** @return the application's main class as a Hermetic archive's manifest names it, or null */
    static String startClass(Path archive) throws IOException {
        try (JarFile jar = new JarFile(archive.toFile())) {
            Manifest manifest = jar.getManifest();
            return manifest == null ? null : manifest.getMainAttributes().getValue(ArchiveLayout.START_CLASS);
        }
    }

    /** @return whether the file is a Hermetic archive (has an index entry) */
    static boolean isArchive(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry(ArchiveLayout.INDEX) != null;
        }
    }

    PackOptions options(Path app, Path out) {
        PackOptions.Builder options = PackOptions.builder().out(out).addApp(app)
                .timestamp(timestamp(outputTimestamp)).compressResources(compressResources)
                .reuse(reuse == null ? null : reuse.toPath()).launcherAtRoot(launcherAtRoot);
        if (threads != null) {
            options.threads(threads);
        }
        if (mainClass != null && !mainClass.isBlank()) {
            options.mainClass(mainClass.trim());
        } else if (archiveStartClass != null) {
            options.mainClass(archiveStartClass);
        }
        for (Path lib : libraries(project.getArtifacts())) {
            options.addLib(lib);
        }
        if (includeSources) {
            if (sourceDirectory == null || !sourceDirectory.isDirectory()) {
                throw new IllegalArgumentException("includeSources: source directory " + sourceDirectory
                        + " does not exist");
            }
            options.addSources(sourceDirectory.toPath());
        }
        if (validation != null && !validation.isBlank()) {
            try {
                options.validation(ValidationRule.mode(validation.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("validation: " + e.getMessage(), e);
            }
        }
        if (validationRules != null) {
            for (String rule : validationRules) {
                try {
                    options.addValidationRule(ValidationRule.parse(rule.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("validationRules: " + e.getMessage(), e);
                }
            }
        }
        return options.build();
    }

    /**
     * Maven's {@code project.build.outputTimestamp}: ISO-8601 or epoch seconds; null, empty or one
     * character (Maven's way of switching reproducible output off) for the packer's fixed default.
     *
     * @throws IllegalArgumentException when it is neither
     */
    static Instant timestamp(String value) {
        if (value == null || value.trim().length() < 2) {
            return PackOptions.DEFAULT_TIMESTAMP;
        }
        try {
            return Timestamps.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("outputTimestamp " + e.getMessage(), e);
        }
    }

    /**
     * @param artifacts the project's resolved dependencies, in class-path order
     * @return the jars of those in {@code compile} or {@code runtime} scope, in the same order
     */
    static List<Path> libraries(Collection<Artifact> artifacts) {
        List<Path> jars = new ArrayList<>();
        for (Artifact a : artifacts) {
            if (!PACKED_SCOPES.contains(a.getScope()) || a.getFile() == null
                    || !a.getArtifactHandler().isAddedToClasspath()) {
                continue;
            }
            if (!a.getFile().isFile()) {
                throw new IllegalArgumentException("dependency " + a.getId() + " resolves to " + a.getFile()
                        + ", not a jar (is it a module of this build that has not been packaged?)");
            }
            jars.add(a.getFile().toPath());
        }
        return jars;
    }
}
