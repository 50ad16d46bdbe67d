package io.streamnlp.batching;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules of one micro-batch, apart from Kafka: it closes at {@code maxRecords} texts, before its
 * padded size (encoder rows x longest row; a long text is one row per window) would pass
 * {@code maxTokens}, or {@code maxWaitMs} after its first text arrived. Items keep their arrival order.
 */
public final class MicroBatch<T> {

    private final int maxRecords;
    private final int maxTokens;
    private final long maxWaitMs;
    private final List<T> items = new ArrayList<>();
    private int longest;
    /** Encoder rows: one per text, one per window of a long text. */
    private int rows;
    private long firstArrivalMs = -1;

    public MicroBatch(int maxRecords, int maxTokens, long maxWaitMs) {
        this.maxRecords = maxRecords;
        this.maxTokens = maxTokens;
        this.maxWaitMs = maxWaitMs;
    }

    /** False when adding a text of this many tokens would break the record count or token budget. */
    public boolean canAccept(int tokens) {
        return canAccept(1, tokens);
    }

    /**
     * False when adding a text of {@code rows} encoder rows (windows of a long text), the longest
     * {@code tokens} long, would break the record count or the token budget.
     */
    public boolean canAccept(int rows, int tokens) {
        if (items.isEmpty()) {
            return true; // a single text always fits: maxTokens >= the model's max length x its windows
        }
        long padded = (long) (this.rows + rows) * Math.max(longest, tokens);
        return items.size() < maxRecords && padded <= maxTokens;
    }

    public void add(T item, int tokens, long nowMs) {
        add(item, 1, tokens, nowMs);
    }

    /** Adds a text of {@code rows} encoder rows, the longest {@code tokens} long. */
    public void add(T item, int rows, int tokens, long nowMs) {
        if (items.isEmpty()) {
            firstArrivalMs = nowMs;
        }
        items.add(item);
        this.rows += rows;
        longest = Math.max(longest, tokens);
    }

    /** Full by count, or so near the token budget that no text of the current longest length fits. */
    public boolean isFull() {
        return items.size() >= maxRecords || (long) (rows + 1) * longest > maxTokens;
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
        return (long) rows * longest;
    }

    /** Empties the batch and returns its items in arrival order. */
    public List<T> drain() {
        List<T> drained = List.copyOf(items);
        items.clear();
        longest = 0;
        rows = 0;
        firstArrivalMs = -1;
        return drained;
    }
}
