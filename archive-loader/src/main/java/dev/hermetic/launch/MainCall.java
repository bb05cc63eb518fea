package dev.hermetic.launch;

/**
 * The name a launch calls an application's {@code main} by. In the launcher's own loader, a launch defines
 * a class of this name in the archive's loader, whose {@link #run} calls the application's
 * {@code main(String[])} with one {@code invokestatic}, as the JVM's own launcher calls it by JNI, and the
 * launcher's loader answers this name with that class. So neither reflection nor a method handle calls
 * {@code main}: from JDK 18 on either would initialise {@code java.lang.invoke} and spin lambda forms for
 * that one call (some 7 ms of a JDK 25 hello world, {@code benchmarks/README.md}, ninth round).
 *
 * <p>This class itself never runs; it is what the launch compiles against. Not for applications.
 */
public final class MainCall {
    private MainCall() {
    }

    /**
     * @param args the application's arguments
     * @throws IllegalStateException always: only the class a launch defines runs
     */
    public static void run(String[] args) {
        throw new IllegalStateException(MainCall.class.getName() + " runs only as a launch defines it");
    }
}
