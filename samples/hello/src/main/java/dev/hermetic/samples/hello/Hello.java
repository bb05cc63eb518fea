package dev.hermetic.samples.hello;

import java.util.Arrays;

/** Greets its arguments: {@code Hello, world!}, {@code Hello, A!}, {@code Hello, A and B!}, {@code Hello, A, B and C!}. */
public final class Hello {
    private Hello() {
    }

    public static void main(String[] args) {
        System.out.println(greeting(args));
    }

    static String greeting(String... names) {
        if (names.length == 0) {
            return "Hello, world!";
        }
        if (names.length == 1) {
            return "Hello, " + names[0] + "!";
        }
        String allButLast = String.join(", ", Arrays.asList(names).subList(0, names.length - 1));
        return "Hello, " + allButLast + " and " + names[names.length - 1] + "!";
    }
}
