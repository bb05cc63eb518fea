package dev.hermetic.loader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hermetic.loader.archive.TestArchives;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native libraries in the archive ({@link NativeLibraries}, {@link ArchiveClassLoader#findLibrary}): a
 * real JNI library built with {@code gcc} (skipped where there is none) from a one-function C file,
 * packed at the root of a nested jar, loaded by {@code System.loadLibrary} in a child {@code java -jar}.
 */
class NativeLibrariesTests {
    /** JDK 22 and later warn on stderr when an unnamed module loads a library without it; 17 accepts it too. */
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    @TempDir
    Path dir;

    @Test
    void loadLibraryWhenTheLibraryIsInANestedJarThenExtractedOnceAndLoaded() throws Exception {
        Path gcc = Path.of("/usr/bin/gcc");
        assumeTrue(Files.isExecutable(gcc) && File.separatorChar == '/', "needs gcc");
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path c = Files.writeString(dir.resolve("answer.c"), """
                #include <jni.h>
                JNIEXPORT jint JNICALL Java_nat_Answer_answer(JNIEnv *env, jclass type) { return 42; }
                """);
        Path library = dir.resolve(System.mapLibraryName("hermeticanswer"));
        Process process = new ProcessBuilder(gcc.toString(), "-shared", "-fPIC", "-I" + javaHome.resolve("include"),
                "-I" + javaHome.resolve("include/linux"), "-o", library.toString(), c.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assumeTrue(process.exitValue() == 0, "gcc cannot build a JNI library here: " + output);
        Map<String, byte[]> classes = TestArchives.compile(dir, Map.of("nat/Answer.java", """
                package nat;
                public class Answer {
                    static { System.loadLibrary("hermeticanswer"); }
                    static native int answer();
                    public static void main(String[] args) { System.out.println("answer " + answer()); }
                }
                """));
        Path archive = TestArchives.archive("nat.Answer").launcher(Jvms.loaderClasses())
                .app("nat/Answer.class", classes.get("nat/Answer.class"))
                .lib("native.jar", TestArchives.jar(Map.of(library.getFileName().toString(), Files.readAllBytes(library))))
                .write(dir.resolve("app.jar")).path();
        Path natives = dir.resolve("natives");

        Jvms.Run first = Jvms.java(Jvms.current(), dir, NATIVE_ACCESS, "-Dhermetic.native.dir=" + natives, "-jar", archive.toString());

        assertThat(first).isEqualTo(new Jvms.Run(0, "answer 42\n", ""));
        List<Path> files = files(natives);
        assertThat(files).hasSize(1);
        Path extracted = files.get(0);
        assertThat(extracted.getFileName().toString()).isEqualTo(library.getFileName().toString());
        assertThat(extracted.getParent().getFileName().toString()).matches("[0-9a-f]{64}");
        assertThat(Files.readAllBytes(extracted)).isEqualTo(Files.readAllBytes(library));
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(extracted, written);

        Jvms.Run second = Jvms.java(Jvms.current(), dir, NATIVE_ACCESS, "-Dhermetic.native.dir=" + natives, "-jar", archive.toString());

        assertThat(second).isEqualTo(first);
        assertThat(files(natives)).containsExactly(extracted);
        assertThat(Files.getLastModifiedTime(extracted)).as("not written again").isEqualTo(written);
    }

    @Test
    void extractWhenAFileOfThatNameHasOtherBytesThenReplaced() throws IOException {
        byte[] bytes = "library bytes".getBytes(UTF_8);
        Path file = NativeLibraries.extract(dir, "libx.so", bytes);
        Files.write(file, "truncated".getBytes(UTF_8));

        Path again = NativeLibraries.extract(dir, "libx.so", bytes);

        assertThat(again).isEqualTo(file);
        assertThat(Files.readAllBytes(again)).isEqualTo(bytes);
        assertThat(files(dir)).containsExactly(file);
    }

    @Test
    void extractWhenManyThreadsExtractTheSameLibraryThenOneCompleteFileAndNoTemporaries() throws Exception {
        byte[] bytes = new byte[1 << 20];
        new java.util.Random(1).nextBytes(bytes);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> NativeLibraries.extract(dir, "libbig.so", bytes)));
            }
            for (Future<Path> result : results) {
                Path file = result.get(60, TimeUnit.SECONDS);
                assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(files(dir)).hasSize(1);
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
