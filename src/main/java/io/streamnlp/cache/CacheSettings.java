package io.streamnlp.cache;

/**
 * Bounds of the result cache of one task (see {@link ResultCache}).
 *
 * @param maxEntries most entries kept per task
 * @param maxBytes most bytes of entries (key + value as stored) kept per task
 * @param ttlMs age after which an entry is no longer served, counted from its admission
 */
public record CacheSettings(long maxEntries, long maxBytes, long ttlMs) {

    public CacheSettings {
        if (maxEntries < 1 || maxBytes < 1 || ttlMs < 1) {
            throw new IllegalArgumentException("cache bounds must be positive: " + maxEntries + " entries, "
                    + maxBytes + " bytes, TTL " + ttlMs + " ms");
        }
    }
}
