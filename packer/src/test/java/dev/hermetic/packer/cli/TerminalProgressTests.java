package dev.hermetic.packer.cli;

import static dev.hermetic.packer.TestFixtures.jar;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static dev.hermetic.packer.cli.CliRun.NL;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pack}'s progress display: silent unless on a terminal (the decision is injected here; under
 * the test runner there is no console, as in builds), silent for packs shorter than the delay, and a
 * bar of the bytes written when shown.
 */
class TerminalProgressTests {
    @TempDir
    static Path inputs;

    static Path src;
    static Path lib;

    @TempDir
    Path work;

    @BeforeAll
    static void makeInputs() throws IOException {
        src = inputs.resolve("src");
        writeSource(src, "com.example.Main", "package com.example; public class Main { public static void main(String[] a) { } }");
        lib = jar().stored("org/lib/big.bin", new byte[3 << 20]).write(inputs.resolve("big.jar"));
    }

    private CliRun pack(String... progress) {
        String[] base = {"pack", "--out", work.resolve("app.jar").toString(), "--sources", src.toString(),
                "--main-class", "com.example.Main", "--lib", lib.toString()};
        String[] args = new String[base.length + progress.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(progress, 0, args, base.length, progress.length);
        return CliRun.of(args);
    }

    @Test
    void packWhenNotOnATerminalThenSilent() {
        CliRun run = pack();

        assertThat(System.console()).as("the test runner has no console").isNull();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("packed ").hasLineCount(1);
        assertThat(run.exit()).isZero();
    }

    @Test
    void packWhenProgressNeverThenSilent() {
        CliRun run = pack("--progress", "never");

        assertThat(run.err()).isEmpty();
        assertThat(run.exit()).isZero();
    }

    @Test
    void packWhenProgressAlwaysThenBarOfBytesWrittenOnStandardError() {
        CliRun run = pack("--progress", "always");

        assertThat(run.err()).startsWith("\rPacking ").contains("100% [").contains(" 3/3 MiB ").endsWith(NL);
        assertThat(run.out()).startsWith("packed ").hasLineCount(1);
        assertThat(run.exit()).isZero();
    }

    @Test
    void packWhenProgressUnknownThenUsageErrorExitsTwo() {
        CliRun run = pack("--progress", "sometimes");

        assertThat(run.err()).isEqualTo("packer: --progress: expected auto, always or never, not 'sometimes'"
                + " (see 'packer pack --help')" + NL);
        assertThat(run.exit()).isEqualTo(2);
    }

    @Test
    void progressWhenAutoThenBarOnlyOnATerminalAndDelayed() {
        CommandLine cli = new CommandLine(PackerCli.class);
        PackCommand pack = cli.getSubcommands().get("pack").getCommand();

        assertThat(pack.progress("auto", false)).isNull();
        assertThat(pack.progress("never", true)).isNull();
        try (TerminalProgress onTerminal = pack.progress("auto", true)) {
            assertThat(onTerminal).isNotNull();
        }
    }

    @Test
    void advanceWhenPackShorterThanDelayThenNothingDrawn() {
        AtomicLong now = new AtomicLong(1_000);
        StringWriter err = new StringWriter();
        try (TerminalProgress progress = new TerminalProgress(new PrintWriter(err), 500, now::get, 80)) {
            progress.start(100);
            now.addAndGet(499);
            progress.advance(100);
            progress.finish();
        }

        assertThat(err.toString()).isEmpty();
    }

    @Test
    void advanceWhenPackOutlastsDelayThenBarAppearsAndEndsInOneLine() {
        AtomicLong now = new AtomicLong(1_000);
        StringWriter err = new StringWriter();
        try (TerminalProgress progress = new TerminalProgress(new PrintWriter(err), 500, now::get, 60)) {
            progress.start(4L << 20);
            progress.advance(1L << 20);
            assertThat(err.toString()).isEmpty();
            now.addAndGet(500);
            progress.advance(1L << 20);
            progress.advance(2L << 20);
            progress.finish();
        }

        String[] frames = err.toString().split("\r", -1);
        assertThat(frames[0]).isEmpty();
        assertThat(frames).allSatisfy(f -> assertThat(f.strip().length()).isLessThanOrEqualTo(59));
        assertThat(frames[frames.length - 1]).startsWith("Packing 100% [").contains(" 4/4 MiB ").endsWith(NL);
    }

    @Test
    void terminalWidthWhenColumnsUnsetOrBadThenEighty() {
        assertThat(TerminalProgress.terminalWidth(null)).isEqualTo(80);
        assertThat(TerminalProgress.terminalWidth("abc")).isEqualTo(80);
        assertThat(TerminalProgress.terminalWidth("5")).isEqualTo(80);
        assertThat(TerminalProgress.terminalWidth("132")).isEqualTo(132);
    }
}
