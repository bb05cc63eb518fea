package dev.hermetic.loader;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LauncherClassTableTests {
    @Test
    void writeWhenTwoClassesAndAResourceThenHeaderRowsNamesAndClassFilesInHashOrder() {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        classes.put("b/B.class", new byte[] {1, 2, 3});
        classes.put("a/A.class", new byte[] {4});
        classes.put("a/a.txt", new byte[] {5}); // not a class: left out
        // "a.A" hashes below "b.B": its row comes first
        assertThat("a.A".hashCode()).isLessThan("b.B".hashCode());

        ByteBuffer table = ByteBuffer.wrap(LauncherClassTable.write(classes));

        assertThat(table.getInt()).isEqualTo(0x48524D4C);
        assertThat(table.getShort()).isEqualTo((short) 1);
        assertThat(table.getShort()).isEqualTo((short) 2);
        int names = 12 + 2 * 18;
        int classFiles = names + 6;
        assertThat(table.getInt()).isEqualTo(classFiles);
        assertThat(new int[] {table.getInt(), table.getInt(), table.getShort(), table.getInt(), table.getInt()})
                .containsExactly("a.A".hashCode(), names, 3, classFiles, 1);
        assertThat(new int[] {table.getInt(), table.getInt(), table.getShort(), table.getInt(), table.getInt()})
                .containsExactly("b.B".hashCode(), names + 3, 3, classFiles + 1, 3);
        byte[] rest = new byte[table.remaining()];
        table.get(rest);
        assertThat(rest).isEqualTo(new byte[] {'a', '.', 'A', 'b', '.', 'B', 4, 1, 2, 3});
    }

    @Test
    void writeWhenANameIsNotAsciiThenRefused() {
        assertThatThrownBy(() -> LauncherClassTable.write(Map.of("p/\u00c4.class", new byte[1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not an ASCII class name: p.\u00c4");
    }

    @Test
    void writeWhenMoreClassesThanACountHoldsThenRefused() {
        Map<String, byte[]> classes = new TreeMap<>();
        for (int i = 0; i <= 0xFFFF; i++) {
            classes.put("c/C" + i + ".class", new byte[0]);
        }

        assertThatThrownBy(() -> LauncherClassTable.write(classes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("65536 classes: at most 65535");
    }

    @Test
    void writeWhenTheSameClassesComeInAnotherOrderThenTheSameBytes() {
        Map<String, byte[]> classes = new TreeMap<>();
        for (String name : new String[] {"p/Aa.class", "p/BB.class", "q/Z.class", "a/b/C.class"}) {
            classes.put(name, name.getBytes(US_ASCII));
        }
        Map<String, byte[]> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.putAll(classes);

        assertThat(LauncherClassTable.write(reversed)).isEqualTo(LauncherClassTable.write(classes));
    }
}
