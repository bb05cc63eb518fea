package dev.hermetic.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A smoke test of the generator only: shape, determinism and the cache. Never timings. */
class SyntheticAppTests {
    @Test
    void generatesProtobufShapedClassesOnceAndDeterministically(@TempDir Path dir) throws Exception {
        SyntheticApp app = SyntheticApp.create(dir, 60);
        List<String> names = Files.readAllLines(app.classesDir("app").resolve("bench/classes.txt"), StandardCharsets.UTF_8);
        assertThat(names).hasSize(60).contains("app.p0.M0", "app.p0.M0$Builder", "app.p0.M0OrBuilder", "dep1.p0.M0");
        for (String name : names) {
            String module = name.substring(0, name.indexOf('.'));
            Path file = app.classesDir(module).resolve(name.replace('.', '/') + ".class");
            long size = Files.size(file);
            if (!name.endsWith("OrBuilder")) {
                assertThat(size).as(name).isBetween(2_000L, 6_500L);
            }
        }
        for (String m : SyntheticApp.modules()) {
            assertThat(app.jar(m)).isRegularFile();
            assertThat(app.storedJar(m)).isRegularFile();
        }
        byte[] jar = Files.readAllBytes(app.jar("app"));
        long before = Files.getLastModifiedTime(app.root.resolve("done")).toMillis();
        SyntheticApp again = SyntheticApp.create(dir, 60);
        assertThat(again.root).isEqualTo(app.root);
        assertThat(Files.getLastModifiedTime(again.root.resolve("done")).toMillis()).isEqualTo(before);
        SyntheticApp.deleteTree(app.root);
        SyntheticApp.create(dir, 60);
        assertThat(Files.readAllBytes(app.jar("app"))).isEqualTo(jar);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(1);
        }
    }
}
