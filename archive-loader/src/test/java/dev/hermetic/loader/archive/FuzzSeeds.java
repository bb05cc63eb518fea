package dev.hermetic.loader.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the seed corpus of {@link ArchiveFuzzTests}, so that no seed is a downloaded binary:
 * {@code archive-seed.jar}, a small sealed archive made by {@link TestArchives} (two modules, three
 * application entries, a nested jar mixing STORED and DEFLATED entries); {@code edited-seed.jar}, the
 * same with its seal's CRC broken (the central-directory path); {@code script-seed.jar}, the same after
 * a launch script; {@code plain-seed.zip}, a plain zip with a data descriptor ({@link RawZip}); and
 * {@code index-seed}, the first seed's index.
 *
 * <p>Run from {@code archive-loader}: {@code java -cp target/test-classes:target/classes
 * dev.hermetic.loader.archive.FuzzSeeds src/test/resources/dev/hermetic/loader/archive/ArchiveFuzzTestsInputs}
 * (or let {@code FuzzSeedsTests} check that the committed seeds are what this writes).
 */
public final class FuzzSeeds {
    private FuzzSeeds() {
    }

    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]));
    }

    static Map<String, byte[]> seeds(Path work) throws IOException {
        Map<String, byte[]> lib = new LinkedHashMap<>();
        lib.put("a/", new byte[0]);
        lib.put("a/big.txt", "all work and no play\n".repeat(20).getBytes(StandardCharsets.UTF_8));
        lib.put("shared.txt", "shared from lib".getBytes(StandardCharsets.UTF_8));
        lib.put("lib/R.txt", "resource".getBytes(StandardCharsets.UTF_8));
        TestArchives.Builder builder = TestArchives.archive("app.Main").launcherManifest();
        int main = builder.module("app/Main.java", "package app; class Main {}\n".getBytes(StandardCharsets.UTF_8),
                ValidationMode.TRUSTED);
        int other = builder.module("app/Other.java", "package app; class Other {}\n".getBytes(StandardCharsets.UTF_8),
                ValidationMode.CHECKED);
        TestArchives.Packed packed = builder.app("app/Main.class", "main".getBytes(StandardCharsets.UTF_8), main)
                .app("app/Other.class", "other".getBytes(StandardCharsets.UTF_8), other)
                .app("shared.txt", "shared from app".getBytes(StandardCharsets.UTF_8))
                .lib("dep.jar", TestArchives.jar(lib, "shared.txt"))
                .write(work.resolve("seed.jar"));
        byte[] archive = Files.readAllBytes(packed.path());
        byte[] edited = archive.clone();
        int crcDigit = edited.length - 1 - " sha256=".length() - 64; // the last digit of the seal's CRC-32
        edited[crcDigit] = (byte) (edited[crcDigit] == '0' ? '1' : '0');
        byte[] index = new byte[packed.indexLength()];
        System.arraycopy(archive, (int) packed.indexOffset(), index, 0, index.length);
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("openWhenBytesAreArbitraryThenReadsOrArchiveFormatException/archive-seed.jar", archive);
        seeds.put("openWhenBytesAreArbitraryThenReadsOrArchiveFormatException/edited-seed.jar", edited);
        seeds.put("openWhenBytesAreArbitraryThenReadsOrArchiveFormatException/script-seed.jar",
                RawZip.concat("#!/bin/sh\nexec java -jar \"$0\"\n".getBytes(StandardCharsets.UTF_8), archive));
        seeds.put("openWhenBytesAreArbitraryThenReadsOrArchiveFormatException/plain-seed.zip",
                new RawZip().stored("a.txt", "alpha").deflated("b.txt", "beta".getBytes(StandardCharsets.UTF_8), e -> e.flags = 8)
                        .toBytes());
        seeds.put("indexReaderWhenBytesAreArbitraryThenLooksUpOrArchiveFormatException/index-seed", index);
        return seeds;
    }

    static void write(Path inputs) throws IOException {
        Path work = Files.createTempDirectory("seeds");
        for (Map.Entry<String, byte[]> seed : seeds(work).entrySet()) {
            Path file = inputs.resolve(seed.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, seed.getValue());
        }
    }
}
