package dev.hermetic.packer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed {@code --lib} jars: verified at pack time. The jar is signed for real by the running JDK's
 * {@code keytool} (RSA 2048) and {@code jarsigner}; the tampered copy is rewritten entry by entry with
 * {@link ZipOutputStream}, one entry's bytes changed after signing.
 */
class NestedJarTests {
    @TempDir
    static Path shared;
    private static Path signed;

    @TempDir
    Path dir;

    @BeforeAll
    static void sign() throws Exception {
        signed = shared.resolve("signed.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(signed))) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\r\n\r\n".getBytes(UTF_8));
            zip.putNextEntry(new ZipEntry("s/data.txt"));
            zip.write("signed data".getBytes(UTF_8));
        }
        Path keystore = shared.resolve("keys.p12");
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        run(bin.resolve("keytool").toString(), "-genkeypair", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-keypass", "changeit", "-alias", "signer", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=Hermetic Test", "-validity", "3650");
        // one digest algorithm whatever the JDK's default (SHA-256 on 17, SHA-384 on 25), so messages agree
        run(bin.resolve("jarsigner").toString(), "-keystore", keystore.toString(), "-storepass", "changeit",
                "-digestalg", "SHA-256", signed.toString(), "signer");
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    @Test
    void readWhenLibIsSignedAndIntactThenAccepted() throws IOException {
        NestedJar jar = NestedJar.read(signed);

        assertThat(jar.has("s/data.txt")).isTrue();
        assertThat(jar.has("META-INF/SIGNER.SF")).isTrue();
    }

    @Test
    void readWhenSignedLibWasTamperedWithThenPackExceptionNamingTheEntry() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(signed)));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                zip.putNextEntry(new ZipEntry(entry.getName()));
                zip.write(entry.getName().equals("s/data.txt") ? "forged data".getBytes(UTF_8) : bytes);
            }
        }
        Path tampered = Files.write(dir.resolve("tampered.jar"), out.toByteArray());

        assertThatThrownBy(() -> NestedJar.read(tampered))
                .isInstanceOf(PackException.class)
                .hasMessage(tampered + ": --lib: signed jar fails verification at s/data.txt: SHA-256 digest error for s/data.txt");
    }
}
