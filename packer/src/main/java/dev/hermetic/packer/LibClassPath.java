package dev.hermetic.packer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringTokenizer;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The {@code --lib} jars with the jars their manifests' {@code Class-Path} names, in the order the JDK's
 * class path ({@code jdk.internal.loader.URLClassPath}) searches them: each jar, then the jars its
 * {@code Class-Path} names (resolved as URLs relative to the jar, each followed in turn by its own), then
 * the next jar; a jar already on the path is skipped, and so is an entry that names nothing
 * (the JDK ignores a missing {@code Class-Path} entry). Entries with a URL scheme other than
 * {@code file:} are ignored, as the JDK ignores them for a jar read from a file.
 *
 * <p>The archive nests the jars in this order, which is its class path order; the loader does not read
 * {@code Class-Path} again. A {@code Class-Path} entry naming a directory (ending in {@code /}, or an
 * existing directory) cannot be nested and is refused; one naming a directory that does not exist is
 * ignored, as it adds nothing to the JDK's class path.
 */
final class LibClassPath {
    private LibClassPath() {
    }

    /**
     * A jar to nest, read and checked ({@link NestedJar#read}), with the whole jar's CRC-32 (for its zip
     * entry) and SHA-256 (for the index) computed on the pack's threads.
     */
    record Lib(NestedJar jar, Workers.Task<Integer> crc32, Workers.Task<byte[]> sha256) {
    }

    /**
     * Queues reading and hashing the {@code --lib} jars, then following their {@code Class-Path} (a jar
     * named only by a {@code Class-Path} is queued when reached), on the pack's threads.
     *
     * @param given the {@code --lib} jars in order
     * @return the jars to nest, in class path order, when joined
     * @throws PackException at once when two {@code --lib} jars have the same file name; when joined, when
     *                       a jar cannot be nested or two have the same file name, the first in class path order
     */
    static Workers.Task<List<Lib>> expand(List<Path> given, Workers workers) throws PackException {
        Set<String> givenNames = new HashSet<>();
        for (Path path : given) {
            if (!givenNames.add(String.valueOf(path.getFileName()))) {
                throw new PackException(path, "--lib: another --lib jar has the same file name");
            }
        }
        Deque<Item> unopened = new ArrayDeque<>();
        for (Path path : given) {
            unopened.add(new Item(path, null, Queued.of(path, workers)));
        }
        return workers.submitLong(() -> expand(unopened, workers));
    }

    private static List<Lib> expand(Deque<Item> unopened, Workers workers) throws IOException {
        Set<Path> seen = new HashSet<>();
        Map<String, Path> byName = new HashMap<>();
        List<Lib> jars = new ArrayList<>();
        while (!unopened.isEmpty()) {
            Item item = unopened.pollFirst();
            Path key = item.path().toAbsolutePath().normalize();
            if (item.namedBy() != null && !Files.exists(key)) {
                continue;
            }
            if (!seen.add(key)) {
                continue; // already on the class path, as the JDK skips a URL it has opened
            }
            if (item.namedBy() != null && Files.isDirectory(key)) {
                throw new PackException(item.namedBy(), "--lib: Class-Path names directory " + item.path()
                        + "; only jars can be nested");
            }
            Lib lib = (item.queued() != null ? item.queued() : Queued.of(item.path(), workers)).join();
            String name = item.path().getFileName().toString();
            Path other = byName.putIfAbsent(name, key);
            if (other != null) {
                throw new PackException(item.path(), item.namedBy() == null
                        ? "--lib: another --lib jar has the same file name"
                        : "--lib: named by the Class-Path of " + item.namedBy() + ", has the same file name as "
                        + other);
            }
            jars.add(lib);
            List<Path> classPath = classPath(item.path());
            for (int i = classPath.size() - 1; i >= 0; i--) {
                unopened.addFirst(new Item(classPath.get(i), item.path(), null));
            }
        }
        return jars;
    }

    /**
     * A jar's read and its checksums, queued; the checksums do not wait for the read. The SHA-256, the
     * slowest (1 GB/s) and needed last, is queued first, so that a worker starts it at once while the
     * packing thread reads the jar and computes the CRC-32 itself when it needs them.
     */
    private record Queued(Workers.Task<NestedJar> jar, Workers.Task<Integer> crc32, Workers.Task<byte[]> sha256) {
        static Queued of(Path path, Workers workers) {
            Workers.Task<byte[]> sha256 = workers.submitLong(() -> Digests.of(path));
            Workers.Task<NestedJar> jar = workers.submitLong(() -> NestedJar.read(path));
            return new Queued(jar, workers.submitLong(() -> Digests.crc32(path)), sha256);
        }

        Lib join() throws IOException {
            return new Lib(jar.join(), crc32, sha256);
        }
    }

    /**
     * A jar to open: given as {@code --lib} ({@code namedBy} null), or named by a jar's {@code Class-Path};
     * with its read queued already, or null.
     */
    private record Item(Path path, Path namedBy, Queued queued) {
    }

    /** @return the paths {@code jar}'s {@code Class-Path} names, resolved as the JDK resolves them */
    static List<Path> classPath(Path jar) throws IOException {
        String value;
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            value = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        }
        List<Path> paths = new ArrayList<>();
        if (value == null) {
            return paths;
        }
        URL base = jar.toAbsolutePath().normalize().toUri().toURL();
        StringTokenizer tokens = new StringTokenizer(value);
        while (tokens.hasMoreTokens()) {
            String entry = tokens.nextToken();
            URL url;
            try {
                @SuppressWarnings("deprecation")
                URL resolved = new URL(base, entry);
                url = resolved;
            } catch (MalformedURLException e) {
                continue; // the JDK gives up this jar's Class-Path; a name it cannot parse names nothing
            }
            if (!"file".equalsIgnoreCase(url.getProtocol())) {
                continue; // URLClassPath.JarLoader.tryResolveFile: not a file, ignored
            }
            String file = decode(url.getPath());
            if (file.endsWith("/")) {
                Path directory = Path.of(file);
                if (Files.isDirectory(directory)) {
                    throw new PackException(jar, "--lib: Class-Path names directory " + directory
                            + "; only jars can be nested");
                }
                continue;
            }
            paths.add(Path.of(file).normalize());
        }
        return paths;
    }

    /** Percent-decoding of a URL's path as UTF-8, as the JDK's {@code ParseUtil.decode} ({@code +} stays). */
    private static String decode(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            int high = c == '%' && i + 2 < path.length() ? Character.digit(path.charAt(i + 1), 16) : -1;
            int low = high < 0 ? -1 : Character.digit(path.charAt(i + 2), 16);
            if (low >= 0) {
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
