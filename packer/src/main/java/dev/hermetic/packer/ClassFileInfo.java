package dev.hermetic.packer;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * What the packer needs from a class file: its class-file version and its {@code SourceFile}
 * attribute, which names the source it was compiled from.
 *
 * @param major      the class-file major version (61 for Java 17)
 * @param sourceFile the {@code SourceFile} attribute ({@code Main.java}), or null without one
 */
record ClassFileInfo(int major, String sourceFile) {
    private static final int MAGIC = 0xCAFEBABE;

    /**
     * Parses the constant pool, skips fields and methods, and reads the class attributes.
     *
     * @throws IOException when the bytes are not a well-formed class file
     */
    static ClassFileInfo parse(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a class file (bad magic)");
            }
            in.readUnsignedShort(); // minor
            int major = in.readUnsignedShort();
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++; // long and double take two slots
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag + " at index " + i);
                }
            }
            in.skipNBytes(6); // access flags, this class, super class
            in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
            for (int members = 0; members < 2; members++) { // fields, then methods
                for (int n = in.readUnsignedShort(); n > 0; n--) {
                    in.skipNBytes(6);
                    skipAttributes(in);
                }
            }
            String sourceFile = null;
            for (int n = in.readUnsignedShort(); n > 0; n--) {
                String name = at(utf8, in.readUnsignedShort());
                int length = in.readInt();
                if ("SourceFile".equals(name) && length == 2) {
                    sourceFile = at(utf8, in.readUnsignedShort());
                } else {
                    in.skipNBytes(Integer.toUnsignedLong(length));
                }
            }
            return new ClassFileInfo(major, sourceFile);
        } catch (java.io.EOFException e) {
            throw new IOException("truncated class file");
        }
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        for (int n = in.readUnsignedShort(); n > 0; n--) {
            in.skipNBytes(2);
            in.skipNBytes(Integer.toUnsignedLong(in.readInt()));
        }
    }

    private static String at(String[] utf8, int index) throws IOException {
        if (index <= 0 || index >= utf8.length || utf8[index] == null) {
            throw new IOException("constant pool index " + index + " is not a UTF-8 constant");
        }
        return utf8[index];
    }
}
