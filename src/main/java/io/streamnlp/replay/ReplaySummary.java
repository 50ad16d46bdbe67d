package io.streamnlp.replay;

import java.time.Duration;
import java.util.Locale;

/**
 * What a replay did, in this process (a resumed replay counts from its resumption).
 *
 * @param in source records in the window that reached the ingest stage
 * @param out events enriched (all three records written)
 * @param deadLettered events sent to the dead-letter topic
 * @param cacheHits events served from the result cache
 * @param skipped source records read but outside the window (e.g. past its end time)
 */
public record ReplaySummary(String id, long in, long out, long deadLettered, long cacheHits, long skipped, Duration elapsed) {

    public double recordsPerSecond() {
        return out / Math.max(1e-3, elapsed.toMillis() / 1000.0);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, """
                Replay %s finished
                  records in      %,d
                  enriched (out)  %,d
                  dead-lettered   %,d
                  cache hits      %,d
                  outside window  %,d
                  elapsed         %s
                  throughput      %.1f records/s""",
                id, in, out, deadLettered, cacheHits, skipped, ReplayProgress.format(elapsed), recordsPerSecond());
    }
}
