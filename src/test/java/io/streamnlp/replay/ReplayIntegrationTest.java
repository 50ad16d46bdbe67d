package io.streamnlp.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.samples.SampleReviews;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import io.streamnlp.testing.ChildApp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays on a real broker: a topic of 3,000 events, one a minute over two days. A middle time window
 * comes out exactly, once each, with the input's keys and timestamps; a replay SIGKILLed midway and
 * run again resumes and finishes with every event out once; a replay's results do not depend on how
 * its texts were batched (against batch size 1 with the cache off).
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
            fillHistory(kafka, EVENTS, i -> samples.get(i % samples.size()));
            StreamNlpConfig base = ConfigLoader.load(null, Map.of(), Map.of(
                    StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                    StreamNlpConfig.METRICS_PORT, "0", // any free port: instances may share this JVM
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

            // 2. Determinism: a sample replayed one text at a time, cache off, gives the same answers.
            String sampleFrom = Instant.ofEpochMilli(minute(1100)).toString();
            String sampleUntil = Instant.ofEpochMilli(minute(1160)).toString();
            Map<String, String> oneByOne = new HashMap<>(Map.of(
                    StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                    StreamNlpConfig.STATE_DIR, stateDir.toString(),
                    StreamNlpConfig.BATCH_MAX_RECORDS, "1",
                    StreamNlpConfig.CACHE_ENABLED, "false"));
            ReplaySummary single = ReplayRunner.run(new ReplayRunner.Request(HISTORY + ":text", sampleFrom, sampleUntil,
                    "single", null, 0), ConfigLoader.load(null, Map.of(), oneByOne), null);
            assertThat(single.out()).isEqualTo(60);
            Outputs reference = Outputs.read(kafka, registry, "single", 60);
            assertThat(reference.embeddings().keySet()).isEqualTo(ids(1100, 1160));
            reference.embeddings().forEach((id, expected) -> {
                assertThat(cosine(windowed.embeddings().get(id).getVector(), expected.getVector())).as(id)
                        .isGreaterThanOrEqualTo(0.9999);
                assertThat(windowed.sentiment().get(id).getLabel()).as(id).isEqualTo(reference.sentiment().get(id).getLabel());
                assertThat(spans(windowed.entities().get(id))).as(id).isEqualTo(spans(reference.entities().get(id)));
            });
        }
    }

    @Test
    @Tag("slow")
    void aKilledReplayResumesWithoutDuplicates() throws Exception {
        List<String> samples = SampleReviews.load().stream().map(SampleReviews.Review::text).toList();
        int events = 600;
        try (KafkaTestCluster kafka = KafkaTestCluster.start();
                SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()))) {
            // Distinct texts: every event costs an encoder pass, so the replay is still busy when killed.
            fillHistory(kafka, events, i -> "Review " + i + ": " + samples.get(i % samples.size()));
            Map<String, String> settings = Map.of(
                    StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                    StreamNlpConfig.STATE_DIR, stateDir.toString(),
                    // The killed member holds its partitions until its session times out (45 s by default).
                    "kafka.session.timeout.ms", "10000");
            ChildApp child = ChildApp.start("replay",
                    List.of("--from", HISTORY + ":text", "--output-prefix", "resumed", "--max-rate", "20"),
                    settings, ChildApp.newLog(stateDir, "replay-killed"));
            ReplayRunner.Request request = new ReplayRunner.Request(HISTORY + ":text", "earliest", "latest", "resumed",
                    null, 0);
            StreamNlpConfig config = ConfigLoader.load(null, Map.of(), settings);
            String group = ReplayRunner.idOf(request, config);
            // Kill it once it has committed some, not all, of its input (and so the outputs of those).
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            long read = 0;
            while (read < 100 && System.nanoTime() < deadline) {
                Thread.sleep(250);
                read = committedInput(kafka, group);
            }
            child.kill();
            assertThat(read).isBetween(100L, (long) events - 1);

            // Same request, same id: resumes from its own commits and stops by itself at the end.
            ReplaySummary resumed = ReplayRunner.run(request, config, null);
            System.out.println(resumed);
            // It went on from the killed run's commits: neither from scratch nor with nothing left to read.
            assertThat(resumed.in()).isBetween(1L, (long) events - 1);
            Outputs all = Outputs.read(kafka, registry, "resumed", events); // fails on any duplicate
            assertThat(all.embeddings().keySet()).isEqualTo(ids(0, events));
            assertThat(all.sentiment().keySet()).isEqualTo(ids(0, events));
            assertThat(all.entities().keySet()).isEqualTo(ids(0, events));
        }
    }

    /** Source records the replay's group has committed as read. */
    private static long committedInput(KafkaTestCluster kafka, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(HISTORY) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    private static double cosine(List<Float> a, List<Float> b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i) * b.get(i);
            na += a.get(i) * a.get(i);
            nb += b.get(i) * b.get(i);
        }
        return dot / Math.sqrt(na * nb);
    }

    private static List<String> spans(EntitiesRecord record) {
        return record.getEntities().stream().map(e -> e.getType() + "@" + e.getStart() + "-" + e.getEnd()).toList();
    }

    /**
     * Creates the history topic, 4 partitions, and writes {@code events} events {@code h-<i>}, one a
     * minute. Like any topic holding months of events it keeps them (the broker's default retention
     * is 7 days, and these timestamps are older).
     */
    private static void fillHistory(KafkaTestCluster kafka, int events, java.util.function.IntFunction<String> text)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(HISTORY, 4, (short) 1).configs(Map.of("retention.ms", "-1")))).all().get();
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < events; i++) {
                producer.send(new ProducerRecord<>(HISTORY, null, minute(i), "h-" + i, text.apply(i)));
            }
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
