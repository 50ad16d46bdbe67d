package io.streamnlp.replay;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows how far a replay is: a bar redrawn in place on a terminal (records done / total, rate,
 * ETA), or a plain log line every {@value #LOG_EVERY_S} s when the output is not a terminal.
 */
final class ReplayProgress {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayProgress.class);
    private static final int LOG_EVERY_S = 10;
    private static final int WIDTH = 30;

    private final long total;
    private final PrintStream terminal;
    private final long started = System.nanoTime();
    private long lastLog = started;

    /** @param terminal where to draw the bar, or null to log lines instead */
    ReplayProgress(long total, PrintStream terminal) {
        this.total = total;
        this.terminal = terminal;
    }

    void update(long done, boolean finished) {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        double rate = done / seconds;
        String eta = rate > 0 && done < total ? format(Duration.ofSeconds(Math.round((total - done) / rate))) : "-";
        double share = total == 0 ? 1 : Math.min(1, (double) done / total);
        String figures = String.format(Locale.ROOT, "%,d / %,d records (%.0f %%), %.0f records/s, ETA %s",
                done, total, 100 * share, rate, eta);
        if (terminal != null) {
            int filled = (int) Math.round(share * WIDTH);
            terminal.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + figures + "   ");
            if (finished) {
                terminal.println();
            }
            terminal.flush();
        } else if (finished || now - lastLog >= LOG_EVERY_S * 1_000_000_000L) {
            lastLog = now;
            LOG.info("Replay progress: {}", figures);
        }
    }

    /** The replay stops short of its end: end the bar's line, so what follows starts on its own. */
    void stopped() {
        if (terminal != null) {
            terminal.println();
            terminal.flush();
        }
    }

    static String format(Duration d) {
        return d.toHours() > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
                : String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
    }
}
