package dev.hermetic.packer.cli;

import dev.hermetic.packer.PackProgress;

import java.io.PrintWriter;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code pack}'s progress display on standard error, drawn by the progressbar library (me.tongfei):
 * a bar of the input bytes written, with speed and ETA, redrawn in place. It appears only once a pack
 * has run (read and compiled its inputs, written some) for {@code delayMillis} since this display was
 * made, so short packs stay silent, and it ends in a final line when the pack ends. Whether to show it at all is {@link PackCommand}'s decision ({@code --progress}).
 */
final class TerminalProgress implements PackProgress, AutoCloseable {
    /** How long a pack runs before {@code --progress auto} shows the bar. */
    static final long AUTO_DELAY_MILLIS = 500;

    private final PrintWriter err;
    private final long delayMillis;
    private final LongSupplier clock;
    private final int width;
    private final long started;
    private long total;
    private long done;
    private ProgressBar bar;
    private Consumer consumer;

    /**
     * @param err         where to draw
     * @param delayMillis how long to stay silent, from now
     * @param clock       milliseconds, for the delay
     * @param width       the terminal's width in columns
     */
    TerminalProgress(PrintWriter err, long delayMillis, LongSupplier clock, int width) {
        this.err = err;
        this.delayMillis = delayMillis;
        this.clock = clock;
        this.width = width;
        this.started = clock.getAsLong();
    }

    /** @return the terminal's width from {@code COLUMNS}, else 80 */
    static int terminalWidth(String columns) {
        try {
            int n = columns == null ? 0 : Integer.parseInt(columns.trim());
            return n >= 20 ? n : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    @Override
    public void start(long totalBytes) {
        total = totalBytes;
        show();
    }

    @Override
    public void advance(long bytes) {
        done += bytes;
        if (bar == null) {
            show();
        } else {
            bar.stepTo(done);
        }
    }

    private void show() {
        if (bar == null && clock.getAsLong() - started >= delayMillis) {
            bar = new ProgressBarBuilder().setTaskName("Packing").setInitialMax(Math.max(total, 1))
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" MiB", 1 << 20).showSpeed()
                    .setUpdateIntervalMillis(100).setConsumer(consumer = new Consumer(err, width)).build();
            bar.stepTo(done);
        }
    }

    @Override
    public void finish() {
        close();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.stepTo(done);
            bar.close();
            // progressbar 0.10.1 skips its consumer's close when the bar closes before its first periodic
            // redraw ran (a bar shown for a few milliseconds): end the line here; closing twice is a no-op.
            consumer.close();
            bar = null;
        }
    }

    /**
     * Draws each rendering over the last one with a carriage return; a new line when closed, and nothing
     * after that (the library's periodic redraw may still be running when the bar closes).
     */
    private static final class Consumer implements ProgressBarConsumer {
        private final PrintWriter err;
        private final int width;
        private boolean closed;

        Consumer(PrintWriter err, int width) {
            this.err = err;
            this.width = width;
        }

        @Override
        public int getMaxRenderedLength() {
            return width - 1;
        }

        @Override
        public void accept(String rendered) {
            synchronized (err) {
                if (closed) {
                    return;
                }
                err.print('\r');
                err.print(rendered);
                err.flush();
            }
        }

        @Override
        public void close() {
            synchronized (err) {
                if (closed) {
                    return;
                }
                closed = true;
                err.println();
                err.flush();
            }
        }
    }
}
