package dev.hermetic.packer.modes;

import static dev.hermetic.loader.archive.ValidationMode.TRUSTED;
import static dev.hermetic.packer.modes.GreeterApp.GREETER_SOURCE;
import static dev.hermetic.packer.modes.GreeterApp.PACKED_OUTPUT;
import static dev.hermetic.packer.modes.GreeterApp.launch;
import static dev.hermetic.packer.modes.GreeterApp.line;
import static dev.hermetic.packer.modes.ValidationMatrixTests.CHECKED_OK;
import static dev.hermetic.packer.modes.ValidationMatrixTests.COMPILED;
import static dev.hermetic.packer.modes.ValidationMatrixTests.MAIN_SOURCE;
import static dev.hermetic.packer.modes.ValidationMatrixTests.SERVED_TRUSTED;
import static dev.hermetic.packer.modes.ValidationMatrixTests.SOURCE_CHANGED;
import static dev.hermetic.packer.modes.ValidationMatrixTests.UTIL_SOURCE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.packer.modes.GreeterApp.Caches;
import dev.hermetic.packer.modes.GreeterApp.Run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trusted} never reads, hashes or stats the source, shown in child JVMs with sources no check
 * could pass: an exploded archive whose {@code HERMETIC-INF/sources/app/Greeter.java} is a directory, or
 * a dangling symbolic link, loads trusted, while {@code -Dhermetic.check=always} on the same directory
 * fails naming the source; and a sealed zip whose source bytes were overwritten in place (the seal, which
 * covers the index and the central directory, still matches) serves the packed class trusted, while
 * {@code check=always} sees the changed source and recompiles it.
 */
class TrustedSourceAccessTests {
    @TempDir
    static Path tmp;

    static GreeterApp app;

    @BeforeAll
    static void compileOnce() throws IOException {
        app = GreeterApp.in(tmp);
    }

    /** The trusted archive exploded, its Greeter source replaced by a directory or by a dangling symbolic link. */
    static Path explodedWithGreeterSourceReplaced(boolean byDirectory) throws IOException {
        Path dir = app.explode(app.zip(TRUSTED, Caches.AS_COMPILED));
        Path source = dir.resolve(ArchiveLayout.SOURCES + GREETER_SOURCE);
        Files.delete(source);
        if (byDirectory) {
            Files.createDirectory(source);
        } else {
            Files.createSymbolicLink(source, source.resolveSibling("Nowhere.java"));
        }
        return dir;
    }

    @Test
    void launchWhenExplodedTrustedSourceIsADirectoryThenServedTrustedAndCheckAlwaysFailsNamingIt() throws Exception {
        assertTrustedLoadsAndAuditFails(explodedWithGreeterSourceReplaced(true), "a directory");
    }

    @Test
    void launchWhenExplodedTrustedSourceIsADanglingSymbolicLinkThenServedTrustedAndCheckAlwaysFailsNamingIt()
            throws Exception {
        assertTrustedLoadsAndAuditFails(explodedWithGreeterSourceReplaced(false), "a dangling symbolic link");
    }

    private static void assertTrustedLoadsAndAuditFails(Path dir, String what) throws Exception {
        Run trusted = launch(dir).cache(app.newDirectory("cache")).run();
        Run audit = launch(dir).option("-Dhermetic.check=always").cache(app.newDirectory("cache")).run();

        assertThat(trusted.exit()).as("%s", trusted).isZero();
        assertThat(trusted.stdout()).containsExactly(PACKED_OUTPUT);
        assertThat(trusted.verbose()).containsExactly(line(MAIN_SOURCE, SERVED_TRUSTED),
                line(GREETER_SOURCE, SERVED_TRUSTED), line(UTIL_SOURCE, SERVED_TRUSTED));
        assertThat(trusted.errors()).isEmpty();

        assertThat(audit.exit()).as("%s", audit).isEqualTo(1);
        assertThat(audit.stdout()).isEmpty();
        assertThat(audit.verbose()).containsExactly(line(MAIN_SOURCE, CHECKED_OK));
        assertThat(audit.errors()).as("%s", audit).startsWith(
                "Exception in thread \"main\" java.lang.NoClassDefFoundError: app/Greeter");
        assertThat(audit.errors()).as("%s", audit).contains("Caused by: java.lang.ClassNotFoundException: app.Greeter: "
                + dir + ": " + ArchiveLayout.SOURCES + GREETER_SOURCE + " is not a readable source file (" + what + ")");
    }

    @Test
    void launchWhenSealedZipSourceIsOverwrittenInPlaceThenServedTrustedAndCheckAlwaysRecompilesIt() throws Exception {
        Path zip = Files.copy(app.zip(TRUSTED, Caches.AS_COMPILED), app.newDirectory("overwritten").resolve("app.jar"));
        overwriteSource(zip, "Greeter v1", "Greeter v9");

        Run trusted = launch(zip).cache(app.newDirectory("cache")).run();
        Run audit = launch(zip).option("-Dhermetic.check=always").cache(app.newDirectory("cache")).run();

        // no warning: the seal still matches, so the trust flags stand, and trusted does not look
        assertThat(trusted.verbose()).as("%s", trusted).containsExactly(line(MAIN_SOURCE, SERVED_TRUSTED),
                line(GREETER_SOURCE, SERVED_TRUSTED), line(UTIL_SOURCE, SERVED_TRUSTED));
        assertThat(trusted.stdout()).containsExactly(PACKED_OUTPUT);
        assertThat(audit.verbose()).as("%s", audit).containsExactly(line(MAIN_SOURCE, CHECKED_OK),
                line(GREETER_SOURCE, SOURCE_CHANGED), line(GREETER_SOURCE, COMPILED), line(UTIL_SOURCE, CHECKED_OK));
        assertThat(audit.stdout()).containsExactly("Greeter v9 says hello!");
    }

    /** Overwrites text of the same length inside the Greeter source's stored bytes, where the index says they are. */
    private static void overwriteSource(Path zip, String from, String to) throws IOException {
        long offset;
        byte[] source;
        try (Archive archive = Archive.open(zip)) {
            Module greeter = archive.modules().stream().filter(m -> m.source().equals(GREETER_SOURCE)).findFirst()
                    .orElseThrow();
            offset = greeter.sourceOffset();
            source = archive.readSource(greeter);
        }
        String text = new String(source, StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        byte[] edited = text.replace(from, to).getBytes(StandardCharsets.UTF_8);
        assertThat(edited).hasSameSizeAs(source);
        assertThat(Arrays.equals(edited, source)).isFalse();
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(edited), offset);
        }
    }
}
