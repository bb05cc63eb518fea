package dev.hermetic.loader;

import dev.hermetic.launch.MainCall;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/**
 * The class file of {@link MainCall} for one application: {@code public static void run(String[])} whose
 * code is {@code aload_0; invokestatic main; return}. Class-file version 52, which needs no stack map for
 * code without branches. Written byte by byte (no {@code DataOutputStream}: from JDK 21 on it writes
 * through {@code VarHandle}s, whose classes a launch would load for it).
 */
final class MainCallClass {
    /**
     * The binary name of the class: {@link MainCall}'s, spelt out because {@code MainCall.class} in the
     * launcher's loader resolves through that loader, which answers the name only once the launch handed
     * its class over.
     */
    static final String NAME = "dev.hermetic.launch.MainCall";

    private final byte[] bytes;
    private int length;

    private MainCallClass(int capacity) {
        bytes = new byte[capacity];
    }

    /**
     * @return whether {@code MainCall} can call that {@code main} from its own package: a public method of a
     *         public class (else the launch calls it as the JDK's reflection does, with access checks off)
     */
    static boolean canCall(Method main) {
        return Modifier.isPublic(main.getModifiers()) && Modifier.isPublic(main.getDeclaringClass().getModifiers());
    }

    /** @return the class file calling {@code main(String[])} of that class, which declares it */
    static byte[] of(Class<?> declaring) {
        String owner = declaring.getName().replace('.', '/');
        MainCallClass out = new MainCallClass(200 + 3 * owner.length());
        out.u4(0xCAFEBABE);
        out.u2(0);
        out.u2(52);
        out.u2(13); // the constant pool's count: its entries 1 to 12, then
        out.utf8(NAME.replace('.', '/')); // 1
        out.u1(7).u2(1); // 2: this class
        out.utf8("java/lang/Object"); // 3
        out.u1(7).u2(3); // 4: its superclass
        out.utf8(owner); // 5
        out.u1(7).u2(5); // 6: the class declaring main
        out.utf8("main"); // 7
        out.utf8("([Ljava/lang/String;)V"); // 8
        out.u1(12).u2(7).u2(8); // 9: main's name and type
        out.u1(declaring.isInterface() ? 11 : 10).u2(6).u2(9); // 10: main, an interface's or a class's method
        out.utf8("run"); // 11
        out.utf8("Code"); // 12
        out.u2(0x0031); // public final super
        out.u2(2).u2(4).u2(0); // this, super, no interfaces
        out.u2(0); // no fields
        out.u2(1); // one method: public static run, ([Ljava/lang/String;)V, one attribute
        out.u2(0x0009).u2(11).u2(8).u2(1);
        out.u2(12).u4(17); // its code: stack 1, locals 1, 5 bytes, no handlers, no attributes
        out.u2(1).u2(1).u4(5);
        out.u1(0x2a).u1(0xb8).u2(10).u1(0xb1); // aload_0, invokestatic #10, return
        out.u2(0).u2(0);
        out.u2(0); // no class attributes
        return Arrays.copyOf(out.bytes, out.length);
    }

    private MainCallClass u1(int value) {
        bytes[length++] = (byte) value;
        return this;
    }

    private MainCallClass u2(int value) {
        return u1(value >>> 8).u1(value);
    }

    private MainCallClass u4(int value) {
        return u2(value >>> 16).u2(value);
    }

    /** A CONSTANT_Utf8 entry: each char in modified UTF-8, one to three bytes. */
    private void utf8(String text) {
        u1(1);
        int at = length;
        u2(0);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x01 && c <= 0x7F) {
                u1(c);
            } else if (c <= 0x7FF) {
                u1(0xC0 | c >> 6).u1(0x80 | c & 0x3F);
            } else {
                u1(0xE0 | c >> 12).u1(0x80 | c >> 6 & 0x3F).u1(0x80 | c & 0x3F);
            }
        }
        int size = length - at - 2;
        bytes[at] = (byte) (size >>> 8);
        bytes[at + 1] = (byte) size;
    }
}
