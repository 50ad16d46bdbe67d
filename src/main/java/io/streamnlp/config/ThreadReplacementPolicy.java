package io.streamnlp.config;

import java.time.Duration;

/**
 * When a stream thread that failed for a reason that is not a record's is replaced, and when the
 * instance stops instead (see {@code max.thread.replacements}).
 *
 * @param maxReplacements replacements allowed within {@code window}; one more stops the instance
 * @param window the sliding window they are counted in
 * @param initialBackoff wait before the first replacement in the window; doubled for each further one
 */
public record ThreadReplacementPolicy(int maxReplacements, Duration window, Duration initialBackoff) {

    /** The longest wait before a replacement, however many came before it. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    /** The wait before the {@code n}-th replacement in the window (n counted from 1). */
    public Duration backoff(int n) {
        long millis = initialBackoff.toMillis();
        for (int i = 1; i < n && millis < MAX_BACKOFF.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }
}
