package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.write;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --reuse OLD.jar}: unchanged resources are copied from OLD compressed, without deflating them
 * again ({@link ResourceCompressor#DEFLATIONS} counts deflate runs), and the archive is byte-identical
 * to a pack without {@code --reuse}; changed, corrupt or incompatible entries are deflated as usual;
 * an OLD that is missing or not a zip is an error naming it.
 */
class ReusedArchiveTests {
    static final String MAIN = "app.Main";
    static final int RESOURCES = 40;

    @TempDir
    Path work;

    Path classes;

    @BeforeEach
    void makeInputs() throws IOException {
        Path src = work.resolve("src");
        writeSource(src, MAIN, "package app; public class Main { public static void main(String[] a) { } }");
        classes = javac(src, work.resolve("classes"), List.of());
        for (int i = 0; i < RESOURCES; i++) {
            write(classes.resolve("app/r" + i + ".txt"), ("resource " + i + " says hello\n").repeat(100));
        }
        write(classes.resolve("app/tiny.txt"), "x"); // stored: deflating does not make it smaller
    }

    Path pack(String name, Path reuse) throws IOException {
        return Packer.pack(PackOptions.builder().out(work.resolve(name)).addApp(classes).mainClass(MAIN)
                .compressResources(true).threads(3).reuse(reuse).build()).archive();
    }

    static long deflations() {
        return ResourceCompressor.DEFLATIONS.get();
    }

    @Test
    void packWhenReusingAnUnchangedArchiveThenNothingIsDeflatedAndTheBytesAreTheSame() throws IOException {
        Path old = pack("old.jar", null);
        long before = deflations();

        PackResult result = Packer.pack(PackOptions.builder().out(work.resolve("new.jar")).addApp(classes).mainClass(MAIN)
                .compressResources(true).reuse(old).build());

        assertThat(deflations() - before).isZero();
        assertThat(result.reused()).isEqualTo(RESOURCES + 1);
        assertThat(result.deflated()).isEqualTo(RESOURCES);
        assertThat(Files.readAllBytes(result.archive())).isEqualTo(Files.readAllBytes(old));
    }

    @Test
    void packWhenSomeResourcesChangedThenOnlyThoseAreDeflatedAndTheBytesEqualAFreshPack() throws IOException {
        Path old = pack("old.jar", null);
        write(classes.resolve("app/r3.txt"), "resource 3 was edited\n".repeat(100));
        write(classes.resolve("app/r4.txt"), "resource 4 says hello\n".repeat(101));
        write(classes.resolve("app/added.txt"), "a new resource\n".repeat(100));
        Path fresh = pack("fresh.jar", null);
        long before = deflations();

        Path reused = pack("reused.jar", old);

        assertThat(deflations() - before).isEqualTo(3);
        assertThat(Files.readAllBytes(reused)).isEqualTo(Files.readAllBytes(fresh));
    }

    @Test
    void packWhenTheOutputReplacesTheReusedArchiveThenItIsReusedAndReplaced() throws IOException {
        Path app = pack("app.jar", null);
        byte[] first = Files.readAllBytes(app);
        long before = deflations();

        pack("app.jar", app);

        assertThat(deflations() - before).isZero();
        assertThat(Files.readAllBytes(app)).isEqualTo(first);
    }

    @Test
    void packWhenAnEntryOfTheOldArchiveIsCorruptThenThatEntryIsDeflatedAgain() throws IOException {
        Path old = pack("old.jar", null);
        byte[] expected = Files.readAllBytes(old);
        long offset;
        try (dev.hermetic.loader.archive.Archive archive = dev.hermetic.loader.archive.Archive.open(old)) {
            offset = archive.find("app/r5.txt").dataOffset();
        }
        byte[] corrupt = expected.clone();
        corrupt[(int) offset + 3] ^= 0x55; // the deflate data no longer inflates to the same bytes
        Path broken = Files.write(work.resolve("broken.jar"), corrupt);
        long before = deflations();

        Path out = pack("new.jar", broken);

        assertThat(deflations() - before).isEqualTo(1);
        assertThat(Files.readAllBytes(out)).isEqualTo(expected);
    }

    @Test
    void packWhenTheOldArchiveWasNotCompressedThenItIsIgnoredAndEverythingIsDeflated() throws IOException {
        Path stored = Packer.pack(PackOptions.builder().out(work.resolve("stored.jar")).addApp(classes).mainClass(MAIN)
                .build()).archive();
        Path fresh = pack("fresh.jar", null);
        long before = deflations();

        Path out = pack("new.jar", stored);

        assertThat(deflations() - before).isEqualTo(RESOURCES + 1);
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(fresh));
        try (ReusedArchive archive = ReusedArchive.open(stored)) {
            assertThat(archive.ignoredBecause()).isEqualTo("it was not packed with --compress-resources"
                    + " (no Hermetic-Resource-Compression in its manifest)");
        }
    }

    @Test
    void openWhenTheOldArchiveWasCompressedByAnotherDeflaterThenNothingIsReused() throws IOException {
        // a plain jar whose manifest claims another fingerprint, with an entry of the same name and content
        byte[] content = ("resource 0 says hello\n").repeat(100).getBytes(StandardCharsets.UTF_8);
        Path other = jar().attribute(Deflated.ATTRIBUTE, "deflate level 6, probe 00000000")
                .deflated("HERMETIC-INF/classes/app/r0.txt", content).write(work.resolve("other.jar"));

        try (ReusedArchive archive = ReusedArchive.open(other)) {
            assertThat(archive.ignoredBecause()).isEqualTo("its resources were compressed differently (deflate level 6,"
                    + " probe 00000000, this JDK: " + Deflated.fingerprint() + ")");
            assertThat(archive.find("app/r0.txt", content, Deflated.crc32(content))).isNull();
        }
    }

    @Test
    void findWhenSizeCrcAndBytesMatchThenOldFormIsReturnedElseNull() throws IOException {
        Path old = pack("old.jar", null);
        byte[] content = ("resource 1 says hello\n").repeat(100).getBytes(StandardCharsets.UTF_8);
        byte[] other = ("resource 1 says hellO\n").repeat(100).getBytes(StandardCharsets.UTF_8);

        try (ReusedArchive archive = ReusedArchive.open(old)) {
            Deflated found = archive.find("app/r1.txt", content, Deflated.crc32(content));
            assertThat(found).isNotNull();
            assertThat(found.method()).isEqualTo(ZipEntry.DEFLATED);
            assertThat(found.data()).isEqualTo(Deflated.deflate(content));
            assertThat(archive.find("app/r1.txt", other, Deflated.crc32(other))).isNull();
            assertThat(archive.find("app/missing.txt", content, Deflated.crc32(content))).isNull();
            assertThat(archive.find("app/r1.txt", content, Deflated.crc32(content) + 1)).isNull();
            byte[] tiny = "x".getBytes(StandardCharsets.UTF_8);
            assertThat(archive.find("app/tiny.txt", tiny, Deflated.crc32(tiny)).method()).isEqualTo(ZipEntry.STORED);
        }
        try (ZipFile zip = new ZipFile(old.toFile())) {
            assertThat(zip.getEntry("HERMETIC-INF/classes/app/tiny.txt").getMethod()).isEqualTo(ZipEntry.STORED);
        }
    }

    @Test
    void packWhenTheOldArchiveIsMissingThenPackExceptionNamesIt() {
        Path missing = work.resolve("missing.jar");

        assertThatThrownBy(() -> pack("new.jar", missing)).isInstanceOf(PackException.class)
                .hasMessage(missing + ": --reuse: no such file or directory");
        assertThat(work.resolve("new.jar")).doesNotExist();
    }

    @Test
    void packWhenTheOldArchiveIsNotAZipThenPackExceptionNamesIt() throws IOException {
        Path text = write(work.resolve("notes.jar"), "not a zip at all\n");

        assertThatThrownBy(() -> pack("new.jar", text)).isInstanceOf(PackException.class)
                .hasMessageStartingWith(text + ": --reuse: not a zip archive (");
        assertThat(work.resolve("new.jar")).doesNotExist();
    }

    @Test
    void packWhenTheOldArchiveIsADirectoryThenPackExceptionNamesIt() {
        assertThatThrownBy(() -> pack("new.jar", classes)).isInstanceOf(PackException.class)
                .hasMessage(classes + ": --reuse: is a directory, not an archive");
    }
}
