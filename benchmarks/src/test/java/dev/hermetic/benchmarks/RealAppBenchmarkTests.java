package dev.hermetic.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hermetic.benchmarks.RealAppBenchmark.RealApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a real application is described and how its jars are rewritten STORED. Never timings. */
class RealAppBenchmarkTests {
    @Test
    void readWhenPropertiesNameTheAppThenTheOtherJarsAreItsDependenciesAndTheArgumentsKeepTheirOrder(
            @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("app.properties"),
                "main=org.example.Main\napp=app-1.jar\narg.1=-c\narg.2=two words\narg.4=not read: arg.3 is missing\n");
        Path lib = Files.createDirectories(dir.resolve("target/lib"));
        for (String jar : List.of("b-dep.jar", "app-1.jar", "a-dep.jar", "notes.txt")) {
            Files.writeString(lib.resolve(jar), jar);
        }

        RealApp app = RealApp.read(dir);

        assertThat(app.name()).isEqualTo(dir.getFileName().toString());
        assertThat(app.app()).isEqualTo(lib.resolve("app-1.jar"));
        assertThat(app.deps()).containsExactly(lib.resolve("a-dep.jar"), lib.resolve("b-dep.jar"));
        assertThat(app.main()).isEqualTo("org.example.Main");
        assertThat(app.args()).containsExactly("-c", "two words");
    }

    @Test
    void readWhenTheJarsAreNotFetchedThenTheErrorSaysHow(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("app.properties"), "main=org.example.Main\napp=app-1.jar\n");

        assertThatThrownBy(() -> RealApp.read(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no " + dir.resolve("target/lib") + ": run mvn -B -q -f benchmarks/real-apps/pom.xml clean package");
    }

    @Test
    void readWhenTheAppJarIsNotFetchedThenTheErrorNamesThePropertiesTheJarAndTheDirectory(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("app.properties"), "main=org.example.Main\napp=app-2.jar\n");
        Path lib = Files.createDirectories(dir.resolve("target/lib"));
        Files.writeString(lib.resolve("app-1.jar"), "the version fetched before");

        assertThatThrownBy(() -> RealApp.read(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(dir.resolve("app.properties") + ": app=app-2.jar, which " + lib + " does not hold: run mvn"
                        + " -B -q -f benchmarks/real-apps/pom.xml clean package, or name the jar its pom.xml fetches");
    }

    @Test
    void readWhenTheMainClassIsMissingThenTheErrorNamesTheFileAndTheKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("app.properties"), "app=app-1.jar\n");
        Files.createDirectories(dir.resolve("target/lib"));

        assertThatThrownBy(() -> RealApp.read(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(dir.resolve("app.properties") + " has no main");
    }

    @Test
    void storedCopyWhenEntriesAreDeflatedThenEachIsStoredWithItsNameOrderAndBytes(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("deflated.jar");
        List<String> names = List.of("META-INF/MANIFEST.MF", "z/Last.class", "a/First.class", "a/empty.txt");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (String name : names) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(name.endsWith(".txt") ? new byte[0] : (name + " ").repeat(50).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }

        Path copy = RealAppBenchmark.storedCopy(jar, dir.resolve("stored.jar"));

        try (ZipFile original = new ZipFile(jar.toFile()); ZipFile stored = new ZipFile(copy.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(stored.entries());
            assertThat(entries).extracting(ZipEntry::getName).containsExactlyElementsOf(names);
            for (ZipEntry entry : entries) {
                assertThat(entry.getMethod()).as(entry.getName()).isEqualTo(ZipEntry.STORED);
                ZipEntry before = original.getEntry(entry.getName());
                assertThat(before.getMethod()).isEqualTo(ZipEntry.DEFLATED);
                assertThat(stored.getInputStream(entry).readAllBytes()).as(entry.getName())
                        .isEqualTo(original.getInputStream(before).readAllBytes());
                assertThat(entry.getCrc()).isEqualTo(before.getCrc());
            }
        }
    }
}
