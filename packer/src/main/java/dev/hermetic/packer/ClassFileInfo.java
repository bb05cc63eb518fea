package dev.hermetic.packer;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the packer needs from a class file: its class-file version and its {@code SourceFile}
 * attribute, which names the source it was compiled from.
 *
 * @param major      the class-file major version (61 for Java 17)
 * @param sourceFile the {@code SourceFile} attribute ({@code Main.java}), or null without one
 */
record ClassFileInfo(int major, String sourceFile) {
    private static final int MAGIC = 0xCAFEBABE;
    private static final byte[] SOURCE_FILE = "SourceFile".getBytes(StandardCharsets.US_ASCII);

    /**
     * Walks the constant pool, skips fields and methods, and reads the class attributes.
     *
     * <p>Costs: one pass over the bytes without copying them; of the constants, only the
     * {@code SourceFile} value is decoded (and an attribute name that is not plain ASCII); the others are
     * skipped unchecked, as the JVM checks them when it loads the class.
     *
     * @throws IOException when the bytes are not a well-formed class file
     */
    static ClassFileInfo parse(byte[] bytes) throws IOException {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            if (in.getInt() != MAGIC) {
                throw new IOException("not a class file (bad magic)");
            }
            in.getShort(); // minor
            int major = u2(in);
            int count = u2(in);
            int[] utf8 = new int[count]; // where each UTF-8 constant starts (its length); 0 for other constants
            for (int i = 1; i < count; i++) {
                int tag = in.get() & 0xFF;
                switch (tag) {
                    case 1 -> {
                        utf8[i] = in.position();
                        skip(in, u2(in));
                    }
                    case 7, 8, 16, 19, 20 -> skip(in, 2);
                    case 15 -> skip(in, 3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> skip(in, 4);
                    case 5, 6 -> {
                        skip(in, 8);
                        i++; // long and double take two slots
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag + " at index " + i);
                }
            }
            skip(in, 6); // access flags, this class, super class
            skip(in, 2L * u2(in)); // interfaces
            for (int members = 0; members < 2; members++) { // fields, then methods
                for (int n = u2(in); n > 0; n--) {
                    skip(in, 6);
                    for (int attributes = u2(in); attributes > 0; attributes--) {
                        skip(in, 2);
                        skip(in, Integer.toUnsignedLong(in.getInt()));
                    }
                }
            }
            String sourceFile = null;
            for (int n = u2(in); n > 0; n--) {
                boolean isSourceFile = isSourceFile(bytes, utf8, u2(in));
                long length = Integer.toUnsignedLong(in.getInt());
                if (isSourceFile && length == 2) {
                    sourceFile = at(bytes, utf8, u2(in));
                } else {
                    skip(in, length);
                }
            }
            return new ClassFileInfo(major, sourceFile);
        } catch (BufferUnderflowException e) {
            throw new IOException("truncated class file");
        }
    }

    private static int u2(ByteBuffer in) {
        return in.getShort() & 0xFFFF;
    }

    private static void skip(ByteBuffer in, long count) {
        if (count > in.remaining()) {
            throw new BufferUnderflowException();
        }
        in.position(in.position() + (int) count);
    }

    /** Decodes a UTF-8 constant (the JVM's modified UTF-8, as {@link DataInputStream#readUTF} reads it). */
    private static String at(byte[] bytes, int[] utf8, int index) throws IOException {
        int start = start(utf8, index);
        return new DataInputStream(new ByteArrayInputStream(bytes, start, bytes.length - start)).readUTF();
    }

    /** Whether a UTF-8 constant is {@code SourceFile}: compared as bytes, decoded only when not plain ASCII. */
    private static boolean isSourceFile(byte[] bytes, int[] utf8, int index) throws IOException {
        int start = start(utf8, index) + 2;
        int end = start + ((bytes[start - 2] & 0xFF) << 8 | bytes[start - 1] & 0xFF);
        for (int i = start; i < end; i++) {
            if (bytes[i] < 0) {
                return "SourceFile".equals(at(bytes, utf8, index));
            }
        }
        return Arrays.equals(bytes, start, end, SOURCE_FILE, 0, SOURCE_FILE.length);
    }

    /** @return where a UTF-8 constant starts (its length) */
    private static int start(int[] utf8, int index) throws IOException {
        if (index <= 0 || index >= utf8.length || utf8[index] == 0) {
            throw new IOException("constant pool index " + index + " is not a UTF-8 constant");
        }
        return utf8[index];
    }
}
