package dev.hermetic.loader;

import java.nio.ByteBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of {@link LauncherClassLoader#ENTRY}, the launcher's classes in one archive entry, and its
 * writer (the packer's); {@link LauncherClassLoader} reads it, with this class's constants copied in by
 * the compiler, so that a launch never loads this one.
 *
 * <pre>
 * header  12 bytes: magic "HRML", version u16 (1), class count u16, where the class files start u32
 * rows    18 bytes per class, sorted by the String.hashCode of its binary name, then by the name:
 *         that hash i32, the name's offset u32 and length u16, the class file's offset and length u32
 * names   the binary names (dev.hermetic.loader.Launch), ASCII
 * classes the class files
 * </pre>
 *
 * All numbers big-endian, offsets from the entry's start. A launch reads the header, the rows and the
 * names in two reads, finds a class by a binary search of the hashes and reads its class file when it
 * defines it.
 */
public final class LauncherClassTable {
    static final int MAGIC = 0x48524D4C; // "HRML"
    static final int VERSION = 1;
    static final int HEADER = 12;
    static final int ROW = 18;

    private LauncherClassTable() {
    }

    /**
     * The table of the class files among these files.
     *
     * @param files per name in a jar ({@code dev/hermetic/loader/Launcher.class}), the file's bytes; those
     *              whose name does not end in {@code .class} are left out
     * @throws IllegalArgumentException for more than 65,535 classes or a name that is not ASCII
     */
    public static byte[] write(Map<String, byte[]> files) {
        Map<String, byte[]> classFiles = new HashMap<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String name = file.getKey();
            if (name.endsWith(".class")) {
                classFiles.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), file.getValue());
            }
        }
        if (classFiles.size() > 0xFFFF) {
            throw new IllegalArgumentException(classFiles.size() + " classes: at most 65535");
        }
        List<String> names = new ArrayList<>(classFiles.keySet());
        CharsetEncoder ascii = StandardCharsets.US_ASCII.newEncoder();
        for (String name : names) {
            if (!ascii.canEncode(name)) {
                throw new IllegalArgumentException("not an ASCII class name: " + name);
            }
        }
        names.sort(new ByHash());
        int classesAt = HEADER + ROW * names.size();
        int size = classesAt;
        for (String name : names) {
            classesAt += name.length();
            size += name.length() + classFiles.get(name).length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(MAGIC).putShort((short) VERSION).putShort((short) names.size()).putInt(classesAt);
        int nameAt = HEADER + ROW * names.size();
        int classAt = classesAt;
        for (String name : names) {
            int length = classFiles.get(name).length;
            out.putInt(name.hashCode()).putInt(nameAt).putShort((short) name.length()).putInt(classAt).putInt(length);
            nameAt += name.length();
            classAt += length;
        }
        for (String name : names) {
            out.put(name.getBytes(StandardCharsets.US_ASCII));
        }
        for (String name : names) {
            out.put(classFiles.get(name));
        }
        return out.array();
    }

    /** The order of the rows: by hash, then by name. */
    private static final class ByHash implements Comparator<String> {
        @Override
        public int compare(String a, String b) {
            int byHash = Integer.compare(a.hashCode(), b.hashCode());
            return byHash != 0 ? byHash : a.compareTo(b);
        }
    }
}
