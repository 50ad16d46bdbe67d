package io.streamnlp.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Dead letters sent by the processing exception handler, which Kafka Streams creates itself and
 * gives no task metrics: counted here per source topic, partition and reason, so that the accounting
 * ({@code in = out + dead-lettered + pending}) and the metrics include them. One per application
 * instance, handed to the handler through the Streams config.
 */
public final class DeadLetterTally {

    /** Counts nothing (tools and tests that run a topology without an application). */
    public static final DeadLetterTally NONE = new DeadLetterTally();

    /** Source partition and reason of a count. */
    public record Key(String topic, int partition, String reason) {}

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

    public void count(String topic, int partition, String reason) {
        if (this != NONE) {
            counts.computeIfAbsent(new Key(topic, partition, reason), k -> new LongAdder()).increment();
        }
    }

    /** The count of one key so far (0 if none). */
    public long count(Key key) {
        LongAdder adder = counts.get(key);
        return adder == null ? 0 : adder.sum();
    }

    /** A snapshot of every count so far. */
    public Map<Key, Long> snapshot() {
        Map<Key, Long> copy = new java.util.TreeMap<>(java.util.Comparator.comparing(Key::topic)
                .thenComparingInt(Key::partition).thenComparing(Key::reason));
        counts.forEach((key, adder) -> copy.put(key, adder.sum()));
        return copy;
    }
}
