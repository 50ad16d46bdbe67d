package io.streamnlp.batching;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.deadletter.DeadLetterHeaders;
import io.streamnlp.enrich.FaultInjection;
import io.streamnlp.ops.Accounting;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Failed texts, not failed batches, on a real broker: a text whose enrichment fails on its own (the
 * test seam {@link FaultInjection} makes any batch holding a marked text fail) is dead-lettered once,
 * with the input's own key, value bytes and headers and the reason, whether its batch closed in
 * {@code process()} (full) or in a punctuation (the wait ran out); every other event of its batch is
 * emitted once in all three outputs; the thread is never replaced.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailedTextIntegrationTest {

    private static final String MARK = "POISON-7f3e";
    private static final String INPUT = "failed.in";

    private KafkaTestCluster kafka;
    private StreamNlpApplication app;
    private final Map<String, RecordMetadata> produced = new TreeMap<>();
    private final Map<String, String> values = new TreeMap<>();

    @BeforeAll
    void start() throws Exception {
        System.setProperty(FaultInjection.TEXT_PROPERTY, MARK);
        kafka = KafkaTestCluster.start();
        kafka.createTopics(List.of(INPUT), 1);
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url());
        settings.put(StreamNlpConfig.APPLICATION_ID, "failed-texts");
        settings.put(StreamNlpConfig.INPUT_TOPICS, INPUT + ":json");
        settings.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, "failed");
        settings.put(StreamNlpConfig.STATE_DIR, Files.createTempDirectory("failed-it").toString());
        settings.put(StreamNlpConfig.METRICS_PORT, "-1");
        settings.put(StreamNlpConfig.BATCH_MAX_RECORDS, "4");
        settings.put(StreamNlpConfig.BATCH_MAX_WAIT_MS, "300");
        app = new StreamNlpApplication(ConfigLoader.load(null, Map.of(), settings));
        app.start();
    }

    @AfterAll
    void stop() {
        System.clearProperty(FaultInjection.TEXT_PROPERTY);
        if (app != null) {
            app.close();
        }
        kafka.close();
    }

    private void produce(KafkaProducer<String, String> producer, String id, String text) throws Exception {
        String json = "{\"id\":\"" + id + "\",\"text\":\"" + text + "\",\"attributes\":{\"shop\":\"42\"}}";
        ProducerRecord<String, String> record = new ProducerRecord<>(INPUT, id, json);
        record.headers().add("trace-id", ("trace-" + id).getBytes(StandardCharsets.UTF_8));
        produced.put(id, producer.send(record).get());
        values.put(id, json);
    }

    @Test
    void aFailingTextIsDeadLetteredOnceWithItsOriginalBytesAndItsBatchMatesAreEmitted() throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            // Eight at once: two full batches of four, closed in process(); "e2" fails.
            for (int i = 0; i < 8; i++) {
                produce(producer, "e" + i, i == 2 ? "The parcel " + MARK + " never came to Leeds." : "Parcel " + i
                        + " came to Leeds early, thanks Anna.");
            }
            producer.flush();
            assertThat(TopicReader.readAllBytes(kafka.bootstrapServers(), "failed.embeddings", 7, Duration.ofSeconds(120)))
                    .hasSize(7);
            // One alone, after a quiet period: its batch closes in the wall-clock punctuation.
            produce(producer, "e8", "Another " + MARK + " text, all alone.");
        }
        List<String> enriched = List.of("e0", "e1", "e3", "e4", "e5", "e6", "e7");
        for (String topic : List.of("failed.embeddings", "failed.sentiment", "failed.entities")) {
            List<ConsumerRecord<byte[], byte[]>> out = TopicReader.readAllBytes(kafka.bootstrapServers(), topic, 7,
                    Duration.ofSeconds(60));
            assertThat(out.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).sorted().toList())
                    .as("keys in %s, each once", topic).isEqualTo(enriched);
        }
        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readAllBytes(kafka.bootstrapServers(), "failed.dlq", 2,
                Duration.ofSeconds(60));
        assertThat(dead).hasSize(2);
        for (ConsumerRecord<byte[], byte[]> letter : dead) {
            String id = new String(letter.key(), StandardCharsets.UTF_8);
            assertThat(id).isIn("e2", "e8");
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).as("original value bytes").isEqualTo(values.get(id));
            assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.REASON)).isEqualTo("processing-error");
            assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.STAGE)).isEqualTo(BatchingProcessor.STAGE);
            assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE)).contains(MARK);
            assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(INPUT);
            assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.SOURCE_OFFSET))
                    .isEqualTo(Long.toString(produced.get(id).offset()));
            assertThat(DeadLetterHeaders.read(letter.headers(), "trace-id")).as("input header kept").isEqualTo("trace-" + id);
        }
        Accounting accounting = Accounting.from(app.streams().metrics()).get(INPUT + "-0");
        assertThat(accounting.in()).isEqualTo(9);
        assertThat(accounting.out()).isEqualTo(7);
        assertThat(accounting.deadLettered()).isEqualTo(2);
        assertThat(app.telemetry().scrape()).contains("streamnlp_thread_replacements_total")
                .containsPattern("streamnlp_thread_replacements_total\\{[^}]*\\} 0\\.0");
        assertThat(app.health().live()).isTrue();
    }
}
