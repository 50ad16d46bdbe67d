package io.streamnlp.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.CachePlacement;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.inference.Pooling;
import io.streamnlp.samples.SampleReviews;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.Entity;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result cache on a real broker: a stream with known repeats spread over 4 partitions. Placed by
 * text, every repeat is served from the cache (the by-text hop brings all copies of a text to one
 * task); placed by partition, exactly the copies whose partition saw the text before are. The outputs
 * equal a cache-off run's, and a restarted application finds its cache warm.
 *
 * <p>The fp32 encoder is used so that the cache-off run is a fair reference: its vectors do not
 * depend on batch composition (int8 ones move by cosine ~0.006 with the batch, see EncoderTest).
 */
class ResultCacheIntegrationTest {

    private static final String INPUT = "rc.reviews";
    private static final int DISTINCT = 100;
    private static final int COPIES = 4;
    private static final int PARTITIONS = 4;
    private static final String MODEL = "minilm-l6";

    @TempDir
    Path stateDir;

    @Test
    void repeatsAcrossPartitionsAreServedFromTheCacheAndMatchAFreshComputation() throws Exception {
        List<String> texts = SampleReviews.load().stream().map(SampleReviews.Review::text).distinct().limit(DISTINCT).toList();
        try (KafkaTestCluster kafka = KafkaTestCluster.start();
                SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()))) {
            kafka.createTopics(List.of(INPUT), PARTITIONS);
            for (String prefix : List.of("on", "off", "part")) {
                kafka.createTopics(List.of(prefix + ".embeddings", prefix + ".sentiment", prefix + ".entities",
                        prefix + ".enriched", prefix + ".dlq"), PARTITIONS);
            }
            // Copy c of text t is event "e-<c>-<t>": keyed by id, so the copies of a text land on
            // different partitions. Odd copies get extra whitespace, which the normal form removes.
            Map<String, String> textById = new HashMap<>();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int copy = 0; copy < COPIES; copy++) {
                    for (int t = 0; t < DISTINCT; t++) {
                        String id = "e-" + copy + "-" + t;
                        String text = copy % 2 == 1 ? "  " + texts.get(t).replace(" ", "  ") : texts.get(t);
                        producer.send(new ProducerRecord<>(INPUT, id, text));
                        textById.put(id, text);
                    }
                }
            }
            int events = DISTINCT * COPIES;
            int repeats = events - DISTINCT;

            Run on;
            int[] rowsPerText;
            try (StreamNlpApplication app = new StreamNlpApplication(config(kafka, "rc-on", "on", true))) {
                app.start();
                on = Run.read(kafka, registry, "on", events);
                // The encoder counts rows: a review longer than the max length is one row per window.
                rowsPerText = new int[DISTINCT];
                for (int t = 0; t < DISTINCT; t++) {
                    rowsPerText[t] = on.embeddings().get("e-0-" + t).getWindows();
                }
                assertThat(app.encoderSessions().textsEncoded()).as("one encoder pass per distinct text")
                        .isEqualTo(java.util.Arrays.stream(rowsPerText).sum());
                assertThat(TaskMetrics.sum(app.streams().metrics(), "cache-hits-total")).as("every repeat is a hit").isEqualTo(repeats);
                assertThat(TaskMetrics.sum(app.streams().metrics(), "cache-admissions-total")).isEqualTo(DISTINCT);
            }
            assertThat(on.embeddings()).hasSize(events);
            assertThat(on.cachedCount()).isEqualTo(repeats);

            // cache.placement=partition: no hop; a copy hits only where its own partition saw the text before.
            int perTaskHits = perTaskHits(texts);
            Run part;
            try (StreamNlpApplication app = new StreamNlpApplication(
                    config(kafka, "rc-part", "part", true, CachePlacement.PARTITION))) {
                app.start();
                part = Run.read(kafka, registry, "part", events);
                assertThat(app.internalTopics()).as("no by-text topic without the hop").doesNotContain("rc-part-by-text");
                assertThat(TaskMetrics.sum(app.streams().metrics(), "cache-hits-total")).isEqualTo(perTaskHits);
            }
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).as("no by-text topic created")
                        .doesNotContain("rc-part-by-text").contains("rc-on-by-text");
            }
            assertThat(part.embeddings()).hasSize(events);
            assertThat(part.cachedCount()).as("the hits a cache per input partition gets").isEqualTo(perTaskHits);
            System.out.printf("[cache] %d events, %d distinct texts over %d partitions: ideal hit rate %.1f %%, "
                    + "cache.placement=by-text %.1f %%, cache.placement=partition %.1f %%%n", events, DISTINCT, PARTITIONS,
                    100.0 * repeats / events, 100.0 * on.cachedCount() / events, 100.0 * part.cachedCount() / events);

            Run off;
            try (StreamNlpApplication app = new StreamNlpApplication(config(kafka, "rc-off", "off", false))) {
                app.start();
                off = Run.read(kafka, registry, "off", events);
                assertThat(app.encoderSessions().textsEncoded()).isEqualTo((long) COPIES * java.util.Arrays.stream(rowsPerText).sum());
            }
            assertThat(off.cachedCount()).isZero();
            for (String id : textById.keySet()) {
                String text = textById.get(id);
                assertThat(part.sentiment().get(id).getLabel()).as(id).isEqualTo(off.sentiment().get(id).getLabel());
                assertThat(Pooling.cosine(vector(part.embeddings().get(id)), vector(off.embeddings().get(id)))).as(id)
                        .isGreaterThan(0.9999);
                assertThat(on.sentiment().get(id).getLabel()).as(id).isEqualTo(off.sentiment().get(id).getLabel());
                assertThat(spans(on.entities().get(id), text)).as(id).isEqualTo(spans(off.entities().get(id), text));
                assertThat(Pooling.cosine(vector(on.embeddings().get(id)), vector(off.embeddings().get(id)))).as(id)
                        .isGreaterThan(0.9999);
            }
            // A hit carries the very bits of the fresh computation it was cached from.
            for (int t = 0; t < DISTINCT; t++) {
                Set<List<Float>> vectors = new HashSet<>();
                for (int copy = 0; copy < COPIES; copy++) {
                    vectors.add(on.embeddings().get("e-" + copy + "-" + t).getVector());
                }
                assertThat(vectors).as("text %d", t).hasSize(1);
            }

            // Restart: the same application id finds its cache warm (restored from local RocksDB / changelog).
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int t = 0; t < DISTINCT; t++) {
                    producer.send(new ProducerRecord<>(INPUT, "again-" + t, texts.get(t)));
                }
            }
            try (StreamNlpApplication app = new StreamNlpApplication(config(kafka, "rc-on", "on", true))) {
                app.start();
                Run again = Run.read(kafka, registry, "on", events + DISTINCT);
                assertThat(again.embeddings()).hasSize(events + DISTINCT);
                assertThat(app.encoderSessions().textsEncoded()).as("warm after restart: no inference").isZero();
                assertThat(again.cachedCount()).isEqualTo(repeats + DISTINCT);
            }
        }
    }

    private StreamNlpConfig config(KafkaTestCluster kafka, String applicationId, String prefix, boolean cache) {
        return config(kafka, applicationId, prefix, cache, CachePlacement.BY_TEXT);
    }

    private StreamNlpConfig config(KafkaTestCluster kafka, String applicationId, String prefix, boolean cache,
            CachePlacement placement) {
        return ConfigLoader.load(null, Map.of(), Map.of(
                StreamNlpConfig.CACHE_PLACEMENT, placement.settingName(),
                StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                StreamNlpConfig.APPLICATION_ID, applicationId,
                StreamNlpConfig.INPUT_TOPICS, INPUT + ":text",
                StreamNlpConfig.OUTPUT_TOPIC_PREFIX, prefix,
                StreamNlpConfig.MODEL_NAME, MODEL,
                StreamNlpConfig.CACHE_ENABLED, Boolean.toString(cache),
                StreamNlpConfig.METRICS_PORT, "0", // any free port: instances may share this JVM
                StreamNlpConfig.STATE_DIR, stateDir.resolve(applicationId).toString()));
    }

    /**
     * The hits a cache per input task gets: a copy hits only where its partition saw the text before
     * (the producer's default partitioner: murmur2 of the key).
     */
    private static int perTaskHits(List<String> texts) {
        Set<String> seen = new HashSet<>();
        int hits = 0;
        for (int copy = 0; copy < COPIES; copy++) {
            for (int t = 0; t < texts.size(); t++) {
                byte[] key = ("e-" + copy + "-" + t).getBytes(StandardCharsets.UTF_8);
                int partition = Utils.toPositive(Utils.murmur2(key)) % PARTITIONS;
                if (!seen.add(partition + "|" + t)) {
                    hits++;
                }
            }
        }
        return hits;
    }


    private static List<String> spans(EntitiesRecord record, String text) {
        return record.getEntities().stream().map(e -> e.getType() + ":" + normalized(text, e)).toList();
    }

    /** A span compared across spellings of one text: its words, whitespace collapsed. */
    private static String normalized(String text, Entity e) {
        assertThat(text.substring(e.getStart(), e.getEnd())).isEqualTo(e.getText());
        return e.getText().replaceAll("\\s+", " ");
    }

    private static float[] vector(EmbeddingRecord record) {
        float[] v = new float[record.getVector().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = record.getVector().get(i);
        }
        return v;
    }

    /** The three output topics of one run, by event id; fails on a duplicate. */
    private record Run(Map<String, EmbeddingRecord> embeddings, Map<String, SentimentRecord> sentiment,
            Map<String, EntitiesRecord> entities) {

        static Run read(KafkaTestCluster kafka, SchemaRegistryClient registry, String prefix, int expected) {
            Duration timeout = Duration.ofSeconds(180);
            return new Run(
                    byId(TopicReader.readAll(kafka.bootstrapServers(), prefix + ".embeddings",
                            AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), expected, timeout),
                            EmbeddingRecord::getId),
                    byId(TopicReader.readAll(kafka.bootstrapServers(), prefix + ".sentiment",
                            AvroSerdes.specific(SentimentRecord.class, registry, false).deserializer(), expected, timeout),
                            SentimentRecord::getId),
                    byId(TopicReader.readAll(kafka.bootstrapServers(), prefix + ".entities",
                            AvroSerdes.specific(EntitiesRecord.class, registry, false).deserializer(), expected, timeout),
                            EntitiesRecord::getId));
        }

        private static <V> Map<String, V> byId(List<ConsumerRecord<byte[], V>> records, java.util.function.Function<V, String> id) {
            Map<String, V> byId = new HashMap<>();
            for (var record : records) {
                String key = new String(record.key(), StandardCharsets.UTF_8);
                assertThat(id.apply(record.value())).isEqualTo(key);
                assertThat(byId.put(key, record.value())).as("duplicate %s", key).isNull();
            }
            return byId;
        }

        /** Events served from the cache; all three records of an event must say the same. */
        long cachedCount() {
            embeddings.forEach((id, e) -> {
                assertThat(sentiment.get(id).getCached()).as(id).isEqualTo(e.getCached());
                assertThat(entities.get(id).getCached()).as(id).isEqualTo(e.getCached());
            });
            return embeddings.values().stream().filter(EmbeddingRecord::getCached).count();
        }
    }
}
