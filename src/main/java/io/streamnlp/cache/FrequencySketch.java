package io.streamnlp.cache;

import org.apache.kafka.common.utils.Bytes;

/**
 * TinyLFU's frequency estimate: a count-min sketch (4 rows of small counters) of how often each key
 * was looked up recently. Every {@code sampleSize} increments all counters are halved, so old
 * popularity fades and a text that was frequent last month does not hold its place forever.
 * Memory is fixed (4 ints per expected entry, rounded up to a power of two), whatever the traffic.
 *
 * <p>The keys are already SHA-256 prefixes, so their bytes serve as the four independent hashes.
 */
final class FrequencySketch {

    private static final int ROWS = 4;
    private static final int MAX_COUNT = 15;

    private final int[][] table;
    private final int mask;
    private final long sampleSize;
    private long additions;

    FrequencySketch(long expectedEntries) {
        int width = Integer.highestOneBit((int) Math.max(64, Math.min(1 << 26, expectedEntries)) - 1) << 1;
        this.table = new int[ROWS][width];
        this.mask = width - 1;
        this.sampleSize = 10L * Math.max(64, expectedEntries);
    }

    /** Counts one more look-up of {@code key}. */
    void increment(Bytes key) {
        byte[] bytes = key.get();
        boolean added = false;
        for (int row = 0; row < ROWS; row++) {
            int[] counters = table[row];
            int slot = index(bytes, row);
            if (counters[slot] < MAX_COUNT) {
                counters[slot]++;
                added = true;
            }
        }
        if (added && ++additions >= sampleSize) {
            age();
        }
    }

    /** Estimated recent look-ups of {@code key} (never an underestimate, save for aging). */
    int frequency(Bytes key) {
        byte[] bytes = key.get();
        int min = MAX_COUNT;
        for (int row = 0; row < ROWS; row++) {
            min = Math.min(min, table[row][index(bytes, row)]);
        }
        return min;
    }

    private void age() {
        for (int[] counters : table) {
            for (int i = 0; i < counters.length; i++) {
                counters[i] >>>= 1;
            }
        }
        additions /= 2;
    }

    private int index(byte[] key, int row) {
        int offset = row * 4;
        int hash = (key[offset] & 0xff) | (key[offset + 1] & 0xff) << 8 | (key[offset + 2] & 0xff) << 16
                | (key[offset + 3] & 0xff) << 24;
        return hash & mask;
    }
}
