package io.streamnlp.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.cache.CacheKeys;
import io.streamnlp.cache.CachedResults;
import io.streamnlp.cache.NormalizedText;
import io.streamnlp.config.CachePlacement;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.enrich.Enricher;
import io.streamnlp.heads.Heads;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderSessions;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.inference.Pooling;
import io.streamnlp.inference.TextWindows;
import io.streamnlp.inference.TokenizedText;
import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.TextAnalysis;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.InternalAvroSerde;
import io.streamnlp.registry.InternalSchemaHistory;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.samples.SampleReviews;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.schema.internal.CachedResult;
import io.streamnlp.schema.internal.PendingText;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import io.streamnlp.topology.EnrichmentTopology;
import io.streamnlp.topology.TopologyNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real upgrade from the first release, whose internal state was plain Avro binary without any
 * schema fingerprint. Before the current application starts, the cluster holds what a stopped
 * instance of that release leaves behind, byte for byte as it wrote it:
 *
 * <ul>
 *   <li>events in the {@code <app-id>-by-text} topic, routed but not yet consumed;
 *   <li>texts in the {@code pending-batch} store's changelog, consumed but not yet emitted;
 *   <li>results in the {@code result-cache} store's changelog;
 * </ul>
 * and new input waits in the input topic. The current version (empty state directory, so it
 * restores the stores from their changelogs, as a new pod would) must emit every one of those events
 * exactly once (read_committed), with the key, timestamp and event time it had, and the outputs a
 * fresh computation gives (fp32 encoder, so batch composition does not move the vectors); cache hits
 * must carry the very bits the old release cached. What it writes from then on is framed and carries
 * the input's original bytes and headers.
 */
class LegacyStateUpgradeIntegrationTest {

    private static final String APP = "upgrade";
    private static final String INPUT = "upgrade.in";
    private static final String PREFIX = "upgrade.out";
    private static final String BY_TEXT = APP + "-by-text";
    private static final String PENDING_CHANGELOG = APP + "-" + TopologyNames.PENDING_STORE + "-changelog";
    private static final String CACHE_CHANGELOG = APP + "-" + TopologyNames.RESULT_CACHE_STORE + "-changelog";
    private static final int PARTITIONS = 2;
    private static final String MODEL = "minilm-l6";
    private static final long OLD_TIME = 1_700_000_000_000L;

    private static final int BY_TEXT_EVENTS = 10;
    private static final int PENDING_EVENTS = 8;
    private static final int NEW_EVENTS = 10;

    @TempDir
    Path stateDir;

    /** One event as the old release held it. */
    private record Legacy(String id, String text, byte[] key, long timestamp, long eventTime) {}

    @Test
    void stateLeftByTheUnframedReleaseIsEmittedExactlyOnceAfterTheUpgrade() throws Exception {
        List<String> texts = SampleReviews.load().stream().map(SampleReviews.Review::text).distinct()
                .filter(t -> NormalizedText.of(t) != null).limit(BY_TEXT_EVENTS + PENDING_EVENTS + NEW_EVENTS + 2).toList();
        try (KafkaTestCluster kafka = KafkaTestCluster.start();
                SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()));
                Encoder encoder = Encoder.load(ModelCatalogue.byName(MODEL), 256, 1, true);
                EncoderSessions sessions = new EncoderSessions(encoder);
                Enricher reference = new Enricher(sessions, Heads.load(MODEL), false, 1)) {
            // The previous release truncated long texts; in window mode the cache identity names the window
            // policy too (entries of the previous release are then simply not hit). Truncation keeps it.
            // The old release's placement was the by-text hop, hence the topic's existence resolves to it.
            CacheKeys keys = EnrichmentTopology.cachePlan(ConfigLoader.load(null, Map.of(),
                    Map.of(StreamNlpConfig.LONG_TEXT_MODE, "truncate")).withCachePlacementResolved(true), reference).keys();
            Function<String, Integer> partitionOf = text ->
                    Utils.toPositive(Utils.murmur2(keys.keyOf(NormalizedText.of(text)).get())) % PARTITIONS;
            kafka.createTopics(List.of(INPUT), PARTITIONS);
            kafka.createTopics(List.of(PREFIX + ".embeddings", PREFIX + ".sentiment", PREFIX + ".entities", PREFIX + ".dlq"),
                    PARTITIONS);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(
                        new NewTopic(BY_TEXT, Optional.of(PARTITIONS), Optional.empty())
                                .configs(Map.of("cleanup.policy", "delete", "retention.ms", "-1")),
                        new NewTopic(PENDING_CHANGELOG, Optional.of(PARTITIONS), Optional.empty())
                                .configs(Map.of("cleanup.policy", "compact")),
                        new NewTopic(CACHE_CHANGELOG, Optional.of(PARTITIONS), Optional.empty())
                                .configs(Map.of("cleanup.policy", "compact")))).all().get();
            }

            Schema pendingV1 = InternalSchemaHistory.of("PendingText").version(1);
            Map<String, Legacy> legacy = new HashMap<>();
            Map<String, String> textById = new HashMap<>();
            int next = 0;
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer());
                    var changelog = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                            new LongSerializer(), new ByteArraySerializer())) {
                // Routed by text, not yet consumed. The last one repeats a text the old cache holds.
                for (int i = 0; i < BY_TEXT_EVENTS; i++) {
                    Legacy event = legacy("bytext-" + i, texts.get(next++), i);
                    producer.send(new ProducerRecord<>(BY_TEXT, partitionOf.apply(event.text()), event.timestamp(),
                            keys.keyOf(NormalizedText.of(event.text())).get(), unframed(pendingV1, event, i)));
                    legacy.put(event.id(), event);
                }
                // Consumed, waiting for their batch when the old instance stopped: sequences 0.. per partition.
                long[] sequence = new long[PARTITIONS];
                for (int i = 0; i < PENDING_EVENTS; i++) {
                    Legacy event = legacy("pending-" + i, texts.get(next++), 100 + i);
                    int partition = partitionOf.apply(event.text());
                    changelog.send(new ProducerRecord<>(PENDING_CHANGELOG, partition, sequence[partition]++,
                            unframed(pendingV1, event, 100 + i)));
                    legacy.put(event.id(), event);
                }
                // Results the old release cached, for two texts: one arrives through the by-text topic,
                // the other as new input.
                Map<String, TextAnalysis> cachedFresh = new HashMap<>();
                for (String text : List.of(texts.get(next), texts.get(next + 1))) {
                    TextAnalysis fresh = enrich(reference, text);
                    cachedFresh.put(text, fresh);
                    CachedResult entry = CachedResults.toEntry(fresh, NormalizedText.of(text), System.currentTimeMillis());
                    producer.send(new ProducerRecord<>(CACHE_CHANGELOG, partitionOf.apply(text), null,
                            keys.keyOf(NormalizedText.of(text)).get(), unframed(entry)));
                }
                Legacy hit = legacy("bytext-hit", texts.get(next++), 200);
                producer.send(new ProducerRecord<>(BY_TEXT, partitionOf.apply(hit.text()), hit.timestamp(),
                        keys.keyOf(NormalizedText.of(hit.text())).get(), unframed(pendingV1, hit, 200)));
                legacy.put(hit.id(), hit);
                String newHitText = texts.get(next++);

                // New input, plain text, with a header.
                List<String> fresh = new ArrayList<>(texts.subList(next, next + NEW_EVENTS));
                fresh.add(newHitText);
                for (int i = 0; i < fresh.size(); i++) {
                    String id = i < NEW_EVENTS ? "new-" + i : "new-hit";
                    RecordHeaders headers = new RecordHeaders();
                    headers.add("trace", utf8("trace-" + id));
                    producer.send(new ProducerRecord<>(INPUT, null, null, utf8(id), utf8(fresh.get(i)), headers));
                    textById.put(id, fresh.get(i));
                }
                legacy.values().forEach(event -> textById.put(event.id(), event.text()));

                int total = textById.size();
                assertThat(total).isEqualTo(BY_TEXT_EVENTS + 1 + PENDING_EVENTS + NEW_EVENTS + 1);

                producer.flush();
                changelog.flush();
                StreamNlpConfig config = ConfigLoader.load(null, Map.of(), Map.of(
                        StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                        StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                        StreamNlpConfig.APPLICATION_ID, APP,
                        StreamNlpConfig.INPUT_TOPICS, INPUT + ":text",
                        StreamNlpConfig.OUTPUT_TOPIC_PREFIX, PREFIX,
                        StreamNlpConfig.MODEL_NAME, MODEL,
                        StreamNlpConfig.LONG_TEXT_MODE, "truncate",
                        StreamNlpConfig.METRICS_PORT, "0",
                        StreamNlpConfig.STATE_DIR, stateDir.toString()));

                Map<String, EmbeddingRecord> embeddings;
                Map<String, SentimentRecord> sentiment;
                Map<String, EntitiesRecord> entities;
                List<ConsumerRecord<byte[], byte[]>> byText;
                try (StreamNlpApplication app = new StreamNlpApplication(config)) {
                    assertThat(app.config().cachePlacement())
                            .as("the default cache.placement=auto keeps the hop of the release upgraded from")
                            .isEqualTo(CachePlacement.BY_TEXT);
                    app.start();
                    // First, while nothing has been purged from it: what the new version routes.
                    byText = TopicReader.readAllBytes(kafka.bootstrapServers(), BY_TEXT, BY_TEXT_EVENTS + 1 + fresh.size(),
                            Duration.ofSeconds(120));
                    embeddings = byId(TopicReader.readAll(kafka.bootstrapServers(), PREFIX + ".embeddings",
                            AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), total,
                            Duration.ofSeconds(120)), EmbeddingRecord::getId);
                    sentiment = byId(TopicReader.readAll(kafka.bootstrapServers(), PREFIX + ".sentiment",
                            AvroSerdes.specific(SentimentRecord.class, registry, false).deserializer(), total,
                            Duration.ofSeconds(60)), SentimentRecord::getId);
                    entities = byId(TopicReader.readAll(kafka.bootstrapServers(), PREFIX + ".entities",
                            AvroSerdes.specific(EntitiesRecord.class, registry, false).deserializer(), total,
                            Duration.ofSeconds(60)), EntitiesRecord::getId);
                    assertThat(TaskMetrics.sum(app.streams().metrics(), "resumed-total"))
                            .as("texts found in the restored pending-batch stores").isEqualTo(PENDING_EVENTS);
                    assertThat(app.encoderSessions().textsEncoded()).as("every text once, but the two the old cache held")
                            .isEqualTo(total - 2);
                }

                // Every event exactly once on every output, with the outputs a fresh computation gives.
                for (Map<String, ?> topic : List.of(embeddings, sentiment, entities)) {
                    assertThat(topic.keySet()).containsExactlyInAnyOrderElementsOf(textById.keySet());
                }
                List<String> ids = new ArrayList<>(textById.keySet());
                List<TextAnalysis> expected = reference.enrich(ids.stream().map(textById::get).toList(),
                        ids.stream().map(id -> TextWindows.single(reference.tokenizer().tokenize(textById.get(id)))).toList()).results();
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    String text = textById.get(id);
                    TextAnalysis want = cachedFresh.getOrDefault(text, expected.get(i));
                    EmbeddingRecord embedding = embeddings.get(id);
                    assertThat(Pooling.cosine(floats(embedding.getVector()), want.vector())).as(id).isGreaterThan(0.9999);
                    assertThat(embedding.getTokenCount()).as(id).isEqualTo(want.tokenCount());
                    assertThat(sentiment.get(id).getLabel().name()).as(id).isEqualTo(want.sentiment().label().name());
                    assertThat(entities.get(id).getEntities()).as(id)
                            .extracting(e -> e.getType() + ":" + e.getStart() + "-" + e.getEnd() + ":" + e.getText())
                            .containsExactlyElementsOf(want.entities().stream().map(LegacyStateUpgradeIntegrationTest::span).toList());
                    boolean cacheHit = cachedFresh.containsKey(text);
                    assertThat(embedding.getCached()).as(id + " served from the old release's cache").isEqualTo(cacheHit);
                    if (cacheHit) {
                        assertThat(floats(embedding.getVector())).as(id + ": the very bits the old release cached")
                                .isEqualTo(want.vector());
                    }
                    Legacy old = legacy.get(id);
                    if (old != null) {
                        assertThat(embedding.getEventTime().toEpochMilli()).as(id).isEqualTo(old.eventTime());
                    }
                }
                assertThat(embeddings.get("new-hit").getCached()).isTrue();
                assertThat(embeddings.get("bytext-hit").getCached()).isTrue();
                var dlq = TopicReader.readAllBytes(kafka.bootstrapServers(), PREFIX + ".dlq", 0, Duration.ofSeconds(1));
                assertThat(dlq).as("nothing the old release left is dead-lettered").isEmpty();

                // Keys and timestamps of the legacy events, as the old release held them.
                var records = TopicReader.readAll(kafka.bootstrapServers(), PREFIX + ".embeddings",
                        AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), total, Duration.ofSeconds(30));
                for (var record : records) {
                    Legacy old = legacy.get(record.value().getId());
                    if (old != null) {
                        assertThat(record.key()).as(old.id()).isEqualTo(old.key());
                        assertThat(record.timestamp()).as(old.id()).isEqualTo(old.timestamp());
                    }
                }

                // What the new version writes is framed, and carries the input as consumed (the value as the text).
                InternalAvroSerde<PendingText> serde = new InternalAvroSerde<>(PendingText.class);
                List<PendingText> routed = new ArrayList<>();
                for (var record : byText) {
                    PendingText text = serde.decode(record.value());
                    if (text.getId().startsWith("new-")) {
                        assertThat(record.value()[0]).isEqualTo((byte) 0xC3);
                        assertThat(record.value()[1]).isEqualTo((byte) 0x01);
                        routed.add(text);
                    }
                }
                assertThat(routed).hasSize(fresh.size());
                for (PendingText text : routed) {
                    // A plain-text value is the text's own UTF-8 bytes: carried once, as the text (FailedText encodes it back).
                    assertThat(text.getOriginalValue()).isNull();
                    assertThat(utf8(text.getText())).isEqualTo(utf8(textById.get(text.getId())));
                    assertThat(text.getOriginalHeaders()).hasSize(1);
                    assertThat(text.getOriginalHeaders().getFirst().getKey()).isEqualTo("trace");
                    assertThat(text.getOriginalHeaders().getFirst().getValue())
                            .isEqualTo(ByteBuffer.wrap(utf8("trace-" + text.getId())));
                }
            }
        }
    }

    private static Legacy legacy(String id, String text, int i) {
        return new Legacy(id, text, utf8("key-" + id), OLD_TIME + i * 1000L, OLD_TIME - 3_600_000L + i);
    }

    /** A PendingText as the first release wrote it: Avro binary of the version 1 schema, no header. */
    private static byte[] unframed(Schema v1, Legacy event, int offset) throws IOException {
        GenericRecord record = new GenericData.Record(v1);
        record.put("key", ByteBuffer.wrap(event.key()));
        record.put("id", event.id());
        record.put("text", event.text());
        record.put("eventTime", event.eventTime());
        record.put("timestamp", event.timestamp());
        record.put("sourceTopic", INPUT);
        record.put("sourcePartition", offset % PARTITIONS);
        record.put("sourceOffset", (long) offset);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(v1).write(record, encoder);
        return out.toByteArray();
    }

    /** A CachedResult exactly as the first release's serde wrote it (its schema is still version 1). */
    private static byte[] unframed(CachedResult entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<>(CachedResult.class).write(entry, encoder);
        return out.toByteArray();
    }

    private static TextAnalysis enrich(Enricher enricher, String text) {
        TokenizedText tokens = enricher.tokenizer().tokenize(text);
        return enricher.enrich(List.of(text), List.of(TextWindows.single(tokens))).results().getFirst();
    }

    private static String span(EntitySpan span) {
        return span.type().name() + ":" + span.start() + "-" + span.end() + ":" + span.text();
    }

    private static <V> Map<String, V> byId(List<ConsumerRecord<byte[], V>> records, Function<V, String> id) {
        Map<String, V> byId = new HashMap<>();
        for (var record : records) {
            assertThat(byId.put(id.apply(record.value()), record.value())).as("duplicate %s", id.apply(record.value())).isNull();
        }
        return byId;
    }

    private static float[] floats(List<Float> values) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return v;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
