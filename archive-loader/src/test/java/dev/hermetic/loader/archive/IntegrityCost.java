package dev.hermetic.loader.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The harness behind the README's cost of each {@code hermetic.verify} level: a sealed archive of 2000
 * entries of 5 KiB (random bytes, STORED, like class files), each read 20 times at each level after a
 * warm-up; prints the median µs per read over 15 rounds. Run from {@code archive-loader}:
 * {@code java -cp target/test-classes:target/classes dev.hermetic.loader.archive.IntegrityCost}.
 */
public final class IntegrityCost {
    private IntegrityCost() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("integrity-cost");
        TestArchives.Builder b = TestArchives.archive("app.Main");
        Random random = new Random(1);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[5 * 1024];
            random.nextBytes(bytes);
            b.app("app/C" + i + ".class", bytes);
        }
        Path file = b.write(dir.resolve("cost.jar")).path();
        for (Integrity level : new Integrity[] {Integrity.NONE, Integrity.CRC, Integrity.NONE, Integrity.CRC}) {
            try (Archive archive = Archive.open(file, level)) {
                List<IndexedEntry> entries = new ArrayList<>(archive.entries());
                List<Double> rounds = new ArrayList<>();
                for (int round = 0; round < 15; round++) {
                    long start = System.nanoTime();
                    for (int rep = 0; rep < 20; rep++) {
                        for (IndexedEntry e : entries) {
                            archive.read(e);
                        }
                    }
                    rounds.add((System.nanoTime() - start) / 1000.0 / (20.0 * entries.size()));
                }
                rounds.sort(null);
                System.out.printf("%s: %.2f us per 5 KiB read (median of 15 rounds)%n", level, rounds.get(7));
            }
        }
    }
}
