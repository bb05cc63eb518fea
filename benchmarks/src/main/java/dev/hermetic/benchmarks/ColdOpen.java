package dev.hermetic.benchmarks;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveLayout;

import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipFile;

/**
 * One open of an archive and one read of an application class in a fresh JVM, with the reader's classes
 * already loaded: the cold counterpart of {@code ArchiveOpenBenchmark}'s steady state. Prints the
 * milliseconds taken; run it in a loop of fresh JVMs and take the median.
 *
 * <pre>java -cp benchmarks.jar dev.hermetic.benchmarks.ColdOpen ours|zipfile ARCHIVE app/p0/M0.class</pre>
 */
public final class ColdOpen {
    private ColdOpen() {
    }

    public static void main(String[] args) throws Exception {
        boolean ours = args[0].equals("ours");
        Class.forName(ours ? Archive.class.getName() : ZipFile.class.getName());
        long start = System.nanoTime();
        int length;
        if (ours) {
            try (Archive archive = Archive.open(Path.of(args[1]))) {
                length = archive.read(archive.find(args[2])).length;
            }
        } else {
            try (ZipFile zip = new ZipFile(args[1])) {
                // a constant, inlined: the JDK's path loads none of our classes
                length = zip.getInputStream(zip.getEntry(ArchiveLayout.CLASSES + args[2])).readAllBytes().length;
            }
        }
        System.out.printf(Locale.ROOT, "%.3f ms (%d bytes)%n", (System.nanoTime() - start) / 1e6, length);
    }
}
