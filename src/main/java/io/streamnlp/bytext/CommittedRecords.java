package io.streamnlp.bytext;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Tells whether a stretch of a partition holds any record a read-committed consumer would get
 * (used by the by-text guard and by the replay to tell "drained" from "not yet").
 *
 * <p>Why offsets alone cannot say: a transactional log holds commit and abort markers and, after a
 * crash, the aborted writes of the killed transaction. They take offsets but are never delivered, so
 * an application that consumed everything may keep a committed offset short of the log end (Kafka
 * Streams commits the offset after the last record it processed, not past the markers behind it).
 * A replay judging "done" by {@code committed >= end} would then wait forever.
 */
public final class CommittedRecords implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration LIMIT = Duration.ofSeconds(5);

    private final KafkaConsumer<byte[], byte[]> consumer;

    public CommittedRecords(Map<String, Object> clientProperties) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Is there a deliverable record at an offset in [{@code from}, {@code until})? Answers yes when it
     * cannot tell within a few seconds (e.g. an open transaction of a killed run, which the broker
     * aborts after its timeout): the caller asks again later.
     */
    public boolean anyBetween(TopicPartition partition, long from, long until) {
        if (from >= until) {
            return false;
        }
        consumer.assign(List.of(partition));
        consumer.seek(partition, from);
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL).records(partition)) {
                return record.offset() < until;
            }
            if (consumer.position(partition) >= until) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
