package dev.hermetic.packer.modes;

import static dev.hermetic.loader.archive.ValidationMode.CHECKED;
import static dev.hermetic.loader.archive.ValidationMode.TRUSTED;
import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.write;
import static dev.hermetic.packer.modes.GreeterApp.EDITED_OUTPUT;
import static dev.hermetic.packer.modes.GreeterApp.GREETER_CLASS;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.IndexWriter;
import dev.hermetic.packer.TestFixtures;
import dev.hermetic.packer.modes.GreeterApp.Caches;
import dev.hermetic.packer.modes.GreeterApp.Run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trust is bound to the archive: a trusted archive edited after packing with the real Info-ZIP
 * {@code zip} tool (which rewrites the central directory, so the seal no longer matches) is served with
 * one warning, its trusted modules checked instead: by source hash, and by the CRC-32 the index recorded
 * for each cache. Each fixture is the trusted archive copied, then one entry replaced with
 * {@code zip -q ARCHIVE NAME} run in a directory holding the new {@code NAME}. An exploded directory, which
 * has no seal, keeps its recorded modes: a replaced class is served by a {@code trusted} module and
 * detected by its CRC-32 in a {@code checked} one. An entry replaced in place, which moves nothing, is
 * found by the central directory's CRC-32 when the first module with a source is decided.
 */
class TrustBindingTests {
    static final String REPLACED_CLASS_OUTPUT = "a replaced class says hello!";

    @TempDir
    static Path tmp;

    static GreeterApp app;

    @BeforeAll
    static void compileOnce() throws IOException {
        app = GreeterApp.in(tmp);
    }

    /** A copy of the trusted archive with {@code name} replaced by {@code bytes}, by Info-ZIP {@code zip}. */
    static Path editedWithZip(String name, byte[] bytes) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/zip")), "Info-ZIP zip is not installed");
        Path dir = app.newDirectory("zip-edit");
        Path archive = Files.copy(app.zip(TRUSTED, Caches.AS_COMPILED), dir.resolve("edited.jar"));
        Path staging = dir.resolve("staging");
        write(staging.resolve(name), bytes);
        TestFixtures.Result zip = TestFixtures.run(staging, List.of("/usr/bin/zip", "-q", archive.toString(), name));
        assertThat(zip.exit()).as("zip: %s", zip).isZero();
        return archive;
    }

    static String warning(Path archive, String consequence) {
        return "[hermetic] warning: " + archive + " was modified after packing (its central directory no longer"
                + " matches the seal): " + consequence;
    }

    static final String CHECKING_INSTEAD = "trust flags are not honoured, checking instead";

    @Test
    void launchWhenZipToolReplacedTheSourceThenWarnsOnceChecksTrustedModulesAndRecompilesTheEditedOne() throws Exception {
        Path archive = editedWithZip(ArchiveLayout.SOURCES + GREETER_SOURCE,
                GreeterApp.EDITED_GREETER_JAVA.getBytes(StandardCharsets.UTF_8));
        Path cache = app.newDirectory("cache");

        Run first = launch(archive).cache(cache).run();
        Run second = launch(archive).cache(cache).run();

        assertThat(first.verbose()).as("%s", first).containsExactly(warning(archive, CHECKING_INSTEAD),
                line(MAIN_SOURCE, CHECKED_OK), line(GREETER_SOURCE, SOURCE_CHANGED), line(GREETER_SOURCE, COMPILED),
                line(UTIL_SOURCE, CHECKED_OK));
        assertThat(first.stdout()).containsExactly(EDITED_OUTPUT);
        assertThat(first.errors()).isEmpty();
        // the edited archive has an identity of its own: the next start hits the cache
        assertThat(second.verbose()).as("%s", second).containsExactly(warning(archive, CHECKING_INSTEAD),
                line(MAIN_SOURCE, CHECKED_OK), line(GREETER_SOURCE, SOURCE_CHANGED),
                line(GREETER_SOURCE, "cache hit CACHE/KEY.classes"), line(UTIL_SOURCE, CHECKED_OK));
        assertThat(second.stdout()).containsExactly(EDITED_OUTPUT);
    }

    @Test
    void launchWhenASourceIsReplacedInPlaceByOneOfTheSameSizeThenTheCentralDirectoryCheckFindsItAndRecompiles()
            throws Exception {
        // fixture: the trusted archive with Greeter.java's stored bytes overwritten by a source of the same
        // length and its CRC-32 updated in the local header and the central record, as an in-place editor
        // would: nothing moves, so opening (which reads no central directory) sees a sealed archive, and
        // the first module with a source makes the loader check the central directory's CRC-32
        Path archive = app.newDirectory("in-place").resolve("edited.jar");
        Files.copy(app.zip(TRUSTED, Caches.AS_COMPILED), archive);
        byte[] edited = GreeterApp.greeter("Greeter v2 says hello").getBytes(StandardCharsets.UTF_8);
        assertThat(edited).hasSameSizeAs(GreeterApp.GREETER_JAVA.getBytes(StandardCharsets.UTF_8));
        replaceStoredInPlace(archive, ArchiveLayout.SOURCES + GREETER_SOURCE, edited);

        Run run = launch(archive).cache(app.newDirectory("cache")).run();

        assertThat(run.verbose()).as("%s", run).containsExactly(warning(archive, CHECKING_INSTEAD),
                line(MAIN_SOURCE, CHECKED_OK), line(GREETER_SOURCE, SOURCE_CHANGED), line(GREETER_SOURCE, COMPILED),
                line(UTIL_SOURCE, CHECKED_OK));
        assertThat(run.stdout()).containsExactly("Greeter v2 says hello!");
        assertThat(run.errors()).isEmpty();
    }

    /** Overwrites a STORED entry's bytes with as many others and puts their CRC-32 in both its headers. */
    static void replaceStoredInPlace(Path archive, String name, byte[] bytes) throws IOException {
        byte[] file = Files.readAllBytes(archive);
        ByteBuffer zip = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int end = file.length - 22 - IndexWriter.SEAL_LENGTH;
        CRC32 crc = new CRC32();
        crc.update(bytes);
        boolean found = false;
        for (int at = zip.getInt(end + 16); at < zip.getInt(end + 16) + zip.getInt(end + 12); ) {
            int nameLength = Short.toUnsignedInt(zip.getShort(at + 28));
            if (name.equals(new String(file, at + 46, nameLength, StandardCharsets.UTF_8))) {
                int local = zip.getInt(at + 42);
                assertThat(zip.getShort(at + 10)).as("method of " + name).isZero();
                assertThat(zip.getInt(at + 24)).as("size of " + name).isEqualTo(bytes.length);
                int data = local + 30 + Short.toUnsignedInt(zip.getShort(local + 26)) + Short.toUnsignedInt(zip.getShort(local + 28));
                System.arraycopy(bytes, 0, file, data, bytes.length);
                zip.putInt(at + 16, (int) crc.getValue()).putInt(local + 14, (int) crc.getValue());
                found = true;
            }
            at += 46 + nameLength + Short.toUnsignedInt(zip.getShort(at + 30)) + Short.toUnsignedInt(zip.getShort(at + 32));
        }
        assertThat(found).as(name + " in " + archive).isTrue();
        Files.write(archive, file);
    }

    @Test
    void launchWhenZipToolReplacedAClassThenItsChangedCrcMakesItStaleAndItIsRecompiledFromTheUnchangedSource()
            throws Exception {
        Path archive = editedWithZip(ArchiveLayout.CLASSES + GREETER_CLASS, replacedGreeterClass());

        Run run = launch(archive).cache(app.newDirectory("cache")).run();

        assertThat(run.verbose()).as("%s", run).containsExactly(warning(archive, CHECKING_INSTEAD),
                line(MAIN_SOURCE, CHECKED_OK),
                line(GREETER_SOURCE, "stale: cache " + GREETER_CLASS + " changed after packing"),
                line(GREETER_SOURCE, COMPILED), line(UTIL_SOURCE, CHECKED_OK));
        assertThat(run.stdout()).containsExactly(PACKED_OUTPUT);
        assertThat(run.exit()).isZero();
    }

    @Test
    void launchWhenZipToolReplacedAClassAndCheckIsNeverThenWarnsAndServesTheReplacedClass() throws Exception {
        Path archive = editedWithZip(ArchiveLayout.CLASSES + GREETER_CLASS, replacedGreeterClass());

        Run run = launch(archive).option("-Dhermetic.check=never").cache(app.newDirectory("cache")).run();

        // never trusts everything, edited archive or not: documented, and the warning says so
        assertThat(run.verbose()).as("%s", run).containsExactly(
                warning(archive, "check=never serves its caches unchecked"), line(MAIN_SOURCE, SERVED_TRUSTED),
                line(GREETER_SOURCE, SERVED_TRUSTED), line(UTIL_SOURCE, SERVED_TRUSTED));
        assertThat(run.stdout()).containsExactly(REPLACED_CLASS_OUTPUT);
    }

    @Test
    void launchWhenExplodedClassIsReplacedThenTrustedServesItAndCheckedDetectsItsCrcAndRecompiles() throws Exception {
        // a directory has no seal: its recorded modes apply as they are, and checked compares caches' CRC-32
        byte[] replaced = replacedGreeterClass();
        Path trustedDir = app.explode(app.zip(TRUSTED, Caches.AS_COMPILED));
        Path checkedDir = app.explode(app.zip(CHECKED, Caches.AS_COMPILED));
        Files.write(trustedDir.resolve(ArchiveLayout.CLASSES + GREETER_CLASS), replaced);
        Files.write(checkedDir.resolve(ArchiveLayout.CLASSES + GREETER_CLASS), replaced);

        Run trusted = launch(trustedDir).cache(app.newDirectory("cache")).run();
        Run checked = launch(checkedDir).cache(app.newDirectory("cache")).run();

        assertThat(trusted.verbose()).as("%s", trusted).containsExactly(line(MAIN_SOURCE, SERVED_TRUSTED),
                line(GREETER_SOURCE, SERVED_TRUSTED), line(UTIL_SOURCE, SERVED_TRUSTED));
        assertThat(trusted.stdout()).containsExactly(REPLACED_CLASS_OUTPUT);
        assertThat(checked.verbose()).as("%s", checked).containsExactly(line(MAIN_SOURCE, CHECKED_OK),
                line(GREETER_SOURCE, "stale: cache " + GREETER_CLASS + " changed after packing"),
                line(GREETER_SOURCE, COMPILED), line(UTIL_SOURCE, CHECKED_OK));
        assertThat(checked.stdout()).containsExactly(PACKED_OUTPUT);
    }

    /** app/Greeter.class compiled from another source than the packed one. */
    static byte[] replacedGreeterClass() throws IOException {
        Path dir = app.newDirectory("replaced");
        write(dir.resolve("src").resolve(GREETER_SOURCE), GreeterApp.greeter("a replaced class says hello"));
        Path classes = javac(dir.resolve("src"), dir.resolve("classes"), List.of());
        return Files.readAllBytes(classes.resolve(GREETER_CLASS));
    }
}
