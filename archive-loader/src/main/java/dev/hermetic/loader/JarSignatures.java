package dev.hermetic.loader;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.Container;
import dev.hermetic.loader.archive.IndexedEntry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.CodeSigner;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The signatures of one nested jar, verified as {@link java.util.jar.JarFile} verifies them, with the
 * JDK's own verifier and no extraction.
 *
 * <p>A nested jar is <em>signed</em> when its manifest has per-entry digests and its leading
 * {@code META-INF/} entries include a signature file ({@code *.SF}). Then, once per jar, the JDK's
 * {@link JarInputStream} verifies, over a small jar built in memory of the manifest, the signature files
 * and blocks and one signed entry, that the signature block signs the signature file and the signature
 * file the manifest: this gives the jar's signers (or throws {@link SecurityException} for a broken
 * signature). When each signature file's {@code *-Digest-Manifest} covers the whole manifest (as
 * {@code jarsigner} writes it), each entry served later is checked against its manifest digest alone:
 * a mismatch is {@code SecurityException: SHA-256 digest error for NAME}, the JDK's message; an entry
 * the manifest does not list is unsigned. Otherwise each entry is verified by the JDK's verifier on its
 * own (slower: a signature check per entry).
 *
 * <p>Costs: nothing for jars whose manifest has no per-entry sections; for a signed jar, reading its
 * first {@code META-INF/} entries and one signature check, then a digest per entry served.
 */
final class JarSignatures {
    static final JarSignatures UNSIGNED = new JarSignatures(null, null, null, false);

    private final Manifest manifest;
    private final Map<String, byte[]> signatureFiles;
    private final CodeSigner[] signers;
    private final boolean wholeManifestSigned;
    private final byte[] manifestBytes;

    private JarSignatures(Manifest manifest, Map<String, byte[]> signatureFiles, CodeSigner[] signers,
                          boolean wholeManifestSigned) {
        this(manifest, null, signatureFiles, signers, wholeManifestSigned);
    }

    private JarSignatures(Manifest manifest, byte[] manifestBytes, Map<String, byte[]> signatureFiles,
                          CodeSigner[] signers, boolean wholeManifestSigned) {
        this.manifest = manifest;
        this.manifestBytes = manifestBytes;
        this.signatureFiles = signatureFiles;
        this.signers = signers;
        this.wholeManifestSigned = wholeManifestSigned;
    }

    /**
     * Reads and verifies a nested jar's signatures.
     *
     * @throws SecurityException when the jar is signed and its signature does not verify
     */
    static JarSignatures of(Archive archive, Container container, Manifest manifest, byte[] manifestBytes)
            throws IOException {
        if (manifest == null || !hasEntryDigests(manifest)) {
            return UNSIGNED;
        }
        Map<String, byte[]> signatureFiles = leadingSignatureFiles(archive, container);
        if (!hasSignatureFile(signatureFiles)) {
            return UNSIGNED;
        }
        IndexedEntry probe = null;
        for (String name : manifest.getEntries().keySet()) {
            probe = entry(archive, container, name);
            if (probe != null && !probe.directory()) {
                break;
            }
            probe = null;
        }
        if (probe == null) {
            return UNSIGNED;
        }
        CodeSigner[] signers = verifyWithJdk(manifestBytes, signatureFiles, probe.name(), archive.read(probe));
        if (signers == null) {
            // the JDK's verifier does not accept the signature (an algorithm it does not support, say):
            // it would serve the entries unsigned, and so do we
            return UNSIGNED;
        }
        return new JarSignatures(manifest, manifestBytes, signatureFiles, signers,
                coversWholeManifest(signatureFiles, manifestBytes));
    }

    /** @return whether this jar is signed */
    boolean signed() {
        return signers != null;
    }

    /**
     * The signers of an entry's bytes.
     *
     * @return the jar's signers, or null for an entry the signature does not cover
     * @throws SecurityException when the bytes do not match the signed digest
     */
    CodeSigner[] signersOf(String name, byte[] bytes) {
        if (signers == null) {
            return null;
        }
        Attributes section = manifest.getAttributes(name);
        if (section == null) {
            return null;
        }
        if (!wholeManifestSigned) {
            try {
                return verifyWithJdk(manifestBytes, signatureFiles, name, bytes);
            } catch (IOException e) {
                throw new SecurityException("cannot verify " + name + ": " + e.getMessage(), e);
            }
        }
        boolean verified = false;
        for (Map.Entry<Object, Object> attribute : section.entrySet()) {
            String key = attribute.getKey().toString();
            if (!key.toUpperCase(Locale.ROOT).endsWith("-DIGEST")) {
                continue;
            }
            String algorithm = key.substring(0, key.length() - "-Digest".length());
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException unsupported) {
                continue;
            }
            byte[] expected;
            try {
                expected = Base64.getMimeDecoder().decode(attribute.getValue().toString());
            } catch (IllegalArgumentException malformed) {
                throw new SecurityException("invalid " + algorithm + " digest for " + name + " in the manifest");
            }
            if (!MessageDigest.isEqual(expected, digest.digest(bytes))) {
                throw new SecurityException(digest.getAlgorithm() + " digest error for " + name);
            }
            verified = true;
        }
        return verified ? signers.clone() : null;
    }

    private static boolean hasEntryDigests(Manifest manifest) {
        for (Attributes section : manifest.getEntries().values()) {
            for (Object key : section.keySet()) {
                if (key.toString().toUpperCase(Locale.ROOT).endsWith("-DIGEST")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasSignatureFile(Map<String, byte[]> files) {
        for (String name : files.keySet()) {
            if (name.endsWith(".SF")) {
                return true;
            }
        }
        return false;
    }

    private static IndexedEntry entry(Archive archive, Container container, String name) throws IOException {
        for (IndexedEntry entry : archive.findAll(name)) {
            if (entry.container() == container.id()) {
                return entry;
            }
        }
        return null;
    }

    /**
     * The signature files and blocks among the jar's leading {@code META-INF/} entries, where
     * {@code jarsigner} puts them and where {@link JarInputStream} needs them; read sequentially from the
     * jar's start, up to its first entry outside {@code META-INF/}.
     */
    private static Map<String, byte[]> leadingSignatureFiles(Archive archive, Container container) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream jar = archive.open(container); ZipInputStream zip = new ZipInputStream(jar)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (!name.toUpperCase(Locale.ROOT).startsWith("META-INF/")) {
                    break;
                }
                if (isSignatureFile(name)) {
                    files.put(name.toUpperCase(Locale.ROOT), zip.readAllBytes());
                }
            }
        }
        return files;
    }

    /** {@code META-INF/NAME.SF}, {@code .RSA}, {@code .DSA}, {@code .EC}: what the JDK treats as signature-related. */
    private static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC");
    }

    /** Whether every signature file's {@code *-Digest-Manifest} matches the whole manifest. */
    private static boolean coversWholeManifest(Map<String, byte[]> files, byte[] manifestBytes) throws IOException {
        List<Boolean> results = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            if (!file.getKey().endsWith(".SF")) {
                continue;
            }
            Attributes main = new Manifest(new ByteArrayInputStream(file.getValue())).getMainAttributes();
            boolean matched = false;
            for (Map.Entry<Object, Object> attribute : main.entrySet()) {
                String key = attribute.getKey().toString();
                if (!key.toUpperCase(Locale.ROOT).endsWith("-DIGEST-MANIFEST")) {
                    continue;
                }
                try {
                    MessageDigest digest = MessageDigest.getInstance(key.substring(0, key.length() - "-Digest-Manifest".length()));
                    matched |= MessageDigest.isEqual(Base64.getMimeDecoder().decode(attribute.getValue().toString()),
                            digest.digest(manifestBytes));
                } catch (NoSuchAlgorithmException | IllegalArgumentException unusable) {
                    // another attribute may match
                }
            }
            results.add(matched);
        }
        return !results.isEmpty() && !results.contains(Boolean.FALSE);
    }

    /**
     * Verifies one entry with the JDK's {@link JarInputStream}: a jar of the manifest, the signature files
     * and the entry, built in memory.
     *
     * @return the entry's signers, or null when it is not signed
     * @throws SecurityException when a signature or digest does not verify
     */
    private static CodeSigner[] verifyWithJdk(byte[] manifestBytes, Map<String, byte[]> signatureFiles, String name,
                                              byte[] bytes) throws IOException {
        ByteArrayOutputStream jar = new ByteArrayOutputStream(manifestBytes.length + bytes.length + 4096);
        try (ZipOutputStream zip = new ZipOutputStream(jar)) {
            zip.putNextEntry(new ZipEntry(ClassPathLookup.MANIFEST));
            zip.write(manifestBytes);
            for (Map.Entry<String, byte[]> file : signatureFiles.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
            }
            zip.putNextEntry(new ZipEntry(name));
            zip.write(bytes);
        }
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar.toByteArray()), true)) {
            for (JarEntry entry; (entry = in.getNextJarEntry()) != null; ) {
                if (entry.getName().equals(name)) {
                    in.readAllBytes();
                    return entry.getCodeSigners();
                }
            }
        }
        return null;
    }
}
