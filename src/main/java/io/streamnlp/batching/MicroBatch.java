package io.streamnlp.batching;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules of one micro-batch, apart from Kafka: it closes at {@code maxRecords} texts, before its
 * padded size (texts x longest text) would pass {@code maxTokens}, or {@code maxWaitMs} after its
 * first text arrived. Items keep their arrival order.
 */
public final class MicroBatch<T> {

    private final int maxRecords;
    private final int maxTokens;
    private final long maxWaitMs;
    private final List<T> items = new ArrayList<>();
    private int longest;
    private long firstArrivalMs = -1;

    public MicroBatch(int maxRecords, int maxTokens, long maxWaitMs) {
        this.maxRecords = maxRecords;
        this.maxTokens = maxTokens;
        this.maxWaitMs = maxWaitMs;
    }

    /** False when adding a text of this many tokens would break the record count or token budget. */
    public boolean canAccept(int tokens) {
        if (items.isEmpty()) {
            return true; // a single text always fits: maxTokens >= the model's max length
        }
        long padded = (long) (items.size() + 1) * Math.max(longest, tokens);
        return items.size() < maxRecords && padded <= maxTokens;
    }

    public void add(T item, int tokens, long nowMs) {
        if (items.isEmpty()) {
            firstArrivalMs = nowMs;
        }
        items.add(item);
        longest = Math.max(longest, tokens);
    }

    /** Full by count, or so near the token budget that no text of the current longest length fits. */
    public boolean isFull() {
        return items.size() >= maxRecords || (long) (items.size() + 1) * longest > maxTokens;
    }

    /** True when the oldest text has waited {@code maxWaitMs} or more. */
    public boolean isDue(long nowMs) {
        return !items.isEmpty() && nowMs - firstArrivalMs >= maxWaitMs;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public int size() {
        return items.size();
    }

    /** Padded tokens if run as one tensor: the bound the token budget holds. */
    public long paddedTokens() {
        return (long) items.size() * longest;
    }

    /** Empties the batch and returns its items in arrival order. */
    public List<T> drain() {
        List<T> drained = List.copyOf(items);
        items.clear();
        longest = 0;
        firstArrivalMs = -1;
        return drained;
    }
}
