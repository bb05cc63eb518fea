package dev.hermetic.loader.compile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hermetic.loader.archive.TestArchives;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CompileCache} on real directories: round trips, misses, keys, damaged files (each made by
 * editing a real cache file as its test says), concurrent writers in threads and in child JVMs.
 */
class CompileCacheTests {
    private static final byte[] SHA = TestArchives.sha256("package app; class Main {}".getBytes(UTF_8));
    private static final List<String> OPTIONS = List.of("--release", "17", "-g");

    @TempDir
    Path dir;

    private static Map<String, byte[]> classes() {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        classes.put("app/Main.class", "main bytes".getBytes(UTF_8));
        classes.put("app/Main$1.class", "anonymous bytes".getBytes(UTF_8));
        classes.put("app/Main$Inner.class", new byte[0]);
        classes.put("app/\u00fcber/\u65e5\u672c.class", new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 1});
        return classes;
    }

    private static String key() {
        return CompileCache.key(SHA, "app/Main.java", OPTIONS, "seal-1");
    }

    private static void assertSameClasses(Map<String, byte[]> actual, Map<String, byte[]> expected) {
        assertThat(actual).isNotNull();
        assertThat(actual.keySet()).containsExactlyElementsOf(new TreeMap<>(expected).keySet());
        expected.forEach((name, bytes) -> assertThat(actual.get(name)).as(name).isEqualTo(bytes));
    }

    @Test
    void putWhenThenGetThenTheSameClassesComeBackSortedFromOneFileNamedByTheKey() throws IOException {
        CompileCache cache = CompileCache.in(dir.resolve("not/yet/there"));

        Path file = cache.put(key(), classes());

        assertThat(file).isEqualTo(dir.resolve("not/yet/there").resolve(key() + ".classes")).isRegularFile();
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
        assertSameClasses(cache.get(key()), classes());
        assertSameClasses(CompileCache.in(dir.resolve("not/yet/there")).get(key()), classes());
    }

    @Test
    void getWhenNothingWasPutThenNull() throws IOException {
        assertThat(CompileCache.in(dir.resolve("missing")).get(key())).isNull();
        CompileCache cache = CompileCache.in(dir);
        cache.put(CompileCache.key(SHA, "app/Other.java", OPTIONS, "seal-1"), classes());

        assertThat(cache.get(key())).isNull();
    }

    @Test
    void putWhenTheKeyIsPutAgainThenTheNewClassesReplaceTheOld() throws IOException {
        CompileCache cache = CompileCache.in(dir);
        cache.put(key(), classes());

        cache.put(key(), Map.of("app/Main.class", "other".getBytes(UTF_8)));

        assertSameClasses(cache.get(key()), Map.of("app/Main.class", "other".getBytes(UTF_8)));
    }

    @Test
    void keyWhenAnyInputChangesThenTheKeyChanges() {
        byte[] otherSha = SHA.clone();
        otherSha[31] ^= 1;
        String base = CompileCache.key(SHA, "app/Main.java", OPTIONS, "seal-1", "17.0.15+6");
        List<String> variants = List.of(
                CompileCache.key(otherSha, "app/Main.java", OPTIONS, "seal-1", "17.0.15+6"),
                CompileCache.key(SHA, "app/Other.java", OPTIONS, "seal-1", "17.0.15+6"),
                CompileCache.key(SHA, "app/Main.java", List.of("--release", "17"), "seal-1", "17.0.15+6"),
                CompileCache.key(SHA, "app/Main.java", List.of("--release", "17", "-g", ""), "seal-1", "17.0.15+6"),
                CompileCache.key(SHA, "app/Main.java", List.of("-g", "--release", "17"), "seal-1", "17.0.15+6"),
                // the same characters split differently: the length prefixes keep them apart
                CompileCache.key(SHA, "app/Main.java", List.of("--release 17", "-g"), "seal-1", "17.0.15+6"),
                CompileCache.key(SHA, "app/Main.java", List.of("--release", "17-g"), "seal-1", "17.0.15+6"),
                CompileCache.key(SHA, "app/Main.java", OPTIONS, "seal-2", "17.0.15+6"),
                CompileCache.key(SHA, "app/Main.java", OPTIONS, "seal-1", "17.0.16+8"));

        assertThat(base).matches("[0-9a-f]{64}")
                .isEqualTo(CompileCache.key(SHA, "app/Main.java", List.copyOf(OPTIONS), "seal-1", "17.0.15+6"));
        assertThat(variants).doesNotContain(base).doesNotHaveDuplicates();
        assertThat(key()).isEqualTo(CompileCache.key(SHA, "app/Main.java", OPTIONS, "seal-1",
                Runtime.version().toString()));
    }

    @Test
    void keyWhenComputedThenItIsTheSha256OfTheDocumentedEncoding() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (byte[] field : List.of("hermetic-compile-cache/1".getBytes(UTF_8), SHA, "app/Main.java".getBytes(UTF_8),
                new byte[] {0, 0, 0, 3}, "--release".getBytes(UTF_8), "17".getBytes(UTF_8), "-g".getBytes(UTF_8),
                "17.0.15+6".getBytes(UTF_8), "seal-1".getBytes(UTF_8))) {
            out.writeInt(field.length);
            out.write(field);
        }

        assertThat(CompileCache.key(SHA, "app/Main.java", OPTIONS, "seal-1", "17.0.15+6"))
                .isEqualTo(HexFormat.of().formatHex(TestArchives.sha256(bytes.toByteArray())));
    }

    @Test
    void getWhenTheKeyIsNotHexThenIllegalArgument() {
        CompileCache cache = CompileCache.in(dir);

        assertThatThrownBy(() -> cache.get("../../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a compile cache key is 64 hex digits, not ../../etc/passwd");
        assertThatThrownBy(() -> cache.get(key().toUpperCase(java.util.Locale.ROOT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a compile cache key is 64 lower-case hex digits, not ");
    }

    @Test
    void getWhenTheFileIsTruncatedAnywhereThenMissAndPutReplacesIt() throws IOException {
        CompileCache cache = CompileCache.in(dir);
        Path file = cache.put(key(), classes());
        byte[] whole = Files.readAllBytes(file);

        // every proper prefix of a real cache file, as a crash or a full disk might leave it
        for (int length = 0; length < whole.length; length++) {
            Files.write(file, Arrays.copyOf(whole, length));
            assertThat(cache.get(key())).as("truncated to %d of %d bytes", length, whole.length).isNull();
        }
        cache.put(key(), classes());
        assertSameClasses(cache.get(key()), classes());
    }

    @Test
    void getWhenAnyByteIsFlippedOrBytesAreAppendedThenMiss() throws IOException {
        CompileCache cache = CompileCache.in(dir);
        Path file = cache.put(key(), classes());
        byte[] whole = Files.readAllBytes(file);

        // each byte of a real cache file XOR 0x01 in turn: magic, key, counts, names, class bytes, digest
        for (int at = 0; at < whole.length; at++) {
            byte[] flipped = whole.clone();
            flipped[at] ^= 1;
            Files.write(file, flipped);
            assertThat(cache.get(key())).as("byte %d flipped", at).isNull();
        }
        Files.write(file, Arrays.copyOf(whole, whole.length + 1));
        assertThat(cache.get(key())).as("a byte appended").isNull();
    }

    @Test
    void getWhenTheFileBelongsToAnotherKeyThenMiss() throws IOException {
        CompileCache cache = CompileCache.in(dir);
        String other = CompileCache.key(SHA, "app/Other.java", OPTIONS, "seal-1");
        Path otherFile = cache.put(other, classes());

        // a whole, valid entry copied under the wrong name
        Files.copy(otherFile, cache.file(key()));

        assertThat(cache.get(key())).isNull();
        assertSameClasses(cache.get(other), classes());
    }

    @Test
    void getWhenTheFileIsADirectoryThenMiss() throws IOException {
        CompileCache cache = CompileCache.in(dir);
        Files.createDirectories(cache.file(key()));

        assertThat(cache.get(key())).isNull();
    }

    @Test
    void putWhenManyThreadsPutAndGetTheSameKeyAtOnceThenAllSucceedAndNoReaderSeesPartOfAnEntry()
            throws Exception {
        CompileCache cache = CompileCache.in(dir.resolve("shared"));
        Map<String, byte[]> big = new LinkedHashMap<>(classes());
        big.put("app/Big.class", new byte[64 * 1024]);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                boolean writer = t % 2 == 0;
                results.add(pool.submit((Callable<Integer>) () -> {
                    start.await();
                    int hits = 0;
                    for (int i = 0; i < 40; i++) {
                        if (writer) {
                            cache.put(key(), big);
                        }
                        Map<String, byte[]> got = cache.get(key());
                        if (got != null || writer) {
                            // a writer has put the key: from then on there is always a whole entry
                            assertSameClasses(got, big);
                            hits++;
                        }
                    }
                    return hits;
                }));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get()).isBetween(0, 40);
            }
        } finally {
            pool.shutdownNow();
        }

        assertSameClasses(cache.get(key()), big);
        try (Stream<Path> files = Files.list(dir.resolve("shared"))) {
            assertThat(files).containsExactly(cache.file(key()));
        }
    }

    @Test
    void putWhenTwoJvmsPutTheSameKeyAtOnceThenBothSucceedAndGetReturnsTheClasses() throws Exception {
        Path shared = dir.resolve("shared");

        ChildJvm.Started first = ChildJvm.start(dir, List.of(), Putter.class, shared.toString(), key(), "100");
        ChildJvm.Started second = ChildJvm.start(dir, List.of(), Putter.class, shared.toString(), key(), "100");
        ChildJvm.Run one = first.await();
        ChildJvm.Run two = second.await();

        assertThat(one).isEqualTo(new ChildJvm.Run(0, "100 puts, 100 whole gets\n", ""));
        assertThat(two).isEqualTo(new ChildJvm.Run(0, "100 puts, 100 whole gets\n", ""));
        assertSameClasses(CompileCache.in(shared).get(key()), Putter.classes());
        try (Stream<Path> files = Files.list(shared)) {
            assertThat(files).containsExactly(shared.resolve(key() + ".classes"));
        }
    }

    @Test
    void putWhenTheDirectoryCannotBeCreatedThenIOExceptionNamesIt() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        CompileCache cache = CompileCache.in(file.resolve("cache"));

        assertThatThrownBy(() -> cache.put(key(), classes()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot create the compile cache directory " + file.resolve("cache") + ": ");
        assertThat(cache.get(key())).isNull();
    }

    @Test
    void putWhenTheDirectoryIsReadOnlyThenIOExceptionNamesIt() throws IOException {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        assumeTrue(Files.getFileStore(readOnly).supportsFileAttributeView("posix"), "POSIX permissions");
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!Files.isWritable(readOnly), "not running as a user who may write anywhere (root)");
            CompileCache cache = CompileCache.in(readOnly);

            assertThatThrownBy(() -> cache.put(key(), classes()))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot write to the compile cache directory " + readOnly + ": ");
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void putWhenTheTargetCannotBeReplacedThenIOExceptionNamesIt() throws IOException {
        // a non-empty directory where the file should go: the rename cannot replace it, even as root
        CompileCache cache = CompileCache.in(dir);
        Files.createDirectories(cache.file(key()).resolve("occupied"));

        assertThatThrownBy(() -> cache.put(key(), classes()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot write " + cache.file(key()) + " in the compile cache: ");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left behind").containsExactly(cache.file(key()));
        }
    }

    @Test
    void defaultDirectoryWhenOnEachSystemThenTheUsersCacheDirectory() {
        Map<String, String> none = Map.of();
        String home = dir.resolve("home").toString();
        String tmp = dir.resolve("tmp").toString();
        String xdg = dir.resolve("xdg").toString();
        String local = dir.resolve("local").toString();

        assertThat(CompileCache.defaultDirectory("Linux", none, home, tmp))
                .isEqualTo(Path.of(home, ".cache", "hermetic", "compiled"));
        assertThat(CompileCache.defaultDirectory("Linux", Map.of("XDG_CACHE_HOME", xdg), home, tmp))
                .isEqualTo(Path.of(xdg, "hermetic", "compiled"));
        assertThat(CompileCache.defaultDirectory("FreeBSD", Map.of("XDG_CACHE_HOME", "relative"), home, tmp))
                .isEqualTo(Path.of(home, ".cache", "hermetic", "compiled"));
        assertThat(CompileCache.defaultDirectory("Mac OS X", Map.of("XDG_CACHE_HOME", xdg), home, tmp))
                .isEqualTo(Path.of(home, "Library", "Caches", "hermetic", "compiled"));
        assertThat(CompileCache.defaultDirectory("Windows 11", Map.of("LOCALAPPDATA", local), home, tmp))
                .isEqualTo(Path.of(local, "hermetic", "cache", "compiled"));
        assertThat(CompileCache.defaultDirectory("Windows 11", none, home, tmp))
                .isEqualTo(Path.of(tmp, "hermetic", "cache", "compiled"));
        assertThat(CompileCache.defaultDirectory("Linux", none, "?", tmp))
                .isEqualTo(Path.of(tmp, "hermetic", "compiled"));
        assertThat(CompileCache.defaultDirectory()).isAbsolute().endsWithRaw(Path.of("hermetic", "compiled"));
    }

    /**
     * Run in child JVMs: puts the same key again and again, checking after each put that what it gets
     * is whole. Prints the counts; a partial entry fails with an exception (exit 1).
     */
    public static final class Putter {
        static Map<String, byte[]> classes() {
            Map<String, byte[]> classes = new TreeMap<>();
            classes.put("app/Main.class", "main bytes".getBytes(UTF_8));
            classes.put("app/Big.class", new byte[128 * 1024]);
            return classes;
        }

        public static void main(String[] args) throws IOException {
            CompileCache cache = CompileCache.in(Path.of(args[0]));
            int count = Integer.parseInt(args[2]);
            Map<String, byte[]> expected = classes();
            int whole = 0;
            for (int i = 0; i < count; i++) {
                cache.put(args[1], expected);
                Map<String, byte[]> got = cache.get(args[1]);
                if (got == null || !got.keySet().equals(expected.keySet())) {
                    throw new IllegalStateException("get after put returned " + got);
                }
                for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                    if (!Arrays.equals(got.get(e.getKey()), e.getValue())) {
                        throw new IllegalStateException(e.getKey() + " differs");
                    }
                }
                whole++;
            }
            System.out.println(count + " puts, " + whole + " whole gets");
        }
    }
}
