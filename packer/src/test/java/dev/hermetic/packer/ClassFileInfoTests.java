package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClassFileInfo#parse} on class files made by the JDK's compiler. The sources use every kind of
 * constant-pool entry javac emits for Java 17 code (long and double constants, which take two slots,
 * method handles and invokedynamic from lambdas and string concatenation, module and package entries of
 * a {@code module-info.class}), so a parser that mis-sizes one of them reads garbage for the attributes.
 */
class ClassFileInfoTests {
    static final String GREETER = """
            package p;

            import java.util.function.Supplier;

            public class Greeter {
                static final long BIG = 1234567890123L;
                static final double RATIO = 2.5;
                static long counter = BIG;
                static double scale = RATIO;
                float f = 1.5f;
                int i = 100_000;

                public String greet(String name) {
                    Supplier<String> s = () -> "hello, " + name + " " + counter + " " + scale;
                    Runnable r = new Runnable() {
                        @Override
                        public void run() {
                            counter++;
                        }
                    };
                    r.run();
                    return s.get();
                }
            }

            class Helper {
            }
            """;

    @TempDir
    static Path tmp;

    static Path withDebug;
    static Path withoutDebug;
    static Path release8;

    @BeforeAll
    static void compile() throws IOException {
        Path src = tmp.resolve("src");
        writeSource(src, "p.Greeter", GREETER);
        writeSource(src, "module-info", "module greeter { exports p; }\n");
        withDebug = javac(src, tmp.resolve("debug"), List.of());
        withoutDebug = javac(src, tmp.resolve("none"), List.of("-g:none"));
        Path src8 = tmp.resolve("src8");
        writeSource(src8, "p.Greeter", GREETER);
        release8 = javac(src8, tmp.resolve("release8"), List.of("--release", "8"));
    }

    static byte[] bytes(Path classes, String name) throws IOException {
        return Files.readAllBytes(classes.resolve(name));
    }

    @Test
    void parseWhenCompiledForRelease17ThenMajorIs61AndSourceFileNamesTheSource() throws IOException {
        for (String name : List.of("p/Greeter.class", "p/Greeter$1.class", "p/Helper.class")) {
            ClassFileInfo info = ClassFileInfo.parse(bytes(withDebug, name));
            assertThat(info).as(name).isEqualTo(new ClassFileInfo(61, "Greeter.java"));
        }
    }

    @Test
    void parseWhenCompiledWithGNoneThenSourceFileIsNull() throws IOException {
        for (String name : List.of("p/Greeter.class", "p/Greeter$1.class", "p/Helper.class", "module-info.class")) {
            assertThat(ClassFileInfo.parse(bytes(withoutDebug, name))).as(name).isEqualTo(new ClassFileInfo(61, null));
        }
    }

    @Test
    void parseWhenCompiledForRelease8ThenMajorIs52() throws IOException {
        assertThat(ClassFileInfo.parse(bytes(release8, "p/Greeter.class"))).isEqualTo(new ClassFileInfo(52, "Greeter.java"));
    }

    @Test
    void parseWhenModuleInfoThenReadsPastModuleAndPackageConstants() throws IOException {
        assertThat(ClassFileInfo.parse(bytes(withDebug, "module-info.class"))).isEqualTo(new ClassFileInfo(61, "module-info.java"));
    }

    @Test
    void parseWhenTheAttributeNameIsSourceFileInAnotherEncodingThenStillReadsTheSource() throws IOException {
        byte[] plain = bytes(withDebug, "p/Greeter.class");
        // the UTF-8 constant "SourceFile" (tag 1, length 10), then the same name with S as a two-byte
        // sequence, which the JVM's modified UTF-8 decoder (DataInputStream.readUTF) reads as S too
        byte[] ascii = {1, 0, 10, 'S', 'o', 'u', 'r', 'c', 'e', 'F', 'i', 'l', 'e'};
        byte[] twoByteS = {1, 0, 11, (byte) 0xC1, (byte) 0x93, 'o', 'u', 'r', 'c', 'e', 'F', 'i', 'l', 'e'};
        int at = indexOf(plain, ascii);
        byte[] reencoded = new byte[plain.length + 1];
        System.arraycopy(plain, 0, reencoded, 0, at);
        System.arraycopy(twoByteS, 0, reencoded, at, twoByteS.length);
        System.arraycopy(plain, at + ascii.length, reencoded, at + twoByteS.length, plain.length - at - ascii.length);

        assertThat(ClassFileInfo.parse(reencoded)).isEqualTo(new ClassFileInfo(61, "Greeter.java"));
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void parseWhenTruncatedAnywhereThenFailsSayingSo() throws IOException {
        for (Path classes : List.of(withDebug, withoutDebug)) {
            byte[] whole = bytes(classes, "p/Greeter.class");
            for (int length = 0; length < whole.length; length++) {
                byte[] truncated = Arrays.copyOf(whole, length);
                assertThatThrownBy(() -> ClassFileInfo.parse(truncated))
                        .as("%s cut to %d of %d bytes", classes.getFileName(), length, whole.length)
                        .isExactlyInstanceOf(IOException.class)
                        .hasMessage("truncated class file");
            }
        }
    }

    @Test
    void parseWhenMagicIsWrongThenFailsSayingItIsNotAClassFile() throws IOException {
        byte[] bytes = bytes(withDebug, "p/Greeter.class");
        bytes[0] = (byte) 0xCB;
        assertThatThrownBy(() -> ClassFileInfo.parse(bytes))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("not a class file (bad magic)");
        byte[] text = "package p; class Greeter {}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ClassFileInfo.parse(text))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("not a class file (bad magic)");
    }

    @Test
    void parseWhenConstantPoolHasAnUnknownTagThenFailsNamingTagAndIndex() throws IOException {
        byte[] bytes = bytes(withDebug, "p/Greeter.class");
        // magic (4), minor (2), major (2), constant pool count (2), then the tag of constant #1
        bytes[10] = 2;
        assertThatThrownBy(() -> ClassFileInfo.parse(bytes))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("unknown constant pool tag 2 at index 1");
    }
}
