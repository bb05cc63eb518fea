package dev.hermetic.packer;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/** What {@link PackProgress#start} is told: the input bytes {@link Packer} will write. */
final class InputBytes {
    private InputBytes() {
    }

    /** @return the bytes of the shipped sources, the application's files (as their inputs declare them) and the jars */
    static long of(Application app, List<LibClassPath.Lib> libs) throws IOException {
        long total = 0;
        for (SourceFile source : app.shippedSources()) {
            total += source.bytes().length;
        }
        for (InputFile file : app.files().values()) {
            total += file.size();
        }
        for (LibClassPath.Lib lib : libs) {
            total += Files.size(lib.jar().path());
        }
        return total;
    }
}
