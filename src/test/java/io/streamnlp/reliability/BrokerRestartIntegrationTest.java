package io.streamnlp.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.local.LocalKafkaBroker;
import io.streamnlp.topics.Topics;
import io.streamnlp.testing.PipelineProbe;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stops mid-stream and comes back on the same address with the same data; the
 * application rides it out with exactly-once intact. Uses the demo's broker (Kafka's released
 * server classes), which can restart on fixed ports.
 */
@Tag("slow")
class BrokerRestartIntegrationTest {

    private static final int EVENTS = 5000;

    @TempDir
    Path stateDir;

    @Test
    void exactlyOnceHoldsAcrossABrokerRestart() throws Exception {
        try (LocalKafkaBroker kafka = LocalKafkaBroker.start();
                SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()))) {
            Map<String, Object> admin = Map.of("bootstrap.servers", kafka.bootstrapServers());
            Topics.ensure(admin, List.of("restart.in"), 2);
            Topics.ensure(admin, List.of("restart.embeddings", "restart.sentiment", "restart.entities", "restart.dlq"), 2);
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < EVENTS; i++) {
                    producer.send(new ProducerRecord<>("restart.in", "id-" + i, "Event " + i + ": the hotel room was clean and quiet."));
                }
            }
            StreamNlpConfig config = ConfigLoader.load(null, Map.of(), Map.of(
                    StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                    StreamNlpConfig.APPLICATION_ID, "restart",
                    StreamNlpConfig.INPUT_TOPICS, "restart.in:text",
                    StreamNlpConfig.OUTPUT_TOPIC_PREFIX, "restart",
                    StreamNlpConfig.METRICS_PORT, "0", // any free port: instances may share this JVM
                    StreamNlpConfig.STATE_DIR, stateDir.toString()));
            long atRestart;
            List<? extends ConsumerRecord<byte[], EmbeddingRecord>> records;
            try (StreamNlpApplication app = new StreamNlpApplication(config)) {
                app.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while ((atRestart = PipelineProbe.processed(kafka.bootstrapServers(), "restart", "restart.in")) < EVENTS / 10
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                kafka.restart(Duration.ofSeconds(3));
                while (PipelineProbe.processed(kafka.bootstrapServers(), "restart", "restart.in") < EVENTS
                        && System.nanoTime() < deadline + Duration.ofSeconds(120).toNanos()) {
                    Thread.sleep(250);
                }
                // Read while the app runs: committed input may still sit in the pending-batch store (a
                // batch collecting, or the one the encoder is on); a close would leave it there for the
                // next start, and this test has none.
                records = TopicReader.readAll(kafka.bootstrapServers(), "restart.embeddings",
                        AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), EVENTS, Duration.ofSeconds(60));
            }
            Map<String, Integer> counts = new HashMap<>();
            records.forEach(r -> counts.merge(r.value().getId(), 1, Integer::sum));
            System.out.printf("[broker-restart] restarted at %d of %d committed; %d records out, %d distinct, %d duplicates%n",
                    atRestart, EVENTS, records.size(), counts.size(), records.size() - counts.size());
            assertThat(atRestart).isLessThan(EVENTS);
            assertThat(counts).hasSize(EVENTS);
            assertThat(records).hasSize(EVENTS);
        }
    }
}
