package io.streamnlp.replay;

import java.time.Duration;
import java.util.Locale;

/**
 * What a replay did, in this process (a resumed replay counts from its resumption).
 *
 * @param outcome how this run of the replay ended
 * @param in source records in the window that reached the ingest stage
 * @param out events enriched (all three records written)
 * @param deadLettered events sent to the dead-letter topic
 * @param cacheHits events served from the result cache
 * @param skipped source records read but outside the window (e.g. past its end time)
 * @param done source records of the plan read and committed so far, across all runs of this replay (their
 *     enrichment may still wait in the by-text topic or the pending store, which a resumed run finishes)
 * @param total records in the plan
 * @param failure why the replay gave up ({@link Outcome#GAVE_UP}), else null
 */
public record ReplaySummary(String id, Outcome outcome, long in, long out, long deadLettered, long cacheHits,
        long skipped, long done, long total, Duration elapsed, String failure) {

    /** How a run of a replay ended. */
    public enum Outcome {
        /** Every partition passed its end: the plan is marked finished. */
        FINISHED,
        /** Stopped by a signal: what was done is committed, the same command resumes it. */
        INTERRUPTED,
        /** The plan had finished before: nothing was started, nothing written. */
        ALREADY_FINISHED,
        /** The instance gave up (see {@code max.thread.replacements}); the same command resumes it. */
        GAVE_UP,
        /**
         * Everything is read and nothing waits on this host, but the group has other members (hosts
         * running the same replay): this host left, and the member that stays finishes and cleans up.
         * The plan is not marked finished here: the same command resumes it if no member finished it.
         */
        HANDED_OFF
    }

    static ReplaySummary alreadyFinished(String id, long records) {
        return new ReplaySummary(id, Outcome.ALREADY_FINISHED, 0, 0, 0, 0, 0, records, records, Duration.ZERO, null);
    }

    public double recordsPerSecond() {
        return out / Math.max(1e-3, elapsed.toMillis() / 1000.0);
    }

    @Override
    public String toString() {
        String counters = String.format(Locale.ROOT, """
                  records in      %,d
                  enriched (out)  %,d
                  dead-lettered   %,d
                  cache hits      %,d
                  outside window  %,d
                  elapsed         %s
                  throughput      %.1f records/s""",
                in, out, deadLettered, cacheHits, skipped, ReplayProgress.format(elapsed), recordsPerSecond());
        return switch (outcome) {
            case FINISHED -> "Replay " + id + " finished\n" + counters;
            case INTERRUPTED -> String.format(Locale.ROOT,
                    "Replay %s interrupted: %,d of %,d records read and committed; run the same command to resume it%n",
                    id, done, total) + counters;
            case ALREADY_FINISHED -> String.format(Locale.ROOT, "Replay %s already finished: %,d records; nothing to do",
                    id, total);
            case GAVE_UP -> String.format(Locale.ROOT,
                    "Replay %s stopped after a failure: %s; %,d of %,d records read and committed; run the same command "
                            + "to resume it once the cause is fixed%n", id, failure, done, total) + counters;
            case HANDED_OFF -> String.format(Locale.ROOT,
                    "Replay %s: this host's part is done (%,d of %,d records read and committed by its group); another "
                            + "member of the group finishes it and deletes its internal topics. If none does (a host that "
                            + "stopped but has not yet left the group), run the same command again to finish it%n",
                    id, done, total) + counters;
        };
    }
}
