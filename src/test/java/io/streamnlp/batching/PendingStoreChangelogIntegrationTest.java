package io.streamnlp.batching;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import io.streamnlp.topology.TopologyNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pending-batch store sits behind Kafka Streams' record cache: a text put when it arrives and
 * deleted when its batch ran, inside one commit interval, reaches the store's changelog only as a
 * tombstone, never with its bytes; and once every text is emitted, the changelog says the store is
 * empty. Without the cache every text would be written there in full and then deleted.
 */
class PendingStoreChangelogIntegrationTest {

    private static final String APP = "pending-changelog";
    private static final int EVENTS = 60;

    @TempDir
    Path stateDir;

    @Test
    void textsThatRanWithinOneCommitIntervalReachTheChangelogOnlyAsTombstones() throws Exception {
        try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
            kafka.createTopics(List.of("pending.in"), 1);
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < EVENTS; i++) {
                    producer.send(new ProducerRecord<>("pending.in", "id-" + i, "Order " + i + " came a day late, well packed."));
                }
            }
            try (StreamNlpApplication app = new StreamNlpApplication(config(kafka))) {
                app.start();
                assertThat(TopicReader.readAllBytes(kafka.bootstrapServers(), "pending.embeddings", EVENTS, Duration.ofSeconds(120)))
                        .as("embeddings out").hasSize(EVENTS);

                List<ConsumerRecord<byte[], byte[]>> changelog = TopicReader.readAllBytes(kafka.bootstrapServers(),
                        APP + "-" + TopologyNames.PENDING_STORE + "-changelog", 0, Duration.ofSeconds(60));
                long withText = changelog.stream().filter(r -> r.value() != null).count();
                Map<Bytes, byte[]> last = new HashMap<>();
                changelog.forEach(r -> last.put(Bytes.wrap(r.key()), r.value()));
                System.out.printf("[pending-changelog] %d texts: %d changelog records, %d with the text, %d keys%n",
                        EVENTS, changelog.size(), withText, last.size());
                assertThat(changelog).as("the deletes reach the changelog").isNotEmpty();
                assertThat(last.values()).as("every key's last changelog record: the store is empty once all is emitted")
                        .allMatch(value -> value == null);
                assertThat(withText).as("texts written to the changelog with their bytes (without the record cache: all %d)", EVENTS)
                        .isLessThanOrEqualTo(EVENTS / 4);
            }
        }
    }

    /**
     * A commit interval far longer than the run: the 60 texts reach the batch stage together when the
     * ingest task's first transaction commits and have all run before the next one.
     */
    private StreamNlpConfig config(KafkaTestCluster kafka) {
        return ConfigLoader.load(null, Map.of(), Map.of(
                StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                StreamNlpConfig.APPLICATION_ID, APP,
                StreamNlpConfig.INPUT_TOPICS, "pending.in:text",
                StreamNlpConfig.OUTPUT_TOPIC_PREFIX, "pending",
                StreamNlpConfig.KAFKA_PREFIX + "commit.interval.ms", "5000",
                StreamNlpConfig.METRICS_PORT, "-1",
                StreamNlpConfig.STATE_DIR, stateDir.toString()));
    }
}
