package dev.hermetic.packer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packer under faults, in child JVMs and on a full file system: a pack killed with SIGKILL leaves
 * the previous output intact and its debris is removed by the next pack; a full disk (a 1 MiB tmpfs
 * where mounting one is allowed, and everywhere a child JVM under {@code ulimit -f}) is a clear error
 * with no partial output.
 */
class PackerFaultTests {
    @TempDir
    Path tmp;

    /** A jar with {@code app/Main.class} (stand-in bytes) and {@code big.bin}: {@code size} zero bytes, STORED. */
    private Path lib(String name, int size) throws IOException {
        Path jar = tmp.resolve(name);
        byte[] zeros = new byte[size];
        CRC32 crc = new CRC32();
        crc.update(zeros);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("app/Main.class"));
            zip.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
            ZipEntry big = new ZipEntry("big.bin");
            big.setMethod(ZipEntry.STORED);
            big.setSize(size);
            big.setCompressedSize(size);
            big.setCrc(crc.getValue());
            zip.putNextEntry(big);
            zip.write(zeros);
        }
        return jar;
    }

    private static PackOptions options(Path out, Path lib) {
        return PackOptions.builder().out(out).addLib(lib).mainClass("app.Main").build();
    }

    private static List<String> debris(Path directory, Path out) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("." + out.getFileName() + ".") && n.endsWith(".hermetic-tmp")).toList();
        }
    }

    @Test
    void packWhenKilledWithSigkillMidwayThenThePreviousOutputIsIntactAndTheNextPackRemovesTheDebris() throws Exception {
        Path out = tmp.resolve("out").resolve("app.jar");
        Files.createDirectories(out.getParent());
        Packer.pack(options(out, lib("small.jar", 10)));
        byte[] previous = Files.readAllBytes(out);
        Path big = lib("big.jar", 300 << 20);

        // a child JVM packs the 300 MiB jar; it is killed (SIGKILL) as soon as its temporary file exists
        Process child = new ProcessBuilder(TestFixtures.jdkTool("java"), "-cp", TestFixtures.testClassPath(),
                "dev.hermetic.packer.cli.PackerCli", "pack", "--out", out.toString(), "--lib", big.toString(),
                "--main-class", "app.Main").redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (debris(out.getParent(), out).isEmpty() && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed, not finished: " + Files.readString(tmp.resolve("child.log"))).isEqualTo(137);

        assertThat(Files.readAllBytes(out)).as("previous output").isEqualTo(previous);
        assertThat(debris(out.getParent(), out)).as("the killed pack's temporary file").hasSize(1);

        Packer.pack(options(out, lib("next.jar", 20)));
        assertThat(debris(out.getParent(), out)).as("debris after the next pack").isEmpty();
        assertThat(Files.readAllBytes(out)).isNotEqualTo(previous);
    }

    @Test
    void removeStaleTemporariesWhenAPackIsAliveOrTheNameIsForeignThenItsFileIsKept() throws IOException {
        Path out = tmp.resolve("app.jar");
        Path live = Files.createFile(tmp.resolve(".app.jar." + ProcessHandle.current().pid() + ".123.hermetic-tmp"));
        Path foreign = Files.createFile(tmp.resolve(".app.jar.8837261.hermetic-tmp"));
        Path other = Files.createFile(tmp.resolve(".other.jar.999999999.1.hermetic-tmp"));
        Path dead = Files.createFile(tmp.resolve(".app.jar.999999999.1.hermetic-tmp"));

        Packer.removeStaleTemporaries(tmp, out);

        assertThat(live).exists();
        assertThat(foreign).exists();
        assertThat(other).exists();
        assertThat(dead).doesNotExist();
    }

    @Test
    void packWhenTheDiskIsFullThenAClearErrorAndNoPartialOutput() throws Exception {
        // a 1 MiB tmpfs (needs root, as on our machines and CI), and a 2 MiB jar to pack into it
        Path mount = Files.createDirectories(tmp.resolve("full"));
        Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        assumeTrue(mounting.waitFor() == 0, "cannot mount a tmpfs here: " + new String(mounting.getInputStream().readAllBytes()));
        try {
            Path out = mount.resolve("app.jar");
            Path lib = lib("two-mib.jar", 2 << 20);
            assertThatThrownBy(() -> Packer.pack(options(out, lib)))
                    .isInstanceOf(PackException.class)
                    .hasMessage(out + ": cannot write the archive: No space left on device");
            assertThat(out).doesNotExist();
            try (Stream<Path> left = Files.list(mount)) {
                assertThat(left).isEmpty();
            }
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor();
        }
    }

    /**
     * The full disk without root: a child JVM packs under {@code ulimit -f 1024} (1 MiB, in bash's
     * 1024-byte blocks). The JVM ignores SIGXFSZ, so a write past the limit fails with {@code EFBIG}, an
     * {@code IOException} saying {@code File too large}, as a full disk's {@code ENOSPC} does.
     */
    @Test
    void packWhenTheFileSizeLimitIsReachedThenAClearErrorAndNoPartialOutput() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "no /bin/bash to set ulimit -f");
        Path directory = Files.createDirectories(tmp.resolve("limited"));
        Path out = directory.resolve("app.jar");
        Packer.pack(options(out, lib("small.jar", 10)));
        byte[] previous = Files.readAllBytes(out);
        Path lib = lib("two-mib.jar", 2 << 20);

        Process child = new ProcessBuilder("/bin/bash", "-c", "ulimit -f 1024 && exec \"$@\"", "bash",
                TestFixtures.jdkTool("java"), "-cp", TestFixtures.testClassPath(), "dev.hermetic.packer.cli.PackerCli",
                "pack", "--out", out.toString(), "--lib", lib.toString(), "--main-class", "app.Main")
                .redirectOutput(tmp.resolve("child.out").toFile()).redirectError(tmp.resolve("child.err").toFile()).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();

        String stderr = Files.readString(tmp.resolve("child.err"));
        assertThat(child.exitValue()).as(stderr).isEqualTo(1);
        assertThat(stderr).isEqualTo("packer: " + out + ": cannot write the archive: File too large" + System.lineSeparator());
        assertThat(Files.readAllBytes(out)).as("previous output").isEqualTo(previous);
        assertThat(debris(directory, out)).as("temporary files").isEmpty();
        try (Stream<Path> left = Files.list(directory)) {
            assertThat(left).containsExactly(out);
        }
    }

}
