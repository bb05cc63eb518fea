package dev.hermetic.loader.archive;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, which every JDK has: the helpers the loader's packages share (the {@code digest} integrity
 * level, source hashes, the compile cache's and native libraries' content keys). A class of its own, so
 * that a trusted launch never loads it, nor the exception classes its lookup declares.
 */
public final class Sha256 {
    private Sha256() {
    }

    /** @return a new SHA-256 digest */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** @return the SHA-256 of some bytes */
    public static byte[] of(byte[] bytes) {
        return newDigest().digest(bytes);
    }

    /** @return the bytes in lower-case hex */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
