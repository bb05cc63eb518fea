package it.deps.legacy;

public class Old {
    public static String greeting() {
        return "hi";
    }
}
