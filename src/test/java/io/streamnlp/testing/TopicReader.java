package io.streamnlp.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a whole topic as a downstream user would: read_committed, from the beginning, until at least
 * {@code expected} records arrived, then on to the end offsets: once no transaction is open on the
 * topic any more (last stable offset = high watermark), every partition is read up to its end, so a
 * duplicate written after the expected count shows however late it came.
 */
public final class TopicReader {

    private TopicReader() {}

    public static <V> List<ConsumerRecord<byte[], V>> readAll(String bootstrapServers, String topic,
            Deserializer<V> valueDeserializer, int expected, Duration timeout) {
        return readAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic, valueDeserializer,
                expected, timeout);
    }

    /** The same with the client settings of a secured cluster ({@code bootstrap.servers} and security). */
    public static <V> List<ConsumerRecord<byte[], V>> readAll(Map<String, Object> clientSettings, String topic,
            Deserializer<V> valueDeserializer, int expected, Duration timeout) {
        Map<String, Object> props = new java.util.HashMap<>(clientSettings);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], V>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), valueDeserializer)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            Map<TopicPartition, Long> end = settledEndOffsets(clientSettings, topic, deadline);
            while (!reached(consumer, end) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /**
     * The end offsets of every partition once no transaction is open on the topic (read_committed end
     * = read_uncommitted end), or the latest read_committed ends when the deadline passes first.
     */
    private static Map<TopicPartition, Long> settledEndOffsets(Map<String, Object> clientSettings, String topic,
            long deadline) {
        try (Admin admin = Admin.create(clientSettings)) {
            while (true) {
                List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get()
                        .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                Map<TopicPartition, Long> committed = ends(admin, partitions, IsolationLevel.READ_COMMITTED);
                Map<TopicPartition, Long> written = ends(admin, partitions, IsolationLevel.READ_UNCOMMITTED);
                if (committed.equals(written) || System.nanoTime() > deadline) {
                    return committed;
                }
                Thread.sleep(100); // poll interval of the condition "no open transaction"
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        }
    }

    private static Map<TopicPartition, Long> ends(Admin admin, List<TopicPartition> partitions, IsolationLevel isolation)
            throws InterruptedException, java.util.concurrent.ExecutionException {
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new java.util.HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get()
                .forEach((p, info) -> ends.put(p, info.offset()));
        return ends;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (e.getValue() > 0 && (!consumer.assignment().contains(e.getKey()) || consumer.position(e.getKey()) < e.getValue())) {
                return false;
            }
        }
        return true;
    }

    public static List<ConsumerRecord<byte[], byte[]>> readAllBytes(String bootstrapServers, String topic,
            int expected, Duration timeout) {
        return readAll(bootstrapServers, topic, new ByteArrayDeserializer(), expected, timeout);
    }
}
