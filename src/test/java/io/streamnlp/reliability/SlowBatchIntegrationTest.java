package io.streamnlp.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Max-length texts in full batches, the slowest work there is, under a tight max.poll.interval.ms:
 * the bound on records per poll keeps the stream thread inside it, so the group never rebalances.
 * 30 s is a tenth of the default; four full batches of 512-token texts fit in it with e5 on 2 cores.
 */
@Tag("slow")
class SlowBatchIntegrationTest {

    private static final int EVENTS = 300;

    @TempDir
    Path stateDir;

    @Test
    void longBatchesNeverPushTheThreadPastMaxPollInterval() throws Exception {
        try (KafkaTestCluster kafka = KafkaTestCluster.start();
                SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()))) {
            kafka.createTopics(List.of("slow.in"), 1);
            kafka.createTopics(List.of("slow.embeddings", "slow.sentiment", "slow.entities", "slow.dlq"), 1);
            String longText = "The hotel was fine but the breakfast, the parking and the noise at night were not. ".repeat(40);
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < EVENTS; i++) {
                    producer.send(new ProducerRecord<>("slow.in", "id-" + i, i + " " + longText));
                }
            }
            StreamNlpConfig config = ConfigLoader.load(null, Map.of(), Map.ofEntries(
                    // One max-length pass per text, the slowest single pass (windows would split the work).
                    Map.entry(StreamNlpConfig.LONG_TEXT_MODE, "truncate"),
                    Map.entry(StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers()),
                    Map.entry(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url()),
                    Map.entry(StreamNlpConfig.APPLICATION_ID, "slow"),
                    Map.entry(StreamNlpConfig.INPUT_TOPICS, "slow.in:text"),
                    Map.entry(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, "slow"),
                    Map.entry(StreamNlpConfig.MODEL_MAX_LENGTH, "512"),
                    Map.entry(StreamNlpConfig.BATCH_MAX_TOKENS, "16384"),
                    Map.entry(StreamNlpConfig.METRICS_PORT, "0"), // any free port: instances may share this JVM
                    Map.entry(StreamNlpConfig.STATE_DIR, stateDir.toString()),
                    Map.entry("kafka.consumer.max.poll.interval.ms", "30000")));
            List<KafkaStreams.State> states = new CopyOnWriteArrayList<>();
            try (StreamNlpApplication app = new StreamNlpApplication(config)) {
                app.streams().setStateListener((now, before) -> states.add(now));
                app.start();
                var records = TopicReader.readAll(kafka.bootstrapServers(), "slow.embeddings",
                        AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), EVENTS, Duration.ofSeconds(240));
                System.out.printf("[slow-batch] %d texts of 512 tokens, states %s%n", records.size(), states);
                assertThat(records).hasSize(EVENTS);
                assertThat(records).allSatisfy(r -> assertThat(r.value().getTruncated()).isTrue());
                assertThat(states).as("one rebalance at start, none after").containsExactly(
                        KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);
            }
        }
    }
}
