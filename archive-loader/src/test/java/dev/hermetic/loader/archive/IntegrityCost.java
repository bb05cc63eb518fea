package dev.hermetic.loader.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The harness behind the README's cost of each {@code hermetic.verify} level: a sealed archive of 2000
 * application entries of 5 KiB (random bytes, STORED, like class files), each read 20 times at each
 * level after a warm-up; prints the median µs per read over 15 rounds. Then the one-off costs of
 * {@code digest}: opening (the index's SHA-256, median of 15 opens, against {@code crc}), and the first
 * read from a nested jar of 64 MiB (hashed whole; median of 5). Run from {@code archive-loader}:
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
        byte[] big = new byte[64 << 20];
        random.nextBytes(big);
        Path file = b.lib("big.jar", TestArchives.jar(Map.of("big.bin", big), "big.bin")).write(dir.resolve("cost.jar")).path();
        Integrity[] levels = {Integrity.NONE, Integrity.CRC, Integrity.DIGEST, Integrity.NONE, Integrity.CRC, Integrity.DIGEST};
        for (Integrity level : levels) {
            try (Archive archive = Archive.open(file, level)) {
                List<IndexedEntry> entries = new ArrayList<>();
                for (IndexedEntry e : archive.entries()) {
                    if (e.container() == 0) {
                        entries.add(e);
                    }
                }
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
        for (Integrity level : new Integrity[] {Integrity.CRC, Integrity.DIGEST, Integrity.CRC, Integrity.DIGEST}) {
            List<Double> opens = new ArrayList<>();
            int indexSize = 0;
            for (int i = 0; i < 15; i++) {
                long start = System.nanoTime();
                try (Archive archive = Archive.open(file, level)) {
                    opens.add((System.nanoTime() - start) / 1000.0);
                    indexSize = archive.indexSize();
                }
            }
            opens.sort(null);
            System.out.printf("%s: open %.0f us (index of %d bytes, median of 15)%n", level, opens.get(7), indexSize);
        }
        List<Double> firsts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            try (Archive archive = Archive.open(file, Integrity.DIGEST)) {
                IndexedEntry e = archive.find("big.bin");
                long start = System.nanoTime();
                archive.read(e);
                firsts.add((System.nanoTime() - start) / 1e6);
            }
        }
        firsts.sort(null);
        try (Archive archive = Archive.open(file, Integrity.CRC)) {
            IndexedEntry e = archive.find("big.bin");
            archive.read(e);
            long start = System.nanoTime();
            archive.read(e);
            System.out.printf("DIGEST: first read from a 64 MiB nested jar %.1f ms (median of 5); CRC: the same read %.1f ms%n",
                    firsts.get(2), (System.nanoTime() - start) / 1e6);
        }
    }
}
