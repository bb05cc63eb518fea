package dev.hermetic.loader.archive;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two ways in besides a sealed zip: a zip edited after packing by a real zip tool (Info-ZIP's
 * {@code zip}, which rewrites the central directory and moves entries), and an exploded directory
 * (made by unzipping a packed archive). Fixtures: {@link TestArchives} packs; the tests edit.
 */
class EditedAndExplodedArchiveTests {
    private static final byte[] MAIN_SOURCE = "package app; public class Main {}\n".getBytes(UTF_8);
    private static final byte[] MAIN_CLASS = "main cache bytes".getBytes(UTF_8);
    private static final byte[] BIG = "nested bytes that deflate well\n".repeat(100).getBytes(UTF_8);

    @TempDir
    Path dir;

    private Path pack() throws IOException {
        TestArchives.Builder builder = TestArchives.archive("app.Main").launcherManifest();
        int main = builder.module("app/Main.java", MAIN_SOURCE, ValidationMode.TRUSTED);
        Map<String, byte[]> lib = new LinkedHashMap<>();
        lib.put("lib/big.txt", BIG);
        lib.put("shared.txt", "shared from lib".getBytes(UTF_8));
        return builder
                .app("aaa/first.txt", "first entry, deleted by the edit".getBytes(UTF_8))
                .app("app/Main.class", MAIN_CLASS, main)
                .app("shared.txt", "shared from app".getBytes(UTF_8))
                .lib("lib.jar", TestArchives.jar(lib, "lib/big.txt"))
                .write(dir.resolve("app.jar")).path();
    }

    private static void run(Path workDir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static void assumeTool(String tool) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)), tool + " is not installed");
    }

    @Test
    void openWhenZipToolDeletedAnEarlyEntryThenEntriesAreRelocatedAndTrustIsNotBound() throws Exception {
        assumeTool("zip");
        Path archive = pack();
        long before;
        try (Archive sealed = Archive.open(archive)) {
            before = sealed.container(1).offset();
        }
        run(dir, "zip", "-q", "-d", archive.toString(), "HERMETIC-INF/classes/aaa/first.txt");

        try (Archive edited = Archive.open(archive)) {
            assertThat(edited.trustBound()).isFalse();
            assertThat(edited.container(1).offset()).isLessThan(before);
            assertThat(edited.find("aaa/first.txt")).isNull();
            assertThat(edited.read(edited.find("app/Main.class"))).isEqualTo(MAIN_CLASS);
            assertThat(edited.read(edited.find("lib/big.txt"))).isEqualTo(BIG);
            assertThat(edited.findAll("shared.txt")).extracting(IndexedEntry::container).containsExactly(0, 1);
            assertThat(edited.readSource(edited.module(0))).isEqualTo(MAIN_SOURCE);
            assertThat(edited.moduleOf("app/Main.class")).isZero();
        }
    }

    @Test
    void readSourceWhenZipToolReplacedTheSourceThenTheNewSourceAndItsStamp() throws Exception {
        assumeTool("zip");
        Path archive = pack();
        byte[] edited = "package app; public class Main { int edited; }\n".getBytes(UTF_8);
        Path source = Files.createDirectories(dir.resolve("edit/HERMETIC-INF/sources/app")).resolve("Main.java");
        Files.write(source, edited);
        run(dir.resolve("edit"), "zip", "-q", archive.toString(), "HERMETIC-INF/sources/app/Main.java");

        try (Archive archiveNow = Archive.open(archive)) {
            Module main = archiveNow.module(0);
            assertThat(archiveNow.trustBound()).isFalse();
            assertThat(archiveNow.readSource(main)).isEqualTo(edited);
            assertThat(archiveNow.sourceStamp(main).size()).isEqualTo(edited.length);
            assertThat(archiveNow.sourceStamp(main).timeMillis()).isNotEqualTo(main.sourceTime());
        }
    }

    @Test
    void openWhenZipToolCompressedANestedJarThenArchiveFormatExceptionNamesIt() throws Exception {
        assumeTool("zip");
        assumeTool("unzip");
        Path archive = pack();
        Path tree = Files.createDirectories(dir.resolve("tree"));
        run(tree, "unzip", "-q", archive.toString());
        // deleted and added again with -9: zip deflates the nested jar (its big entry is stored, so it
        // compresses well), which can then no longer be read in place
        run(tree, "zip", "-q", "-d", archive.toString(), "HERMETIC-INF/lib/lib.jar");
        run(tree, "zip", "-q", "-9", archive.toString(), "HERMETIC-INF/lib/lib.jar");

        assertThatThrownBy(() -> Archive.open(archive))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessage(archive + ": HERMETIC-INF/lib/lib.jar is compressed; a nested jar must be stored to be"
                        + " read in place");
    }

    private Path explode() throws Exception {
        assumeTool("unzip");
        Path archive = pack();
        Path root = Files.createDirectories(dir.resolve("exploded"));
        run(root, "unzip", "-q", archive.toString());
        return root;
    }

    @Test
    void openWhenDirectoryThenExplodedArchiveServesFilesAndNestedJars() throws Exception {
        Path root = explode();

        try (Archive exploded = Archive.open(root)) {
            assertThat(exploded.exploded()).isTrue();
            assertThat(exploded.trustBound()).isTrue();
            assertThat(exploded.identity()).startsWith("exploded ");
            assertThat(exploded.mainClass()).isEqualTo("app.Main");
            assertThat(exploded.read(exploded.find("app/Main.class"))).isEqualTo(MAIN_CLASS);
            assertThat(exploded.read(exploded.find("lib/big.txt"))).isEqualTo(BIG);
            assertThat(exploded.findAll("shared.txt")).extracting(IndexedEntry::container).containsExactly(0, 1);
            assertThat(exploded.readSource(exploded.module(0))).isEqualTo(MAIN_SOURCE);
            try (InputStream jar = exploded.open(exploded.container(1))) {
                assertThat(jar.readAllBytes()).isEqualTo(Files.readAllBytes(root.resolve("HERMETIC-INF/lib/lib.jar")));
            }
        }
    }

    @Test
    void findWhenExplodedFilesWereEditedOrDeletedThenTheFilesAsTheyAreNow() throws Exception {
        Path root = explode();
        byte[] edited = "a longer edited resource".getBytes(UTF_8);
        Files.write(root.resolve("HERMETIC-INF/classes/app/Main.class"), edited);
        Files.delete(root.resolve("HERMETIC-INF/classes/shared.txt"));

        try (Archive exploded = Archive.open(root)) {
            IndexedEntry main = exploded.find("app/Main.class");
            assertThat(exploded.read(main)).isEqualTo(edited);
            assertThat(main.module()).isZero();
            // the app's copy is gone: the library's is first now
            assertThat(exploded.findAll("shared.txt")).extracting(IndexedEntry::container).containsExactly(1);
            assertThat(exploded.entries()).extracting(IndexedEntry::name).doesNotContain("aaa/");
        }
    }

    @Test
    void sourceStampWhenExplodedSourceIsTouchedThenItsFileTime() throws Exception {
        Path root = explode();
        Path source = root.resolve("HERMETIC-INF/sources/app/Main.java");
        Files.setLastModifiedTime(source, FileTime.fromMillis(1_234_000L));

        try (Archive exploded = Archive.open(root)) {
            assertThat(exploded.sourceStamp(exploded.module(0))).isEqualTo(new Archive.Stamp(MAIN_SOURCE.length, 1_234_000L));
        }
        Files.delete(source);
        try (Archive exploded = Archive.open(root)) {
            assertThat(exploded.sourceStamp(exploded.module(0))).isNull();
            assertThat(exploded.readSource(exploded.module(0))).isNull();
        }
    }

    @Test
    void identityWhenAnExplodedClassFileChangesThenDiffers() throws Exception {
        Path root = explode();
        String before;
        try (Archive exploded = Archive.open(root)) {
            before = exploded.identity();
            assertThat(exploded.identity()).isEqualTo(before);
        }
        Files.write(root.resolve("HERMETIC-INF/classes/shared.txt"), "changed, longer than before".getBytes(UTF_8));

        try (Archive exploded = Archive.open(root)) {
            assertThat(exploded.identity()).isNotEqualTo(before);
        }
    }

    @Test
    void openWhenDirectoryHasNoIndexThenArchiveFormatException() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        assertThatThrownBy(() -> Archive.open(empty))
                .isInstanceOf(ArchiveFormatException.class)
                .hasMessage(empty + ": not an exploded Hermetic archive: no HERMETIC-INF/index");
    }

    @Test
    void entriesWhenEditedThenSortedByNameInClassPathOrder() throws Exception {
        assumeTool("zip");
        Path archive = pack();
        run(dir, "zip", "-q", "-d", archive.toString(), "HERMETIC-INF/classes/aaa/first.txt");

        try (Archive edited = Archive.open(archive)) {
            List<IndexedEntry> entries = edited.entries();
            assertThat(entries).extracting(IndexedEntry::name)
                    .containsExactly("app/Main.class", "lib/big.txt", "shared.txt", "shared.txt");
            assertThat(entries.get(2).container()).isZero();
        }
    }
}
