package io.streamnlp.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.local.SampleReviews;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays on a real broker: a topic of 3,000 events, one a minute over two days. A middle time window
 * comes out exactly, once each, with the input's keys and timestamps. (Resuming a killed replay is
 * not covered yet: see the replay issue's note.)
 */
class ReplayIntegrationTest {

    private static final String HISTORY = "history";
    private static final int EVENTS = 3000;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path stateDir;

    @Test
    void replaysATimeWindowExactlyOnceEach() throws Exception {
        List<String> samples = SampleReviews.load().stream().map(SampleReviews.Review::text).toList();
        try (KafkaTestCluster kafka = KafkaTestCluster.start();
                SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()))) {
            kafka.createTopics(List.of(HISTORY), 4);
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < EVENTS; i++) {
                    producer.send(new ProducerRecord<>(HISTORY, null, minute(i), "h-" + i, samples.get(i % samples.size())));
                }
            }
            StreamNlpConfig base = ConfigLoader.load(null, Map.of(), Map.of(
                    StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                    StreamNlpConfig.STATE_DIR, stateDir.toString()));

            // 1. A middle window, [minute 1000, minute 2000), into a separate output set.
            String from = Instant.ofEpochMilli(minute(1000)).toString();
            String until = Instant.ofEpochMilli(minute(2000)).toString();
            ReplaySummary window = ReplayRunner.run(
                    new ReplayRunner.Request(HISTORY + ":text", from, until, "window", null, 0), base, null);
            System.out.println(window);
            assertThat(window.in()).isEqualTo(1000);
            assertThat(window.out()).isEqualTo(1000);
            assertThat(window.deadLettered()).isZero();
            Outputs windowed = Outputs.read(kafka, registry, "window", 1000);
            assertThat(windowed.embeddings().keySet()).isEqualTo(ids(1000, 2000));
            windowed.embeddingRecords().forEach(r -> {
                int i = Integer.parseInt(r.value().getId().substring(2));
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(r.value().getId());
                assertThat(r.timestamp()).isEqualTo(minute(i));
            });
            assertThat(windowed.sentiment().keySet()).isEqualTo(ids(1000, 2000));
            assertThat(windowed.entities().keySet()).isEqualTo(ids(1000, 2000));

        }
    }

    private static long minute(int i) {
        return T0.toEpochMilli() + i * 60_000L;
    }

    private static java.util.Set<String> ids(int from, int until) {
        return IntStream.range(from, until).mapToObj(i -> "h-" + i).collect(Collectors.toSet());
    }



    /** The three output topics of one replay, by id; fails on a duplicate. */
    private record Outputs(List<ConsumerRecord<byte[], EmbeddingRecord>> embeddingRecords, Map<String, EmbeddingRecord> embeddings,
            Map<String, SentimentRecord> sentiment, Map<String, EntitiesRecord> entities) {

        static Outputs read(KafkaTestCluster kafka, SchemaRegistryClient registry, String prefix, int expected) {
            Duration timeout = Duration.ofSeconds(60);
            var embeddings = TopicReader.readAll(kafka.bootstrapServers(), prefix + ".embeddings",
                    AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), expected, timeout);
            return new Outputs(embeddings, byId(embeddings, EmbeddingRecord::getId),
                    byId(TopicReader.readAll(kafka.bootstrapServers(), prefix + ".sentiment",
                            AvroSerdes.specific(SentimentRecord.class, registry, false).deserializer(), expected, timeout),
                            SentimentRecord::getId),
                    byId(TopicReader.readAll(kafka.bootstrapServers(), prefix + ".entities",
                            AvroSerdes.specific(EntitiesRecord.class, registry, false).deserializer(), expected, timeout),
                            EntitiesRecord::getId));
        }

        private static <V> Map<String, V> byId(List<ConsumerRecord<byte[], V>> records, Function<V, String> id) {
            Map<String, V> byId = new HashMap<>();
            for (var record : records) {
                assertThat(byId.put(id.apply(record.value()), record.value())).as("duplicate %s", id.apply(record.value())).isNull();
            }
            return byId;
        }
    }
}
