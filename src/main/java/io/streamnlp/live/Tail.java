package io.streamnlp.live;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The latest enriched records: a fixed ring buffer, lock-free (a writer takes a sequence number and
 * stores into its slot; a reader keeps only the slots whose record carries the sequence number it
 * expects there, so a slot being overwritten is skipped, never shown twice).
 */
final class Tail {

    private final AtomicReferenceArray<TailRecord> slots;
    private final AtomicLong next = new AtomicLong();

    Tail(int capacity) {
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    int capacity() {
        return slots.length();
    }

    /** The next sequence number; pass it to the record, then {@link #put} it. */
    long claim() {
        return next.getAndIncrement();
    }

    void put(TailRecord record) {
        slots.set((int) (record.seq() % slots.length()), record);
    }

    /** Records written so far (the tail keeps the last {@link #capacity()} of them). */
    long count() {
        return next.get();
    }

    /** Up to {@code n} of the latest records, newest first. */
    List<TailRecord> latest(int n) {
        long end = next.get();
        int wanted = (int) Math.min(Math.min(n, slots.length()), end);
        List<TailRecord> out = new ArrayList<>(wanted);
        for (long seq = end - 1; seq >= end - wanted; seq--) {
            TailRecord record = slots.get((int) (seq % slots.length()));
            if (record != null && record.seq() == seq) {
                out.add(record);
            }
        }
        return out;
    }
}
