package dev.hermetic.packer.cli;

import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static dev.hermetic.packer.cli.CliRun.NL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code packer explain} on archives the packer made: where a class is served from and how the loader
 * decides to serve it, for each mode, for library classes (first jar wins, the other shadowed), for
 * classes packed without caches and for names in no container; JSON and exit codes.
 */
class ExplainCommandTests {
    static final String MAIN = "com.example.Main";
    static final String MAIN_SOURCE = "package com.example; public class Main { public static void main(String[] a) { } }";

    @TempDir
    static Path dir;

    static Path src;
    static Path trusted;
    static Path checked;
    static Path uncached;
    static Path libA;
    static Path libB;

    @BeforeAll
    static void pack() throws IOException {
        src = dir.resolve("src");
        writeSource(src, MAIN, MAIN_SOURCE);
        Path classes = javac(src, dir.resolve("classes"), List.of());
        libA = jar().stored("org/lib/Shared.class", "first").write(dir.resolve("a.jar"));
        libB = jar().deflated("org/lib/Shared.class", "second").write(dir.resolve("b.jar"));
        trusted = dir.resolve("trusted.jar");
        Packer.pack(PackOptions.builder().out(trusted).addSources(src).mainClass(MAIN).addLib(libA).addLib(libB).build());
        checked = dir.resolve("checked.jar");
        Packer.pack(PackOptions.builder().out(checked).addApp(classes).addSources(src).mainClass(MAIN).build());
        uncached = dir.resolve("uncached.jar");
        Packer.pack(PackOptions.builder().out(uncached).addSources(src).mainClass(MAIN).caches(false).build());
    }

    private static String crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return String.format("%08x", crc.getValue());
    }

    @Test
    void explainWhenCompiledClassThenServedTrustedFromApplicationClasses() throws IOException {
        CliRun run = CliRun.of("explain", trusted.toString(), MAIN);

        byte[] cache;
        try (var zip = new java.util.zip.ZipFile(trusted.toFile())) {
            cache = zip.getInputStream(zip.getEntry("HERMETIC-INF/classes/com/example/Main.class")).readAllBytes();
        }
        assertThat(run.out()).isEqualTo(MAIN + " (com/example/Main.class) in " + trusted + NL
                + "  served from [0] HERMETIC-INF/classes/com/example/Main.class (stored, " + cache.length
                + " bytes, crc32 " + crc(cache) + ")" + NL
                + "  module      com/example/Main.java, mode trusted, source shipped as HERMETIC-INF/sources/com/example/Main.java,"
                + " class version 61, release 17" + NL
                + "  loader      trusted: served from its cache without reading, stating or hashing the source" + NL);
        assertThat(run.err()).isEmpty();
        assertThat(run.exit()).isZero();
    }

    @Test
    void explainWhenAppClassWithShippedSourceThenChecked() {
        CliRun run = CliRun.of("explain", checked.toString(), "com/example/Main.class");

        assertThat(run.out()).startsWith("com/example/Main.class in " + checked + NL)
                .contains("  module      com/example/Main.java, mode checked, source shipped")
                .endsWith("  loader      checked: served from its cache if the SHA-256 of HERMETIC-INF/sources/com/example/Main.java"
                        + " equals the recorded one, else recompiled from that source" + NL);
        assertThat(run.exit()).isZero();
    }

    @Test
    void explainWhenClassInTwoLibsThenFirstServedSecondShadowed() {
        CliRun run = CliRun.of("explain", trusted.toString(), "org.lib.Shared");

        assertThat(run.out()).isEqualTo("org.lib.Shared (org/lib/Shared.class) in " + trusted + NL
                + "  served from [1] HERMETIC-INF/lib/a.jar!/org/lib/Shared.class (stored, 5 bytes, crc32 "
                + crc("first".getBytes()) + ")" + NL
                + "  shadowed    [2] HERMETIC-INF/lib/b.jar!/org/lib/Shared.class (deflated, 6 bytes, crc32 "
                + crc("second".getBytes()) + ")" + NL
                + "  module      none" + NL
                + "  loader      a library entry: served as it is from the nested jar (validation modes apply to"
                + " application modules)" + NL);
        assertThat(run.exit()).isZero();
    }

    @Test
    void explainWhenPackedWithoutCachesThenCompiledOnFirstUse() {
        CliRun run = CliRun.of("explain", uncached.toString(), MAIN);

        assertThat(run.out()).contains("  served from no container: no cache is shipped" + NL)
                .endsWith("  loader      no cache: compiled in memory from HERMETIC-INF/sources/com/example/Main.java on"
                        + " first use, then kept in the compile cache directory" + NL);
        assertThat(run.exit()).isZero();
    }

    @Test
    void explainWhenClassInNoContainerThenSaysSoAndExitsOne() {
        CliRun run = CliRun.of("explain", trusted.toString(), "com.example.Missing");

        assertThat(run.out()).isEqualTo("com.example.Missing (com/example/Missing.class): in no container of " + trusted + NL
                + "  loader      not in the archive: the loader answers from its index that it has no such entry, and"
                + " only the parent class loader (the JDK) can supply it" + NL);
        assertThat(run.err()).isEmpty();
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void explainWhenJsonThenLocationsModuleAndDecision() {
        CliRun run = CliRun.of("explain", trusted.toString(), MAIN, "--json");

        assertThat(run.out()).contains("\"entry\" : \"com/example/Main.class\"", "\"found\" : true",
                "\"containerEntry\" : \"HERMETIC-INF/classes/\"", "\"mode\" : \"trusted\"", "\"sourceShipped\" : true",
                "\"decision\" : \"trusted: served from its cache without reading, stating or hashing the source\"");
        assertThat(run.exit()).isZero();
    }

    @Test
    void explainWhenArchiveMissingThenExitsOneNamingIt() {
        Path missing = dir.resolve("missing.jar");

        CliRun run = CliRun.of("explain", missing.toString(), MAIN);

        assertThat(run.err()).startsWith("packer: ").contains(missing.toString()).hasLineCount(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void explainWhenClassNotGivenThenUsageErrorExitsTwo() {
        CliRun run = CliRun.of("explain", trusted.toString());

        assertThat(run.err()).isEqualTo("packer: Missing required parameter: 'CLASS' (see 'packer explain --help')" + NL);
        assertThat(run.exit()).isEqualTo(2);
    }

    @Test
    void explainWhenArchiveIsExplodedThenSameAnswer() throws IOException {
        Path exploded = dir.resolve("exploded-" + System.nanoTime());
        dev.hermetic.packer.Exploder.explode(trusted, exploded);

        CliRun run = CliRun.of("explain", exploded.toString(), MAIN);

        assertThat(run.out()).contains("mode trusted").contains("served from [0] HERMETIC-INF/classes/com/example/Main.class");
        assertThat(run.exit()).isZero();
        assertThat(Files.isDirectory(exploded)).isTrue();
    }
}
