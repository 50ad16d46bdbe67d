package io.streamnlp.batching;

import io.streamnlp.schema.internal.PendingText;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The pending-batch store of one task: every text consumed but not yet emitted, by arrival sequence.
 * Its writes commit with the consumed offsets, its deletes with the outputs, so what a crash or a task
 * move leaves in it is exactly what must still be encoded.
 */
final class PendingTexts {

    private final KeyValueStore<Long, PendingText> store;
    private long nextSequence;

    PendingTexts(KeyValueStore<Long, PendingText> store) {
        this.store = store;
    }

    /** What an earlier owner of the task left, in arrival order; new texts are numbered after it. */
    List<KeyValue<Long, PendingText>> leftOver() {
        List<KeyValue<Long, PendingText>> found = new ArrayList<>();
        try (KeyValueIterator<Long, PendingText> all = store.all()) {
            all.forEachRemaining(found::add);
        }
        nextSequence = found.isEmpty() ? 0 : found.getLast().key + 1;
        return found;
    }

    /** Holds a text until {@link #remove}; returns its sequence. */
    long add(PendingText event) {
        long sequence = nextSequence++;
        store.put(sequence, event);
        return sequence;
    }

    void remove(long sequence) {
        store.delete(sequence);
    }
}
