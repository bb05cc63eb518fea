package dev.hermetic.loader.compile;

import dev.hermetic.loader.archive.Sha256;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A content-keyed directory of compiled modules, so that a module compiled at run time is compiled once,
 * not at every start. Safe to share between threads and between JVMs: every file is written to a
 * temporary file in the same directory and renamed into place atomically, and every read checks a
 * digest, so a reader sees a whole entry or a miss.
 *
 * <p><b>Key</b> ({@link #key}): lower-case hex SHA-256 over, in this order, each field written as a
 * 4-byte big-endian length followed by that many bytes (strings in UTF-8), so that no two different
 * inputs encode alike:
 * <ol>
 *   <li>the format tag {@code "hermetic-compile-cache/1"};</li>
 *   <li>the source's SHA-256 (32 bytes);</li>
 *   <li>the module's source name ({@code com/example/Main.java});</li>
 *   <li>the number of compiler options (as a 4-byte big-endian field of its own), then each option;</li>
 *   <li>the running JDK's full version ({@code Runtime.version()}, e.g. {@code 17.0.15+6-Debian-1deb12u1}),
 *       since another javac may produce other bytes;</li>
 *   <li>the archive binding: a string the caller derives from the archive's class path identity (its
 *       seal, say), since the same source compiles differently against other dependencies.</li>
 * </ol>
 *
 * <p><b>File</b>: {@code <key>.classes}, all numbers big-endian:
 * <pre>
 * magic      4 bytes  "HCC1"
 * key       64 bytes  the key in ASCII, binding the file to its name
 * count      4 bytes  number of classes
 * count times:
 *   nameLen  4 bytes, name (UTF-8, class-path name such as com/example/Main$1.class), names strictly ascending
 *   size     4 bytes, the class file's bytes
 * digest    32 bytes  SHA-256 of everything before it
 * </pre>
 * A file that is short, long, mis-tagged, for another key or fails its digest is a miss, and the next
 * {@link #put} replaces it. Files are not fsynced: after a crash an entry is whole or a miss.
 *
 * <p>Costs: {@link #get} reads one file and hashes it (SHA-256 runs at hundreds of MB/s); {@link #put}
 * writes one temporary file and renames it.
 */
public final class CompileCache {
    /** Files of this many bytes or more are not read: no compiled module is that large. */
    static final long MAX_FILE_SIZE = 1L << 28;
    private static final String TAG = "hermetic-compile-cache/1";
    private static final byte[] MAGIC = {'H', 'C', 'C', '1'};
    private static final String SUFFIX = ".classes";
    private static final int KEY_LENGTH = 64;
    private static final int DIGEST_LENGTH = 32;

    private final Path directory;

    private CompileCache(Path directory) {
        this.directory = directory;
    }

    /**
     * A cache in a directory, created by the first {@link #put}.
     *
     * @see #defaultDirectory()
     */
    public static CompileCache in(Path directory) {
        if (directory == null) {
            throw new IllegalArgumentException("directory is null");
        }
        return new CompileCache(directory.toAbsolutePath().normalize());
    }

    /** @return the directory */
    public Path directory() {
        return directory;
    }

    /**
     * The user's cache directory for compiled modules: {@code hermetic/compiled} under
     * {@code $XDG_CACHE_HOME} (when absolute) or {@code ~/.cache} on Linux and other Unix systems,
     * {@code ~/Library/Caches} on macOS, {@code %LOCALAPPDATA%} on Windows ({@code hermetic\cache\compiled}
     * there); under {@code java.io.tmpdir} when none of these is known.
     */
    public static Path defaultDirectory() {
        return defaultDirectory(System.getProperty("os.name", ""), System.getenv(), System.getProperty("user.home"),
                System.getProperty("java.io.tmpdir"));
    }

    static Path defaultDirectory(String osName, Map<String, String> env, String userHome, String tmpDir) {
        String os = osName.toLowerCase(Locale.ROOT);
        Path home = usable(userHome);
        Path base;
        if (os.startsWith("windows")) {
            Path local = usable(env.get("LOCALAPPDATA"));
            return (local != null ? local.resolve("hermetic").resolve("cache")
                    : Path.of(tmpDir, "hermetic", "cache")).resolve("compiled");
        } else if (os.startsWith("mac") || os.startsWith("darwin")) {
            base = home == null ? null : home.resolve("Library").resolve("Caches");
        } else {
            Path xdg = usable(env.get("XDG_CACHE_HOME"));
            base = xdg != null ? xdg : home == null ? null : home.resolve(".cache");
        }
        return (base != null ? base : Path.of(tmpDir)).resolve("hermetic").resolve("compiled");
    }

    /** @return the path, when it is given and absolute */
    private static Path usable(String path) {
        if (path == null || path.isEmpty() || path.equals("?")) {
            return null;
        }
        try {
            Path p = Path.of(path);
            return p.isAbsolute() ? p : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The key of a compiled module, as described in the class documentation, for the running JDK.
     *
     * @param sourceSha256   SHA-256 of the source's bytes (32 bytes)
     * @param sourceName     the module's source name ({@code com/example/Main.java})
     * @param options        the compiler options
     * @param archiveBinding what identifies the archive's class path (a digest of its seal, say)
     * @return 64 lower-case hex digits
     */
    public static String key(byte[] sourceSha256, String sourceName, List<String> options, String archiveBinding) {
        return key(sourceSha256, sourceName, options, archiveBinding, Runtime.version().toString());
    }

    static String key(byte[] sourceSha256, String sourceName, List<String> options, String archiveBinding,
                      String javaVersion) {
        if (sourceSha256.length != DIGEST_LENGTH) {
            throw new IllegalArgumentException("a SHA-256 has " + DIGEST_LENGTH + " bytes, not " + sourceSha256.length);
        }
        MessageDigest sha = Sha256.newDigest();
        field(sha, TAG.getBytes(StandardCharsets.UTF_8));
        field(sha, sourceSha256);
        field(sha, sourceName.getBytes(StandardCharsets.UTF_8));
        field(sha, ByteBuffer.allocate(4).putInt(options.size()).array());
        for (String option : options) {
            field(sha, option.getBytes(StandardCharsets.UTF_8));
        }
        field(sha, javaVersion.getBytes(StandardCharsets.UTF_8));
        field(sha, archiveBinding.getBytes(StandardCharsets.UTF_8));
        return Sha256.hex(sha.digest());
    }

    private static void field(MessageDigest sha, byte[] bytes) {
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    /** @return the file an entry lives in (it may not exist) */
    public Path file(String key) {
        return directory.resolve(checkKey(key) + SUFFIX);
    }

    /**
     * @return the classes stored under a key, by class-path name, sorted; null when there are none, or
     *         the file cannot be read or is damaged (a miss, never an exception)
     * @throws IllegalArgumentException when the key is not 64 lower-case hex digits
     */
    public Map<String, byte[]> get(String key) {
        Path file = file(key);
        byte[] bytes;
        try {
            if (Files.size(file) >= MAX_FILE_SIZE) {
                return null;
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return parse(key, bytes);
    }

    /** @return the classes in a cache file's bytes, or null when they are not a whole entry for the key */
    static SortedMap<String, byte[]> parse(String key, byte[] bytes) {
        int min = MAGIC.length + KEY_LENGTH + 4 + DIGEST_LENGTH;
        if (bytes.length < min || bytes.length >= MAX_FILE_SIZE
                || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || !Arrays.equals(bytes, MAGIC.length, MAGIC.length + KEY_LENGTH,
                key.getBytes(StandardCharsets.US_ASCII), 0, KEY_LENGTH)) {
            return null;
        }
        int body = bytes.length - DIGEST_LENGTH;
        MessageDigest sha = Sha256.newDigest();
        sha.update(bytes, 0, body);
        if (!MessageDigest.isEqual(sha.digest(), Arrays.copyOfRange(bytes, body, bytes.length))) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, body);
        in.position(MAGIC.length + KEY_LENGTH);
        int count = in.getInt();
        TreeMap<String, byte[]> classes = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < count; i++) {
            byte[] name = chunk(in);
            byte[] data = name == null ? null : chunk(in);
            if (data == null) {
                return null;
            }
            String n = new String(name, StandardCharsets.UTF_8);
            if (previous != null && previous.compareTo(n) >= 0) {
                return null;
            }
            classes.put(n, data);
            previous = n;
        }
        return in.hasRemaining() ? null : Collections.unmodifiableSortedMap(classes);
    }

    /** @return the next length-prefixed chunk, or null when it does not fit */
    private static byte[] chunk(ByteBuffer in) {
        if (in.remaining() < 4) {
            return null;
        }
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            return null;
        }
        byte[] chunk = new byte[length];
        in.get(chunk);
        return chunk;
    }

    /**
     * Stores classes under a key, replacing what is there, atomically: readers, in this JVM or others,
     * see the old entry, the new one or none, never part of one. When two writers put the same key at
     * once, both succeed and the last rename wins (with the same content, as the key determines it).
     *
     * @param classes class-path name to class file bytes
     * @return the file written
     * @throws IOException naming the directory, when it cannot be created or written
     */
    public Path put(String key, Map<String, byte[]> classes) throws IOException {
        Path target = file(key);
        byte[] bytes = format(key, classes);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IOException("cannot create the compile cache directory " + directory + ": " + describe(e), e);
        }
        Path temp;
        try {
            temp = Files.createTempFile(directory, key.substring(0, 16) + ".", ".tmp");
        } catch (IOException e) {
            throw new IOException("cannot write to the compile cache directory " + directory + ": " + describe(e), e);
        }
        try {
            Files.write(temp, bytes);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // another writer may hold the target open (Windows refuses to replace it then): theirs will do
            if (Arrays.equals(read(target), bytes)) {
                return target;
            }
            throw new IOException("cannot write " + target + " in the compile cache: " + describe(e), e);
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** @return the bytes of a cache file holding these classes */
    static byte[] format(String key, Map<String, byte[]> classes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.write(key.getBytes(StandardCharsets.US_ASCII));
            out.writeInt(classes.size());
            for (Map.Entry<String, byte[]> e : new TreeMap<>(classes).entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                out.writeInt(name.length);
                out.write(name);
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        MessageDigest sha = Sha256.newDigest();
        sha.update(bytes.toByteArray());
        bytes.writeBytes(sha.digest());
        return bytes.toByteArray();
    }

    private static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type + " (" + e.getMessage() + ")";
    }

    private static String checkKey(String key) {
        if (key == null || key.length() != KEY_LENGTH) {
            throw new IllegalArgumentException("a compile cache key is " + KEY_LENGTH + " hex digits, not " + key);
        }
        for (int i = 0; i < KEY_LENGTH; i++) {
            char c = key.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw new IllegalArgumentException("a compile cache key is " + KEY_LENGTH
                        + " lower-case hex digits, not " + key);
            }
        }
        return key;
    }

}
