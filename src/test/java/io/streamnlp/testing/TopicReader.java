package io.streamnlp.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a whole topic as a downstream user would: read_committed, from the beginning, until at least
 * {@code expected} records arrived, then a little longer so that extra records (duplicates) show.
 */
public final class TopicReader {

    private TopicReader() {}

    public static <V> List<ConsumerRecord<byte[], V>> readAll(String bootstrapServers, String topic,
            Deserializer<V> valueDeserializer, int expected, Duration timeout) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], V>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), valueDeserializer)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            long grace = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < grace) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    public static List<ConsumerRecord<byte[], byte[]>> readAllBytes(String bootstrapServers, String topic,
            int expected, Duration timeout) {
        return readAll(bootstrapServers, topic, new ByteArrayDeserializer(), expected, timeout);
    }
}
