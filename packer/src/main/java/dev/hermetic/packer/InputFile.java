package dev.hermetic.packer;

import java.nio.file.Path;

/**
 * One file of the application as it will sit on the class path.
 *
 * @param name   its class-path name ({@code com/example/Main.class}, {@code config/app.properties},
 *               {@code com/example/} for a directory)
 * @param bytes  its content (empty for a directory)
 * @param origin the input it came from, for messages
 */
record InputFile(String name, byte[] bytes, Path origin) {
    boolean isClass() {
        return name.endsWith(".class");
    }

    boolean isDirectory() {
        return name.endsWith("/");
    }
}
