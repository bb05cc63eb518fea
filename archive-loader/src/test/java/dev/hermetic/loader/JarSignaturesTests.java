package dev.hermetic.loader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hermetic.loader.archive.TestArchives;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed nested jars ({@link JarSignatures}) against the JDK's {@link URLClassLoader} over the same jar
 * on disk. The jar is signed for real: {@code keytool -genkeypair} (RSA 2048, {@code CN=Hermetic Test})
 * and {@code jarsigner} of the running JDK sign {@code signed.jar} (classes {@code s.Signed} and
 * {@code s.Other}). Tampered copies are rewritten entry by entry with {@link ZipOutputStream}, everything
 * but the one entry kept as it was.
 */
class JarSignaturesTests {
    @TempDir
    static Path shared;
    private static byte[] signedJar;
    private static byte[] otherClassEdited;

    @TempDir
    Path dir;

    @BeforeAll
    static void sign() throws Exception {
        Map<String, byte[]> classes = TestArchives.compile(shared, Map.of(
                "s/Signed.java", "package s; public class Signed { public static String hi() { return \"signed\"; } }",
                "s/Other.java", "package s; public class Other { public static String hi() { return \"other\"; } }"));
        otherClassEdited = TestArchives.compile(shared, Map.of(
                "s/Other.java", "package s; public class Other { public static String hi() { return \"EVIL!\"; } }"))
                .get("s/Other.class");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n".getBytes(UTF_8));
        entries.put("s/Signed.class", classes.get("s/Signed.class"));
        entries.put("s/Other.class", classes.get("s/Other.class"));
        Path jar = Files.write(shared.resolve("signed.jar"), TestArchives.jar(entries));
        Path keystore = shared.resolve("keys.p12");
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        run(bin.resolve("keytool").toString(), "-genkeypair", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-keypass", "changeit", "-alias", "signer", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=Hermetic Test", "-validity", "3650");
        // one digest algorithm whatever the JDK's default (SHA-256 on 17, SHA-384 on 25), so messages agree
        run(bin.resolve("jarsigner").toString(), "-keystore", keystore.toString(), "-storepass", "changeit",
                "-digestalg", "SHA-256", jar.toString(), "signer");
        signedJar = Files.readAllBytes(jar);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    /** The jar with each entry's bytes passed through {@code edit} (name, bytes) -> bytes. */
    private static byte[] rewrite(byte[] jar, BiFunction<String, byte[], byte[]> edit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar)); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                zip.putNextEntry(new ZipEntry(entry.getName()));
                zip.write(edit.apply(entry.getName(), in.readAllBytes()));
            }
        }
        return out.toByteArray();
    }

    private Path archive(byte[] jar) throws IOException {
        return TestArchives.archive("s.Signed").lib("signed.jar", jar).lib("plain.jar",
                TestArchives.jar(Map.of("p/readme.txt", new byte[] {1}))).write(dir.resolve("app.jar")).path();
    }

    private URLClassLoader jdkLoader(byte[] jar) throws IOException {
        Path file = Files.write(dir.resolve("signed-on-disk.jar"), jar);
        return new URLClassLoader(new URL[] {file.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void loadClassWhenJarIsSignedThenItsSignersAreTheCodeSourcesAsForTheJdk() throws Exception {
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(archive(signedJar));
             URLClassLoader reference = jdkLoader(signedJar)) {
            Class<?> signed = loader.loadClass("s.Signed");
            CodeSigner[] signers = signed.getProtectionDomain().getCodeSource().getCodeSigners();

            assertThat(signers).hasSize(1);
            X509Certificate certificate = (X509Certificate) signers[0].getSignerCertPath().getCertificates().get(0);
            assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=Hermetic Test");
            assertThat(signed.getProtectionDomain().getCodeSource().getCertificates())
                    .containsExactly(reference.loadClass("s.Signed").getProtectionDomain().getCodeSource().getCertificates());
            assertThat(List.of(signers)).isEqualTo(List.of(reference.loadClass("s.Signed").getProtectionDomain()
                    .getCodeSource().getCodeSigners()));
            assertThat(signed.getMethod("hi").invoke(null)).isEqualTo("signed");
            assertThat(loader.loadClass("s.Other").getProtectionDomain()).isSameAs(signed.getProtectionDomain());
        }
    }

    @Test
    void loadClassWhenSignedClassWasTamperedWithThenSecurityExceptionNamingTheJarAsTheJdkRefusesIt() throws Exception {
        byte[] tampered = rewrite(signedJar, (name, bytes) -> name.equals("s/Other.class") ? otherClassEdited : bytes);
        Throwable jdk;
        try (URLClassLoader reference = jdkLoader(tampered)) {
            reference.loadClass("s.Signed");
            jdk = catchThrowable(() -> reference.loadClass("s.Other"));
        }
        Path path = archive(tampered);
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(path)) {
            assertThat(loader.loadClass("s.Signed").getMethod("hi").invoke(null)).isEqualTo("signed");

            assertThat(jdk).isInstanceOf(SecurityException.class).hasMessage("SHA-256 digest error for s/Other.class");
            assertThatThrownBy(() -> loader.loadClass("s.Other"))
                    .isInstanceOf(SecurityException.class)
                    .hasMessage("HERMETIC-INF/lib/signed.jar in " + path + " fails signature verification: "
                            + jdk.getMessage());
        }
    }

    @Test
    void loadClassWhenSignatureBlockIsCorruptThenSecurityExceptionAsTheJdkRefusesIt() throws Exception {
        byte[] corrupt = rewrite(signedJar, (name, bytes) -> {
            if (name.endsWith(".RSA")) {
                byte[] copy = bytes.clone();
                copy[copy.length - 10] ^= 0x5A;
                return copy;
            }
            return bytes;
        });
        Throwable jdk;
        try (URLClassLoader reference = jdkLoader(corrupt)) {
            jdk = catchThrowable(() -> reference.loadClass("s.Signed"));
        }
        Path path = archive(corrupt);
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(path)) {
            assertThat(jdk).isInstanceOf(SecurityException.class);
            assertThatThrownBy(() -> loader.loadClass("s.Signed"))
                    .isInstanceOf(SecurityException.class)
                    .hasMessageStartingWith("HERMETIC-INF/lib/signed.jar in " + path + " fails signature verification: ")
                    .hasMessageEndingWith(jdk.getMessage());
        }
    }

    @Test
    void loadClassWhenEntryWasAddedAfterSigningThenItLoadsUnsignedAsForTheJdk() throws Exception {
        byte[] grown;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(signedJar)); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                zip.putNextEntry(new ZipEntry(entry.getName()));
                zip.write(in.readAllBytes());
            }
            zip.putNextEntry(new ZipEntry("u/Unsigned.class"));
            zip.write(TestArchives.compile(shared, Map.of("u/Unsigned.java", "package u; public class Unsigned { }"))
                    .get("u/Unsigned.class"));
        }
        grown = out.toByteArray();
        try (ArchiveClassLoader loader = ArchiveClassLoader.open(archive(grown)); URLClassLoader reference = jdkLoader(grown)) {
            Class<?> unsigned = loader.loadClass("u.Unsigned");

            assertThat(unsigned.getProtectionDomain().getCodeSource().getCodeSigners()).isNull();
            assertThat(reference.loadClass("u.Unsigned").getProtectionDomain().getCodeSource().getCodeSigners()).isNull();
            assertThat(loader.loadClass("s.Signed").getProtectionDomain().getCodeSource().getCodeSigners()).hasSize(1);
            assertThat(unsigned.getProtectionDomain().getCodeSource().getLocation())
                    .isEqualTo(loader.loadClass("s.Signed").getProtectionDomain().getCodeSource().getLocation());
        }
    }
}
