package dev.hermetic.loader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.loader.archive.TestArchives;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What linking at exit reaches: the classes given, and those their linking defines (the verifier's
 * checks, the types reflection names), pass after pass; a class that cannot be linked is passed over.
 * That the JDK then archives them is {@code LauncherTests}' (a real dynamic CDS archive).
 */
class CacheTrainingTests {
    @TempDir
    static Path dir;
    private static Map<String, byte[]> classes;

    @BeforeAll
    static void compile() throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("t/Base.java", "package t; public class Base {}");
        sources.put("t/A.java", "package t; public class A extends Base {}");
        sources.put("t/B.java", "package t; public class B extends Base {}");
        sources.put("t/Missing.java", "package t; public class Missing extends Base {}");
        sources.put("t/Item.java", "package t; public class Item {}");
        // the verifier merges A and B into Base: linking loads both
        sources.put("t/Holder.java", "package t; public class Holder { static Item item;"
                + " static Base pick(boolean a) { return a ? new A() : new B(); } }");
        sources.put("t/Bad.java", "package t; public class Bad {"
                + " static Base pick(boolean a) { return a ? new A() : new Missing(); } }");
        classes = TestArchives.compile(dir, sources);
    }

    /** Defines the compiled classes but {@code t.Missing}, each into the queue, as the archive's loader does. */
    private static final class Recording extends ClassLoader {
        final Queue<Class<?>> defined = new ConcurrentLinkedQueue<>();

        Recording() {
            super(ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name.replace('.', '/') + ".class");
            if (bytes == null || name.equals("t.Missing")) {
                throw new ClassNotFoundException(name);
            }
            Class<?> c = defineClass(name, bytes, 0, bytes.length);
            defined.add(c);
            return c;
        }
    }

    @Test
    void linkWhenLinkingDefinesMoreClassesThenTheyAreLinkedInTheNextPasses() throws Exception {
        Recording loader = new Recording();
        Class.forName("t.Holder", false, loader);
        assertThat(loader.defined).extracting(Class::getName).containsExactly("t.Holder");

        int linked = CacheTraining.link(loader.defined);

        assertThat(loader.defined).extracting(Class::getName)
                .containsExactlyInAnyOrder("t.Holder", "t.Item", "t.A", "t.B", "t.Base");
        assertThat(linked).isEqualTo(5);
    }

    @Test
    void linkWhenAClassCannotBeLinkedThenItIsPassedOverAndTheOthersAreLinked() throws Exception {
        Recording loader = new Recording();
        Class.forName("t.Bad", false, loader);
        Class.forName("t.Holder", false, loader);

        int linked = CacheTraining.link(loader.defined);

        assertThat(loader.defined).extracting(Class::getName)
                .containsExactlyInAnyOrder("t.Bad", "t.Holder", "t.Item", "t.A", "t.B", "t.Base");
        assertThat(linked).isEqualTo(6);
    }
}
