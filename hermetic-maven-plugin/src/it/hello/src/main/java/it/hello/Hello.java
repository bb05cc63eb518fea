package it.hello;

public class Hello {
    public static void main(String[] args) {
        System.out.println("Hello from " + Hello.class.getClassLoader().getClass().getSimpleName()
                + ": " + String.join(" ", args));
    }
}
