package dev.hermetic.loader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hermetic.loader.archive.ArchiveFormatException;
import dev.hermetic.loader.archive.TestArchives;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hermetic:} URLs as any code meets them: built from strings with {@code new URL(...)}, which
 * finds the handler through this module's {@code META-INF/services}, with or without a class loader
 * holding the archive open. The archive (made by {@link TestArchives}) lies in a directory whose name
 * has a space and non-ASCII letters; it has {@code shared.txt} in the application and in
 * {@code dep.jar}.
 */
class HermeticUrlsTests {
    @TempDir
    Path dir;

    private Path pack() throws IOException {
        Map<String, byte[]> dep = new LinkedHashMap<>();
        dep.put("dep/res.txt", "dep resource".getBytes(UTF_8));
        dep.put("dep/other.txt", "dep other".getBytes(UTF_8));
        dep.put("shared.txt", "shared from dep".getBytes(UTF_8));
        Path folder = Files.createDirectories(dir.resolve("with space/\u00fcber"));
        return TestArchives.archive("app.Main")
                .app("app/hello.txt", "hello from app".getBytes(UTF_8))
                .app("shared.txt", "shared from app".getBytes(UTF_8))
                .lib("dep.jar", TestArchives.jar(dep, "dep/other.txt"))
                .write(folder.resolve("app.jar")).path();
    }

    private static String jarUrl(Path archive) throws IOException {
        return "hermetic:" + archive.toUri().getRawPath() + "!/HERMETIC-INF/lib/dep.jar!/";
    }

    private static String text(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    @Test
    void openStreamWhenNoLoaderHoldsTheArchiveThenTheUrlOpensItItself() throws IOException {
        Path path = pack();
        URL url = new URL(jarUrl(path) + "dep/res.txt");

        assertThat(url.toExternalForm()).contains("/with%20space/%C3%BCber/app.jar!/");
        assertThat(text(url)).isEqualTo("dep resource");
        assertThat(text(new URL(jarUrl(path) + "dep/other.txt"))).isEqualTo("dep other");
    }

    @Test
    void openStreamWhenNameIsInTheAppAndTheJarThenTheJarsOwnEntry() throws IOException {
        Path path = pack();

        assertThat(text(new URL(jarUrl(path) + "shared.txt"))).isEqualTo("shared from dep");
    }

    @Test
    void openStreamWhenEntryIsOnlyInTheAppThenFileNotFoundException() throws IOException {
        Path path = pack();
        URL url = new URL(jarUrl(path) + "app/hello.txt");

        assertThatThrownBy(url::openStream)
                .isInstanceOf(FileNotFoundException.class)
                .hasMessage(url + ": HERMETIC-INF/lib/dep.jar in " + path + " has no entry app/hello.txt");
    }

    @Test
    void openStreamWhenNestedJarIsUnknownThenFileNotFoundException() throws IOException {
        Path path = pack();
        URL url = new URL("hermetic:" + path.toUri().getRawPath() + "!/HERMETIC-INF/lib/nope.jar!/dep/res.txt");

        assertThatThrownBy(url::openStream)
                .isInstanceOf(FileNotFoundException.class)
                .hasMessage(url + ": " + path + " has no nested jar HERMETIC-INF/lib/nope.jar");
    }

    @Test
    void openStreamWhenUrlNamesNoNestedJarThenMalformedUrlException() throws IOException {
        Path path = pack();
        URL url = new URL("hermetic:" + path.toUri().getRawPath() + "/shared.txt");

        assertThatThrownBy(url::openStream)
                .isInstanceOf(MalformedURLException.class)
                .hasMessage("not a hermetic URL (needs hermetic:/ARCHIVE!/JAR[!/NAME]): " + url);
    }

    @Test
    void openStreamWhenArchiveIsNotSealedThenArchiveFormatException() throws IOException {
        Path plain = Files.write(dir.resolve("plain.jar"), TestArchives.jar(Map.of("a.txt", new byte[] {1})));
        URL url = new URL("hermetic:" + plain.toUri().getRawPath() + "!/HERMETIC-INF/lib/dep.jar!/a.txt");

        assertThatThrownBy(url::openStream)
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessage(plain + ": not a Hermetic archive: no seal in its comment and no HERMETIC-INF/index entry");
    }

    @Test
    void newUrlWhenSpecIsRelativeThenResolvedInsideTheNestedJar() throws IOException {
        Path path = pack();
        URL base = new URL(jarUrl(path) + "dep/res.txt");

        URL sibling = new URL(base, "other.txt");
        URL rooted = new URL(base, "/shared.txt");

        assertThat(sibling.toExternalForm()).isEqualTo(jarUrl(path) + "dep/other.txt");
        assertThat(text(sibling)).isEqualTo("dep other");
        assertThat(rooted.toExternalForm()).isEqualTo(jarUrl(path) + "shared.txt");
        assertThat(text(rooted)).isEqualTo("shared from dep");
    }

    @Test
    void openStreamWhenALoaderHoldsTheArchiveThenItReadsThroughTheLoadersArchive() throws IOException {
        assumeTrue(File.separatorChar == '/', "deleting an open file needs POSIX semantics");
        Path path = pack();
        URL url = new URL(jarUrl(path) + "dep/res.txt");
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(path)) {
            assertThat(loader.getResource("dep/res.txt")).isEqualTo(url);
            // the open file keeps its bytes after the name is gone; opening it again would fail
            Files.delete(path);

            assertThat(text(url)).isEqualTo("dep resource");
        }
        assertThatThrownBy(url::openStream)
                .isInstanceOf(IOException.class)
                .hasMessageContaining(path.toString());
    }

    @Test
    void uriResolveWhenReferenceIsRelativeThenTheSiblingEntryThatOpens() throws Exception {
        Path path = pack();
        URL base = new URL(jarUrl(path) + "dep/res.txt");

        java.net.URI sibling = base.toURI().resolve("other.txt");
        java.net.URI up = base.toURI().resolve("../shared.txt");

        assertThat(base.toURI().isOpaque()).isFalse();
        assertThat(sibling.toString()).isEqualTo(jarUrl(path) + "dep/other.txt");
        assertThat(text(sibling.toURL())).isEqualTo("dep other");
        assertThat(up.toString()).isEqualTo(jarUrl(path) + "shared.txt");
        assertThat(text(up.toURL())).isEqualTo("shared from dep");
    }

    @Test
    void newUrlWhenRelativeSpecHasDotSegmentsThenTheyStopAtTheNestedJarsRoot() throws IOException {
        Path path = pack();
        URL base = new URL(jarUrl(path) + "dep/res.txt");

        assertThat(new URL(base, "./other.txt").toExternalForm()).isEqualTo(jarUrl(path) + "dep/other.txt");
        assertThat(new URL(base, "../shared.txt").toExternalForm()).isEqualTo(jarUrl(path) + "shared.txt");
        assertThat(new URL(base, "../../../shared.txt").toExternalForm()).isEqualTo(jarUrl(path) + "shared.txt");
        assertThat(text(new URL(base, "../../../shared.txt"))).isEqualTo("shared from dep");
    }

    @Test
    void newUrlWhenReparsedInAnotherThreadThenItOpens() throws Exception {
        Path path = pack();
        String external = new URL(jarUrl(path) + "dep/res.txt").toExternalForm();
        java.util.concurrent.atomic.AtomicReference<Object> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                result.set(text(new URL(external)));
            } catch (IOException | RuntimeException e) {
                result.set(e);
            }
        });
        thread.setContextClassLoader(null);
        thread.start();
        thread.join();

        assertThat(result.get()).isEqualTo("dep resource");
    }

    @Test
    void openStreamWhenUrlIsTheCodeSourceOfANestedJarThenAJarInputStreamReadsItsManifest() throws Exception {
        Map<String, byte[]> dep = new LinkedHashMap<>();
        dep.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nImplementation-Version: 4.2\r\n\r\n".getBytes(UTF_8));
        dep.put("dep/res.txt", "dep resource".getBytes(UTF_8));
        Path path = TestArchives.archive("app.Main").lib("dep.jar", TestArchives.jar(dep))
                .write(dir.resolve("app.jar")).path();
        URL jar = new URL("hermetic:" + path.toUri().getRawPath() + "!/HERMETIC-INF/lib/dep.jar");

        try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(jar.openStream())) {
            assertThat(in.getManifest().getMainAttributes().getValue("Implementation-Version")).isEqualTo("4.2");
            assertThat(in.getNextJarEntry().getName()).isEqualTo("dep/res.txt");
        }
        assertThat(jar.openConnection().getContentType()).isEqualTo("application/java-archive");
        assertThat(new URL(jar.toExternalForm()).getPath()).endsWith("/HERMETIC-INF/lib/dep.jar");
    }

    @Test
    void getContentTypeWhenEntryIsTextThenGuessedFromTheNameAsJarUrlsDo() throws IOException {
        Path path = pack();

        assertThat(new URL(jarUrl(path) + "dep/res.txt").openConnection().getContentType()).isEqualTo("text/plain");
    }
}
