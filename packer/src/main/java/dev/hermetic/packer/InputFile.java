package dev.hermetic.packer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One file of the application as it will sit on the class path, read when its content is asked for:
 * from memory, from a jar or from a file, on whichever thread of the pack prepares it.
 *
 * @param name    its class-path name ({@code com/example/Main.class}, {@code config/app.properties},
 *                {@code com/example/} for a directory)
 * @param size    its size as its input declares it (a jar's central directory, the file system), for
 *                progress reports
 * @param origin  the input it came from, for messages
 * @param content reads its bytes (empty for a directory); safe to call on any thread
 */
record InputFile(String name, long size, Path origin, Content content) {
    /** Reads a file's bytes. */
    @FunctionalInterface
    interface Content {
        byte[] read() throws IOException;
    }

    /** A file whose bytes are already in memory. */
    static InputFile of(String name, byte[] bytes, Path origin) {
        return new InputFile(name, bytes.length, origin, () -> bytes);
    }

    /** A file or directory of a directory input, read when asked for. */
    static InputFile of(InputTrees.Node node, Path origin) {
        return node.isDirectory() ? of(node.name(), new byte[0], origin)
                : new InputFile(node.name(), node.size(), origin, () -> Files.readAllBytes(node.path()));
    }

    /**
     * @return its bytes, read now
     * @throws PackException naming its input and the file when they cannot be read (the pack writes the
     *                       archive meanwhile, whose own failures name the output)
     */
    byte[] read() throws PackException {
        try {
            return content.read();
        } catch (PackException e) {
            throw e;
        } catch (IOException e) {
            throw unreadable(input(), name, e);
        }
    }

    /** @return the failure of a file of an input that cannot be read, naming the input and the file */
    static PackException unreadable(Path input, String name, IOException e) {
        return new PackException(input, "cannot read " + name + ": " + e, e);
    }

    /** @return the input it came from, else (a file made in memory) its own name */
    Path input() {
        return origin == null ? Path.of(name) : origin;
    }

    boolean isClass() {
        return name.endsWith(".class");
    }

    boolean isDirectory() {
        return name.endsWith("/");
    }
}
