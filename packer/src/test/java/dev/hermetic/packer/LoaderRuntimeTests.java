package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.jdkTool;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader classes every archive carries come from wherever the packer loaded them; here from a jar
 * nested in an archive: the packer packed by itself (as the build makes {@code packer/target/packer.jar})
 * runs {@code pack} in a child JVM and writes the same bytes as the packer in this JVM.
 */
class LoaderRuntimeTests {
    /** The packer's runtime dependencies, by jar name, as this test JVM's class path has them. */
    private static final Pattern RUNTIME_JARS = Pattern.compile("(archive-loader|commons-compress|commons-codec|commons-io"
            + "|commons-lang3|picocli|jackson-core|progressbar|jline-terminal)-[0-9][^/\\\\]*\\.jar");

    @TempDir
    Path dir;

    @Test
    void packWhenPackerRunsFromAnArchiveItPackedThenSameBytesAsFromItsJars() throws Exception {
        List<Path> libs = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (RUNTIME_JARS.matcher(path.getFileName().toString()).matches()) {
                libs.add(path);
            }
        }
        assumeThat(libs).as("archive-loader as a jar (not a reactor classes directory)")
                .anyMatch(p -> p.getFileName().toString().startsWith("archive-loader-"));
        Path classes = Path.of(Packer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path packer = dir.resolve("packer.jar");
        PackOptions.Builder self = PackOptions.builder().out(packer).addApp(classes)
                .mainClass("dev.hermetic.packer.cli.PackerCli");
        libs.forEach(self::addLib);
        Packer.pack(self.build());
        Path src = dir.resolve("src");
        writeSource(src, "app.Main", "package app; public class Main { public static void main(String[] a) {"
                + " System.out.println(\"hi\"); } }");

        TestFixtures.Result run = TestFixtures.run(dir, List.of(jdkTool("java"), "-jar", packer.toString(), "pack",
                "--out", dir.resolve("by-archive.jar").toString(), "--sources", src.toString(), "--main-class", "app.Main"));
        Packer.pack(PackOptions.builder().out(dir.resolve("by-jars.jar")).addSources(src).mainClass("app.Main").build());

        assertThat(run.stderr()).isEmpty();
        assertThat(run.exit()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("by-archive.jar"))).isEqualTo(Files.readAllBytes(dir.resolve("by-jars.jar")));
    }
}
