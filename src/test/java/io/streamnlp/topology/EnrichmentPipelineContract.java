package io.streamnlp.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.cache.NormalizedText;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.inference.Pooling;
import io.streamnlp.samples.SampleReviews;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.inference.ModelCatalogue;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.testing.KafkaWithRegistry;
import io.streamnlp.testing.TopicReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real broker and a real registry: 500 Avro and 100 JSON events in, exactly 600
 * records out on each output under exactly-once, read with read_committed; the enriched topic passes
 * every event's own fields through (attributes, and the JSON inputs' extra fields as attributes).
 *
 * <p>The contract; its subclasses say where it runs: {@link EnrichmentPipelineIntegrationTest} on a
 * KRaft broker in this JVM and the Apicurio Registry (always, CI included), {@link
 * EnrichmentPipelineContainersIntegrationTest} on the {@code apache/kafka} image and Confluent's
 * {@code cp-schema-registry} (only where Docker is). The assertions are the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // so that @BeforeAll can call startEnvironment()
abstract class EnrichmentPipelineContract {

    private static final String AVRO_TOPIC = "it.reviews";
    private static final String JSON_TOPIC = "it.chat";
    private static final String PREFIX = "it";
    private static final long BASE_TIME = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();

    private KafkaWithRegistry kafka;
    private SchemaRegistryClient registry;

    @TempDir
    static Path stateDir;

    /** Starts an empty Kafka cluster and registry for this class's test; closed after it. */
    protected abstract KafkaWithRegistry startEnvironment() throws Exception;

    @BeforeAll
    void startCluster() throws Exception {
        kafka = startEnvironment();
        registry = new SchemaRegistryClient(RegistrySettings.of(kafka.registryUrl()));
        kafka.createTopics(List.of(AVRO_TOPIC), 4);
        kafka.createTopics(List.of(JSON_TOPIC), 2);
        kafka.createTopics(List.of(PREFIX + ".embeddings", PREFIX + ".sentiment", PREFIX + ".entities", PREFIX + ".enriched",
                PREFIX + ".dlq"), 4);
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    record Paraphrase(String a, String b, String unrelated) {}

    @Test
    void sixHundredEventsInSixHundredEmbeddingsOut() throws Exception {
        List<SampleReviews.Review> samples = SampleReviews.load();
        List<Paraphrase> paraphrases = paraphrases();
        Map<String, String> textById = new HashMap<>();
        Map<String, Long> timestampById = new HashMap<>();
        Map<String, Map<String, String>> attributesById = new HashMap<>();

        Map<String, Object> producerProps = Map.of("bootstrap.servers", kafka.bootstrapServers(), "enable.idempotence", true);
        try (var avroProducer = new KafkaProducer<>(producerProps, new StringSerializer(),
                AvroSerdes.specific(TextEvent.class, registry, false).serializer());
                var jsonProducer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 500; i++) {
                String id = "avro-" + i;
                String text = samples.get(i % samples.size()).text();
                long timestamp = BASE_TIME + i * 1000L;
                Map<String, String> attributes = Map.of("rating", Integer.toString(i % 5 + 1), "product", "p-" + i % 7);
                avroProducer.send(new ProducerRecord<>(AVRO_TOPIC, null, timestamp, id,
                        TextEvent.newBuilder().setId(id).setText(text).setSource("it").setLanguage("en")
                                .setAttributes(attributes).build()));
                attributesById.put(id, attributes);
                textById.put(id, text);
                timestampById.put(id, timestamp);
            }
            List<String> jsonTexts = new ArrayList<>();
            for (Paraphrase p : paraphrases) {
                jsonTexts.addAll(List.of(p.a(), p.b(), p.unrelated()));
            }
            for (int i = 0; i < 100; i++) {
                String id = "json-" + i;
                String text = i < jsonTexts.size() ? jsonTexts.get(i) : samples.get(i).text();
                long timestamp = BASE_TIME + 600_000L + i * 1000L;
                // Fields other than the known ones become string attributes of the enriched record.
                String json = "{\"id\":\"" + id + "\",\"text\":" + quote(text) + ",\"stars\":" + (i % 5)
                        + ",\"channel\":\"app\",\"attributes\":{\"thread\":\"t-" + i + "\"}}";
                attributesById.put(id, Map.of("stars", Integer.toString(i % 5), "channel", "app", "thread", "t-" + i));
                jsonProducer.send(new ProducerRecord<>(JSON_TOPIC, null, timestamp, id, json));
                textById.put(id, text);
                timestampById.put(id, timestamp);
            }
        }

        StreamNlpConfig config = ConfigLoader.load(null, Map.of(), Map.of(
                StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                StreamNlpConfig.SCHEMA_REGISTRY_URL, kafka.registryUrl(),
                StreamNlpConfig.APPLICATION_ID, "it-pipeline",
                StreamNlpConfig.INPUT_TOPICS, AVRO_TOPIC + ":avro," + JSON_TOPIC + ":json",
                StreamNlpConfig.OUTPUT_TOPIC_PREFIX, PREFIX,
                StreamNlpConfig.METRICS_PORT, "0", // any free port: instances may share this JVM
                // The by-text hop, which this contract's "one encoder pass per distinct text" is about (the
                // default on this fresh id places the cache by partition: a copy on another partition misses once).
                StreamNlpConfig.CACHE_PLACEMENT, "by-text",
                StreamNlpConfig.STATE_DIR, stateDir.toString()));
        assertThat(config.processingGuarantee()).isEqualTo("exactly_once_v2");

        List<ConsumerRecord<byte[], EmbeddingRecord>> out;
        List<ConsumerRecord<byte[], SentimentRecord>> sentiment;
        List<ConsumerRecord<byte[], EntitiesRecord>> entities;
        List<ConsumerRecord<byte[], EnrichedEvent>> enriched;
        double recordsIn;
        long encoded;
        double cacheHits;
        try (StreamNlpApplication app = new StreamNlpApplication(config)) {
            app.start();
            out = readEmbeddings(600, Duration.ofSeconds(180));
            sentiment = TopicReader.readAll(kafka.bootstrapServers(), PREFIX + ".sentiment",
                    AvroSerdes.specific(SentimentRecord.class, registry, false).deserializer(), 600, Duration.ofSeconds(60));
            entities = TopicReader.readAll(kafka.bootstrapServers(), PREFIX + ".entities",
                    AvroSerdes.specific(EntitiesRecord.class, registry, false).deserializer(), 600, Duration.ofSeconds(60));
            enriched = TopicReader.readAll(kafka.bootstrapServers(), PREFIX + ".enriched",
                    AvroSerdes.specific(EnrichedEvent.class, registry, false).deserializer(), 600, Duration.ofSeconds(60));
            recordsIn = TaskMetrics.sum(app.streams().metrics(), "records-in-total");
            encoded = app.encoderSessions().textsEncoded();
            cacheHits = TaskMetrics.sum(app.streams().metrics(), "cache-hits-total");
        }
        // One encoder pass per distinct text, for every output: the 600 events repeat some sample
        // reviews, and every repeat is served from the result cache instead. The encoder counts rows:
        // a review longer than the max length is one per window.
        Map<String, Integer> windowsByText = new HashMap<>();
        out.forEach(r -> windowsByText.put(NormalizedText.of(textById.get(r.value().getId())).normal(), r.value().getWindows()));
        long distinct = textById.values().stream().map(t -> NormalizedText.of(t).normal()).distinct().count();
        assertThat(distinct).isLessThan(600);
        assertThat(windowsByText).hasSize((int) distinct);
        assertThat(encoded).as("one encoder pass (a row per window) per distinct text")
                .isEqualTo(windowsByText.values().stream().mapToLong(Integer::longValue).sum());
        assertThat(cacheHits).as("texts in = texts encoded + cache hits").isEqualTo(600 - distinct);

        assertThat(out).hasSize(600);
        Map<String, EmbeddingRecord> byId = new HashMap<>();
        for (var record : out) {
            EmbeddingRecord e = record.value();
            assertThat(byId.put(e.getId(), e)).as("duplicate " + e.getId()).isNull();
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(e.getId());
            assertThat(record.timestamp()).isEqualTo(timestampById.get(e.getId()));
            assertThat(e.getEventTime().toEpochMilli()).isEqualTo(timestampById.get(e.getId()));
            assertThat(e.getDimension()).isEqualTo(384);
            assertThat(e.getVector()).hasSize(384);
            assertThat(e.getVector().stream().mapToDouble(v -> v * v).sum()).isCloseTo(1.0, within(1e-4));
            assertThat(e.getModel()).isEqualTo(ModelCatalogue.DEFAULT_MODEL);
            assertThat(e.getModelVersion()).isEqualTo(ModelCatalogue.byName(ModelCatalogue.DEFAULT_MODEL).version());
            assertThat(e.getTokenCount()).isPositive();
        }
        assertThat(byId.keySet()).isEqualTo(textById.keySet());
        assertThat(sentiment).hasSize(600);
        assertThat(sentiment).extracting(r -> r.value().getId()).containsExactlyInAnyOrderElementsOf(textById.keySet());
        assertThat(sentiment).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(timestampById.get(r.value().getId())));
        assertThat(entities).hasSize(600);
        assertThat(entities).extracting(r -> r.value().getId()).containsExactlyInAnyOrderElementsOf(textById.keySet());
        for (var record : entities) {
            String text = textById.get(record.value().getId());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(record.value().getId());
            record.value().getEntities().forEach(e -> assertThat(text.substring(e.getStart(), e.getEnd())).isEqualTo(e.getText()));
        }
        assertThat(recordsIn).isEqualTo(600.0);

        // The enriched topic: one record per event, keyed and timestamped like it, its own fields passed
        // through (JSON extras among the attributes), the same results as the other outputs.
        assertThat(enriched).hasSize(600);
        Map<String, EnrichedEvent> enrichedById = new HashMap<>();
        for (var record : enriched) {
            EnrichedEvent e = record.value();
            assertThat(enrichedById.put(e.getId(), e)).as("duplicate enriched " + e.getId()).isNull();
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(e.getId());
            assertThat(record.timestamp()).isEqualTo(timestampById.get(e.getId()));
            assertThat(e.getAttributes()).as(e.getId()).isEqualTo(attributesById.get(e.getId()));
            assertThat(e.getSource()).isEqualTo(e.getId().startsWith("avro") ? "it" : null);
            assertThat(e.getLanguage()).isEqualTo(e.getId().startsWith("avro") ? "en" : null);
            assertThat(e.getEmbedding()).isEqualTo(byId.get(e.getId()).getVector());
            assertThat(e.getText()).isNull();
            String text = textById.get(e.getId());
            e.getEntities().forEach(span -> assertThat(text.substring(span.getStart(), span.getEnd())).isEqualTo(span.getText()));
        }
        assertThat(enrichedById.keySet()).isEqualTo(textById.keySet());
        assertThat(subjectVersions(PREFIX + ".enriched-value")).as("registered under <topic>-value").isNotEmpty();

        for (int i = 0; i < paraphrases.size(); i++) {
            float[] a = vector(byId.get("json-" + (3 * i)));
            float[] b = vector(byId.get("json-" + (3 * i + 1)));
            float[] unrelated = vector(byId.get("json-" + (3 * i + 2)));
            assertThat(Pooling.cosine(a, b)).as("paraphrase pair %d: %s", i, paraphrases.get(i))
                    .isGreaterThan(Pooling.cosine(a, unrelated));
        }
    }


    /** Anything beyond the expected count would be a duplicate: the reader waits a moment for it to show up. */
    private List<ConsumerRecord<byte[], EmbeddingRecord>> readEmbeddings(int expected, Duration timeout) {
        return TopicReader.readAll(kafka.bootstrapServers(), PREFIX + ".embeddings",
                AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), expected, timeout);
    }

    private static float[] vector(EmbeddingRecord record) {
        float[] v = new float[record.getVector().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = record.getVector().get(i);
        }
        return v;
    }

    private static List<Paraphrase> paraphrases() throws IOException {
        try (InputStream in = EnrichmentPipelineContract.class.getResourceAsStream("/paraphrases.tsv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
            return lines.stream().map(line -> line.split("\t")).map(f -> new Paraphrase(f[0], f[1], f[2])).toList();
        }
    }

    /** The versions the registry holds under {@code subject} (Confluent REST API, which both registries serve). */
    private List<Integer> subjectVersions(String subject) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(kafka.registryUrl() + "/subjects/" + subject + "/versions")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<Integer> versions = new ArrayList<>();
        new ObjectMapper().readTree(answer.body()).forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
