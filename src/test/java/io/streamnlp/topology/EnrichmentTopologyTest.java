package io.streamnlp.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamnlp.enrich.Enricher;
import io.streamnlp.enrich.FaultInjection;
import io.streamnlp.cache.NormalizedText;
import io.streamnlp.model.HeadPlan;
import io.streamnlp.inference.LongTextPolicy;
import io.streamnlp.inference.EncoderSessions;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.deadletter.DeadLetterHeaders;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.Entity;
import io.streamnlp.schema.EntityType;
import io.streamnlp.schema.SentimentLabel;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.schema.internal.OriginalHeader;
import io.streamnlp.schema.internal.PendingText;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.testing.TestEncoder;
import io.streamnlp.testing.TestRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole topology with the real encoder and a real registry, driven by TopologyTestDriver. */
class EnrichmentTopologyTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private SchemaRegistryClient registry;
    private EncoderSessions sessions;
    private Enricher enricher;
    private String prefix;
    private StreamNlpConfig config;

    private StreamNlpConfig start(Map<String, String> extra) {
        prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = new HashMap<>(Map.of(
                StreamNlpConfig.INPUT_TOPICS, prefix + ".reviews:avro," + prefix + ".chat:json," + prefix + ".logs:text",
                StreamNlpConfig.OUTPUT_TOPIC_PREFIX, prefix,
                StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                StreamNlpConfig.METRICS_PORT, "0", // any free port: instances may share this JVM
                StreamNlpConfig.STATE_DIR, stateDir.toString(),
                StreamNlpConfig.PROCESSING_GUARANTEE, "at_least_once",
                // These tests read the outputs right after they advance the clock; under batch.overlap a batch
                // is forwarded at a later punctuation, so it is on only where a test settles the pipeline
                // (TopologyHarness.settle: the settings matrix).
                StreamNlpConfig.BATCH_OVERLAP, "false"));
        settings.putAll(extra);
        // No cluster behind a TopologyTestDriver: cache.placement=auto resolves as for a fresh application id.
        config = ConfigLoader.load(null, Map.of(), settings).withCachePlacementResolved(false);
        registry = new SchemaRegistryClient(config.registry());
        sessions = TestEncoder.sessions();
        enricher = new Enricher(sessions, TestEncoder.heads(), config.headPlan(), false, 1, FaultInjection.NONE);
        driver = new TopologyTestDriver(EnrichmentTopology.build(config, enricher, registry), config.streamsProperties());
        return config;
    }

    @AfterEach
    void close() {
        if (driver == null) {
            return;
        }
        driver.close();
        enricher.close();
        sessions.close();
        registry.close();
    }

    private TestInputTopic<byte[], byte[]> input(String name) {
        return driver.createInputTopic(prefix + "." + name, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private TestOutputTopic<byte[], EmbeddingRecord> embeddings() {
        return driver.createOutputTopic(prefix + ".embeddings", new ByteArrayDeserializer(),
                AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] avro(TextEvent event) {
        return AvroSerdes.specific(TextEvent.class, registry, false).serializer().serialize(prefix + ".reviews", event);
    }

    @Test
    void everyFormatComesOutAsOneEmbeddingWithTheInputsKeyAndTimestamp() {
        start(Map.of());
        input("chat").pipeInput(new TestRecord<>(utf8("k-j1"), utf8("{\"id\":\"j1\",\"text\":\"Great coffee, friendly staff.\"}"), T0));
        input("reviews").pipeInput(new TestRecord<>(utf8("k-a1"),
                avro(TextEvent.newBuilder().setId("a1").setText("The battery died after two days.")
                        .setEventTime(Instant.parse("2025-05-05T00:00:00Z")).build()), T0.plusSeconds(1)));
        input("logs").pipeInput(new TestRecord<>(utf8("p1"), utf8("Plain text from kcat."), T0.plusSeconds(2)));
        assertThat(embeddings().isEmpty()).as("a batch waits for more texts until its time is up").isTrue();

        driver.advanceWallClockTime(Duration.ofMillis(100));

        List<TestRecord<byte[], EmbeddingRecord>> out = embeddings().readRecordsToList();
        assertThat(out).extracting(r -> r.value().getId()).containsExactly("j1", "a1", "p1");
        assertThat(out).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("k-j1", "k-a1", "p1");
        assertThat(out).extracting(TestRecord::getRecordTime).containsExactly(T0, T0.plusSeconds(1), T0.plusSeconds(2));
        assertThat(out.get(1).value().getEventTime()).as("eventTime field wins over the record timestamp")
                .isEqualTo(Instant.parse("2025-05-05T00:00:00Z"));
        assertThat(out.get(0).value().getEventTime()).isEqualTo(T0);
        for (var record : out) {
            EmbeddingRecord e = record.value();
            assertThat(e.getModel()).isEqualTo(ModelCatalogue.DEFAULT_MODEL);
            assertThat(e.getModelVersion()).isNotBlank();
            assertThat(e.getDimension()).isEqualTo(384);
            assertThat(e.getVector()).hasSize(384);
            double norm = e.getVector().stream().mapToDouble(v -> v * v).sum();
            assertThat(norm).isCloseTo(1.0, within(1e-4));
            assertThat(e.getTruncated()).isFalse();
            assertThat(e.getTokenCount()).isBetween(4, 20);
        }
        assertThat(sessions.textsEncoded()).as("one encoder pass per text").isEqualTo(3);
    }

    @Test
    void oneEncoderPassGivesAnEmbeddingASentimentAndEntitiesWithTheSameKeyAndTimestamp() {
        start(Map.of());
        String text = "Maria from Google loved the pasta at our hotel in Paris. Fantastic service!";
        input("logs").pipeInput(new TestRecord<>(utf8("s1"), utf8(text), T0));
        input("logs").pipeInput(new TestRecord<>(utf8("s2"), utf8("The blender broke after two days. Awful, avoid it."), T0.plusSeconds(1)));
        input("logs").pipeInput(new TestRecord<>(utf8("s3"), utf8("ok"), T0.plusSeconds(2)));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        var sentiment = driver.createOutputTopic(prefix + ".sentiment", new ByteArrayDeserializer(),
                AvroSerdes.specific(SentimentRecord.class, registry, false).deserializer()).readRecordsToList();
        var entities = driver.createOutputTopic(prefix + ".entities", new ByteArrayDeserializer(),
                AvroSerdes.specific(EntitiesRecord.class, registry, false).deserializer()).readRecordsToList();
        assertThat(embeddings().readRecordsToList()).hasSize(3);
        assertThat(sessions.textsEncoded()).as("three outputs per text from one encoder pass").isEqualTo(3);

        assertThat(sentiment).extracting(r -> r.value().getId()).containsExactly("s1", "s2", "s3");
        assertThat(sentiment).extracting(TestRecord::getRecordTime).containsExactly(T0, T0.plusSeconds(1), T0.plusSeconds(2));
        assertThat(sentiment.get(0).value().getLabel()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(sentiment.get(1).value().getLabel()).isEqualTo(SentimentLabel.NEGATIVE);
        SentimentRecord first = sentiment.get(0).value();
        assertThat(first.getNegative() + first.getNeutral() + first.getPositive()).isCloseTo(1f, within(1e-3f));
        assertThat(first.getHeadVersion()).isNotBlank();

        assertThat(entities).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("s1", "s2", "s3");
        var found = entities.get(0).value().getEntities();
        assertThat(found).extracting(Entity::getText).contains("Maria", "Google", "Paris");
        for (Entity entity : found) {
            assertThat(text.substring(entity.getStart(), entity.getEnd())).isEqualTo(entity.getText());
        }
        assertThat(found).filteredOn(e -> e.getText().equals("Paris")).extracting(Entity::getType).containsExactly(EntityType.LOC);
        assertThat(entities.get(2).value().getEntities()).as("no entity: an empty list, still a record").isEmpty();
    }

    /**
     * Entity offsets for every consumer: UTF-16 units (Java, JavaScript) and code points (Python, Go
     * runes, Rust chars), after emoji, a flag and mathematical letters outside the BMP, each checked
     * by cutting the span out of the text the way that side would. Where python3 and node are on the
     * PATH they cut it themselves too.
     */
    @Test
    void entitySpansCarryUtf16AndCodePointOffsetsAfterCharactersOutsideTheBmp() throws Exception {
        start(Map.of());
        String text = "😀😀 Maria from Google loved the pasta at our 𝔥𝔬𝔱𝔢𝔩 🇧🇷 in Paris. Fantastic service!";
        input("logs").pipeInput(new TestRecord<>(utf8("cp1"), utf8(text), T0));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        List<Entity> found = driver.createOutputTopic(prefix + ".entities", new ByteArrayDeserializer(),
                AvroSerdes.specific(EntitiesRecord.class, registry, false).deserializer()).readValue().getEntities();
        assertThat(found).extracting(Entity::getText).contains("Maria", "Google", "Paris");
        int[] codePoints = text.codePoints().toArray();
        for (Entity entity : found) {
            assertThat(text.substring(entity.getStart(), entity.getEnd())).as("UTF-16 side").isEqualTo(entity.getText());
            assertThat(new String(codePoints, entity.getStartCodePoint(), entity.getEndCodePoint() - entity.getStartCodePoint()))
                    .as("code-point side").isEqualTo(entity.getText());
        }
        Entity paris = found.stream().filter(e -> e.getText().equals("Paris")).findFirst().orElseThrow();
        // 2 emoji + 5 mathematical letters + 2 regional indicators before it: 9 supplementary characters.
        assertThat(paris.getStart() - paris.getStartCodePoint()).isEqualTo(9);
        Entity maria = found.stream().filter(e -> e.getText().equals("Maria")).findFirst().orElseThrow();
        assertThat(maria.getStart()).isEqualTo(5);
        assertThat(maria.getStartCodePoint()).isEqualTo(3);
        crossCheck("python3", text, found, """
                import json, sys
                d = json.load(open(sys.argv[1], encoding="utf-8"))
                bad = [e for e in d["entities"] if d["text"][e["startCodePoint"]:e["endCodePoint"]] != e["text"]]
                print("ok" if not bad else bad)
                """);
        crossCheck("node", text, found, """
                const d = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
                const bad = d.entities.filter(e => d.text.substring(e.start, e.end) !== e.text);
                console.log(bad.length === 0 ? "ok" : JSON.stringify(bad));
                """);
    }

    /** Hands text and spans to another language's runtime, if installed, which cuts the spans itself. */
    private void crossCheck(String runtime, String text, List<Entity> entities, String script) throws Exception {
        Path program;
        try {
            Process probe = new ProcessBuilder(runtime, "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            if (probe.waitFor() != 0) {
                return;
            }
        } catch (java.io.IOException notInstalled) {
            return;
        }
        StringBuilder json = new StringBuilder("{\"text\":").append(jsonString(text)).append(",\"entities\":[");
        for (int i = 0; i < entities.size(); i++) {
            Entity e = entities.get(i);
            json.append(i == 0 ? "" : ",").append("{\"text\":").append(jsonString(e.getText()))
                    .append(",\"start\":").append(e.getStart()).append(",\"end\":").append(e.getEnd())
                    .append(",\"startCodePoint\":").append(e.getStartCodePoint())
                    .append(",\"endCodePoint\":").append(e.getEndCodePoint()).append('}');
        }
        json.append("]}");
        Path data = Files.writeString(stateDir.resolve(runtime + "-spans.json"), json, StandardCharsets.UTF_8);
        program = Files.writeString(stateDir.resolve(runtime + "-check" + (runtime.equals("node") ? ".js" : ".py")), script);
        Process check = new ProcessBuilder(runtime, program.toString(), data.toString()).redirectErrorStream(true).start();
        String answer = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(check.waitFor()).as(runtime + ": " + answer).isZero();
        assertThat(answer).as(runtime + " cuts every span out of the text").isEqualTo("ok");
    }

    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.chars().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c); // surrogate pairs pass through as the UTF-8 of their code point
            }
        });
        return out.append('"').toString();
    }

    @Test
    void aTextSeenBeforeIsServedFromTheCacheWithItsOwnOffsets() {
        start(Map.of());
        String text = "Maria from Google loved the pasta at our hotel in Paris.";
        String respaced = "  Maria  from Google loved the pasta at our hotel in   Paris. ";
        input("logs").pipeInput(new TestRecord<>(utf8("c1"), utf8(text), T0));
        input("logs").pipeInput(new TestRecord<>(utf8("c2"), utf8(text), T0.plusSeconds(1))); // same batch: its twin's pass
        driver.advanceWallClockTime(Duration.ofMillis(100));
        input("logs").pipeInput(new TestRecord<>(utf8("c3"), utf8(respaced), T0.plusSeconds(2))); // served on arrival
        input("logs").pipeInput(new TestRecord<>(utf8("c4"), utf8("A different text about Rome."), T0.plusSeconds(3)));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        var vectors = embeddings().readRecordsToList();
        var entities = driver.createOutputTopic(prefix + ".entities", new ByteArrayDeserializer(),
                AvroSerdes.specific(EntitiesRecord.class, registry, false).deserializer()).readRecordsToList();
        var sentiment = driver.createOutputTopic(prefix + ".sentiment", new ByteArrayDeserializer(),
                AvroSerdes.specific(SentimentRecord.class, registry, false).deserializer()).readRecordsToList();
        assertThat(sessions.textsEncoded()).as("two distinct texts, two encoder passes").isEqualTo(2);
        assertThat(vectors).extracting(r -> r.value().getId()).containsExactlyInAnyOrder("c1", "c2", "c3", "c4");
        Map<String, EmbeddingRecord> byId = new HashMap<>();
        vectors.forEach(r -> byId.put(r.value().getId(), r.value()));
        assertThat(byId.get("c1").getCached()).isFalse();
        assertThat(byId.get("c2").getCached()).isTrue();
        assertThat(byId.get("c3").getCached()).isTrue();
        assertThat(byId.get("c4").getCached()).isFalse();
        assertThat(byId.get("c3").getVector()).as("the same bits as the fresh computation").isEqualTo(byId.get("c1").getVector());
        assertThat(byId.get("c3").getTokenCount()).isEqualTo(byId.get("c1").getTokenCount());
        Map<String, SentimentRecord> moods = new HashMap<>();
        sentiment.forEach(r -> moods.put(r.value().getId(), r.value()));
        assertThat(moods.get("c3").getPositive()).isEqualTo(moods.get("c1").getPositive());
        assertThat(moods.get("c3").getLabel()).isEqualTo(moods.get("c1").getLabel());
        assertThat(vectors).filteredOn(r -> r.value().getId().equals("c3"))
                .extracting(TestRecord::getRecordTime).as("the new event's own timestamp").containsExactly(T0.plusSeconds(2));

        var fresh = entities.stream().filter(r -> r.value().getId().equals("c1")).findFirst().orElseThrow().value();
        var served = entities.stream().filter(r -> r.value().getId().equals("c3")).findFirst().orElseThrow().value();
        assertThat(served.getEntities()).extracting(Entity::getText).containsExactlyElementsOf(
                fresh.getEntities().stream().map(Entity::getText).toList());
        assertThat(served.getEntities()).extracting(Entity::getText).contains("Maria", "Google", "Paris");
        for (Entity entity : served.getEntities()) {
            assertThat(respaced.substring(entity.getStart(), entity.getEnd())).isEqualTo(entity.getText());
        }
    }

    private void pipeThreeReviews() {
        input("logs").pipeInput(new TestRecord<>(utf8("o1"), utf8("Maria from Google loved the pasta in Paris."), T0));
        input("logs").pipeInput(new TestRecord<>(utf8("o2"), utf8("The blender broke after two days."), T0.plusSeconds(1)));
        input("logs").pipeInput(new TestRecord<>(utf8("o3"), utf8("Fine."), T0.plusSeconds(2)));
        driver.advanceWallClockTime(Duration.ofMillis(100));
    }

    private boolean wrote(String output) {
        return !driver.createOutputTopic(prefix + "." + output, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .isEmpty();
    }

    @Test
    void withOutputsEmbeddingsNeitherHeadRuns() {
        start(Map.of(StreamNlpConfig.OUTPUTS, "embeddings"));
        pipeThreeReviews();
        assertThat(embeddings().readValuesToList()).extracting(EmbeddingRecord::getId).containsExactly("o1", "o2", "o3");
        assertThat(enricher.sentimentCalls()).as("sentiment head calls").isZero();
        assertThat(enricher.nerCalls()).as("NER head calls").isZero();
        assertThat(wrote("sentiment")).isFalse();
        assertThat(wrote("entities")).isFalse();
        assertThat(sessions.textsEncoded()).isEqualTo(3);
    }

    @Test
    void eachHeadRunsOnlyForTheOutputsThatCarryItsResult() {
        start(Map.of(StreamNlpConfig.OUTPUTS, "sentiment"));
        pipeThreeReviews();
        assertThat(enricher.sentimentCalls()).isEqualTo(3);
        assertThat(enricher.nerCalls()).isZero();
        assertThat(wrote("sentiment")).isTrue();
        assertThat(wrote("embeddings")).isFalse();
        assertThat(wrote("entities")).isFalse();
    }

    @Test
    void theEntitiesOutputRunsTheNerHeadAlone() {
        start(Map.of(StreamNlpConfig.OUTPUTS, "embeddings,entities"));
        pipeThreeReviews();
        assertThat(enricher.sentimentCalls()).isZero();
        assertThat(enricher.nerCalls()).isEqualTo(3);
        assertThat(wrote("entities")).isTrue();
        assertThat(wrote("sentiment")).isFalse();
    }

    @Test
    void everyOutputByDefaultRunsBothHeadsOncePerText() {
        start(Map.of());
        pipeThreeReviews();
        assertThat(enricher.sentimentCalls()).isEqualTo(3);
        assertThat(enricher.nerCalls()).isEqualTo(3);
        assertThat(wrote("embeddings")).isTrue();
        assertThat(wrote("sentiment")).isTrue();
        assertThat(wrote("entities")).isTrue();
        assertThat(wrote("enriched")).isTrue();
    }

    @Test
    void theCacheKeyCoversWhichHeadsRan() {
        StreamNlpConfig config = start(Map.of());
        var everything = EnrichmentTopology.cachePlan(config, enricher);
        try (Enricher vectorsOnly = new Enricher(sessions, null, HeadPlan.NONE, false, 1, FaultInjection.NONE);
                Enricher sentimentOnly = new Enricher(sessions, TestEncoder.heads(), new HeadPlan(true, false), false, 1,
                        FaultInjection.NONE)) {
            var vectors = EnrichmentTopology.cachePlan(config, vectorsOnly);
            var moods = EnrichmentTopology.cachePlan(config, sentimentOnly);
            var text = NormalizedText.of("Great product!");
            assertThat(List.of(everything.keys().keyOf(text), vectors.keys().keyOf(text), moods.keys().keyOf(text)))
                    .doesNotHaveDuplicates();
            assertThat(vectors.heads()).isEqualTo(HeadPlan.NONE);
            assertThat(everything.heads()).isEqualTo(HeadPlan.ALL);
        }
    }

    @Test
    void theCacheKeyCoversWhichGraphOfTheEncoderRan() {
        StreamNlpConfig config = start(Map.of());
        var packaged = EnrichmentTopology.cachePlan(config, enricher);
        try (Enricher fused = new Enricher(TestEncoder.sessions(EncoderGraph.FUSED), TestEncoder.heads(), HeadPlan.ALL, false,
                1, FaultInjection.NONE)) {
            var text = NormalizedText.of("Great product!");
            // The fused graph's numbers differ by a rounding: its entries never answer for the packaged graph's.
            assertThat(EnrichmentTopology.cachePlan(config, fused).keys().keyOf(text)).isNotEqualTo(packaged.keys().keyOf(text));
        }
    }

    private <T extends org.apache.avro.specific.SpecificRecord> List<TestRecord<byte[], T>> read(String output, Class<T> type) {
        return driver.createOutputTopic(prefix + "." + output, new ByteArrayDeserializer(),
                AvroSerdes.specific(type, registry, false).deserializer()).readRecordsToList();
    }

    @Test
    void theEnrichedTopicPassesTheEventsOwnFieldsWithEverythingDerivedForIt() {
        start(Map.of());
        String review = "Maria from Google loved the pasta at our hotel in Paris. Fantastic service!";
        input("reviews").pipeInput(new TestRecord<>(utf8("k-a1"), avro(TextEvent.newBuilder().setId("a1").setText(review)
                .setSource("shop").setLanguage("en").setEventTime(Instant.parse("2025-05-05T00:00:00Z"))
                .setAttributes(Map.of("product", "p-7", "rating", "5")).build()), T0));
        input("chat").pipeInput(new TestRecord<>(utf8("k-j1"), utf8("{\"id\":\"j1\",\"text\":\"The blender broke after two days.\","
                + "\"language\":\"en\",\"rating\":1,\"channel\":\"app\",\"attributes\":{\"product\":\"p-9\"}}"),
                T0.plusSeconds(1)));
        input("logs").pipeInput(new TestRecord<>(utf8("p1"), utf8("Plain text from kcat."), T0.plusSeconds(2)));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        List<TestRecord<byte[], EnrichedEvent>> enriched = read("enriched", EnrichedEvent.class);
        assertThat(enriched).extracting(r -> r.value().getId()).as("one record per event").containsExactly("a1", "j1", "p1");
        assertThat(enriched).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("k-a1", "k-j1", "p1");
        assertThat(enriched).extracting(TestRecord::getRecordTime).containsExactly(T0, T0.plusSeconds(1), T0.plusSeconds(2));

        EnrichedEvent avro = enriched.get(0).value();
        assertThat(avro.getSource()).isEqualTo("shop");
        assertThat(avro.getLanguage()).isEqualTo("en");
        assertThat(avro.getEventTime()).isEqualTo(Instant.parse("2025-05-05T00:00:00Z"));
        assertThat(avro.getAttributes()).isEqualTo(Map.of("product", "p-7", "rating", "5"));
        assertThat(avro.getText()).as("enriched.include.text is off by default").isNull();
        EnrichedEvent json = enriched.get(1).value();
        assertThat(json.getAttributes()).as("JSON extras as string attributes")
                .isEqualTo(Map.of("product", "p-9", "rating", "1", "channel", "app"));
        assertThat(json.getSource()).isNull();
        EnrichedEvent text = enriched.get(2).value();
        assertThat(text.getAttributes()).isEmpty();
        assertThat(text.getEventTime()).isEqualTo(T0.plusSeconds(2));

        // The same results as the other outputs of the same pass.
        var vectors = read("embeddings", EmbeddingRecord.class);
        var moods = read("sentiment", SentimentRecord.class);
        var spans = read("entities", EntitiesRecord.class);
        for (int i = 0; i < 3; i++) {
            EnrichedEvent e = enriched.get(i).value();
            assertThat(e.getEmbedding()).isEqualTo(vectors.get(i).value().getVector());
            assertThat(e.getSentiment().getLabel()).isEqualTo(moods.get(i).value().getLabel());
            assertThat(e.getSentiment().getPositive()).isEqualTo(moods.get(i).value().getPositive());
            assertThat(e.getEntities()).isEqualTo(spans.get(i).value().getEntities());
            assertThat(e.getSentimentHeadVersion()).isEqualTo(moods.get(i).value().getHeadVersion());
            assertThat(e.getNerHeadVersion()).isEqualTo(spans.get(i).value().getHeadVersion());
            assertThat(e.getModel()).isEqualTo(ModelCatalogue.DEFAULT_MODEL);
            assertThat(e.getTokenCount()).isEqualTo(vectors.get(i).value().getTokenCount());
            assertThat(e.getWindows()).isEqualTo(1);
            assertThat(e.getTruncated()).isFalse();
            assertThat(e.getCached()).isFalse();
        }
        assertThat(avro.getEntities()).extracting(Entity::getText).contains("Maria", "Google", "Paris");
        assertThat(sessions.textsEncoded()).as("one encoder pass per event for every output").isEqualTo(3);
    }

    @Test
    void theEnrichedRecordCanCarryTheTextAndLeaveTheEmbeddingOut() {
        start(Map.of(StreamNlpConfig.OUTPUTS, "enriched", StreamNlpConfig.ENRICHED_INCLUDE_TEXT, "true",
                StreamNlpConfig.ENRICHED_INCLUDE_EMBEDDING, "false"));
        String review = "😀 Maria from Google loved Paris.";
        input("logs").pipeInput(new TestRecord<>(utf8("t1"), utf8(review), T0));
        driver.advanceWallClockTime(Duration.ofMillis(100));
        EnrichedEvent e = read("enriched", EnrichedEvent.class).getFirst().value();
        assertThat(e.getText()).isEqualTo(review);
        assertThat(e.getEmbedding()).isNull();
        for (Entity entity : e.getEntities()) {
            assertThat(e.getText().substring(entity.getStart(), entity.getEnd())).isEqualTo(entity.getText());
        }
        assertThat(enricher.sentimentCalls()).as("the enriched output alone needs both heads").isEqualTo(1);
        assertThat(enricher.nerCalls()).isEqualTo(1);
        assertThat(wrote("embeddings")).isFalse();
    }

    @Test
    void withTheCacheOffEveryTextIsEncoded() {
        start(Map.of(StreamNlpConfig.CACHE_ENABLED, "false"));
        for (int i = 0; i < 3; i++) {
            input("logs").pipeInput(new TestRecord<>(utf8("n" + i), utf8("Great product!"), T0.plusSeconds(i)));
        }
        driver.advanceWallClockTime(Duration.ofMillis(100));
        assertThat(embeddings().readRecordsToList()).extracting(r -> r.value().getCached()).containsExactly(false, false, false);
        assertThat(sessions.textsEncoded()).isEqualTo(3);
    }

    @Test
    void aFullBatchRunsAtOnceAndTheRestWaitsForTheClock() {
        start(Map.of(StreamNlpConfig.BATCH_MAX_RECORDS, "4"));
        for (int i = 0; i < 5; i++) {
            input("logs").pipeInput(utf8("id" + i), utf8("Review number " + i + " is fine."));
        }
        assertThat(embeddings().readValuesToList()).extracting(EmbeddingRecord::getId)
                .containsExactly("id0", "id1", "id2", "id3");
        driver.advanceWallClockTime(Duration.ofMillis(100));
        assertThat(embeddings().readValuesToList()).extracting(EmbeddingRecord::getId).containsExactly("id4");
    }

    @Test
    void waitingTextsAreHeldInThePendingStoreUntilEmitted() {
        start(Map.of());
        input("logs").pipeInput(utf8("x1"), utf8("first"));
        input("logs").pipeInput(utf8("x2"), utf8("second"));
        KeyValueStore<Long, PendingText> pending = driver.getKeyValueStore(TopologyNames.PENDING_STORE);
        try (var all = pending.all()) {
            assertThat(all).toIterable().extracting(kv -> kv.value.getId()).containsExactly("x1", "x2");
        }
        driver.advanceWallClockTime(Duration.ofMillis(100));
        assertThat(embeddings().readValuesToList()).hasSize(2);
        try (var all = pending.all()) {
            assertThat(all.hasNext()).as("emitted texts leave the pending store").isFalse();
        }
    }

    @Test
    void theInputsOriginalBytesAndHeadersWaitWithTheText() {
        start(Map.of());
        byte[] value = utf8("{\"id\":\"h1\",\"text\":\"Headers and bytes travel along.\"}");
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", utf8("t-1"));
        headers.add("no-value", null);
        input("chat").pipeInput(new TestRecord<>(utf8("k-h1"), value, headers, T0));
        KeyValueStore<Long, PendingText> pending = driver.getKeyValueStore(TopologyNames.PENDING_STORE);
        try (var all = pending.all()) {
            PendingText waiting = all.next().value;
            assertThat(waiting.getId()).isEqualTo("h1");
            assertThat(waiting.getOriginalValue()).as("the value as consumed, not the parsed text").isEqualTo(ByteBuffer.wrap(value));
            assertThat(waiting.getOriginalHeaders()).extracting(OriginalHeader::getKey).containsExactly("trace-id", "no-value");
            assertThat(waiting.getOriginalHeaders().get(0).getValue()).isEqualTo(ByteBuffer.wrap(utf8("t-1")));
            assertThat(waiting.getOriginalHeaders().get(1).getValue()).isNull();
        }
        driver.advanceWallClockTime(Duration.ofMillis(100));
        assertThat(embeddings().readValuesToList()).extracting(EmbeddingRecord::getId).containsExactly("h1");
    }

    @Test
    void longTextsAreTruncatedAndFlaggedUnderTruncation() {
        start(Map.of(StreamNlpConfig.LONG_TEXT_MODE, "truncate")); // the test encoder's max length is 256 tokens
        input("logs").pipeInput(utf8("long"), utf8("This review goes on and on. ".repeat(60)));
        driver.advanceWallClockTime(Duration.ofMillis(100));
        EmbeddingRecord record = embeddings().readValue();
        assertThat(record.getTruncated()).isTrue();
        assertThat(record.getTokenCount()).isEqualTo(256);
        assertThat(record.getWindows()).isEqualTo(1);
        assertThat(sessions.textsEncoded()).isEqualTo(1);
    }

    /** About 3,000 tokens: 65 paragraphs that each name a place, then one with a person, a company and a city. */
    private static String longReview() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 65; i++) {
            text.append("Day ").append(i + 1).append(" of the trip: we drove from Berlin along the coast, the weather was mild, "
                    + "the hotel breakfast was fine and the coffee was strong, although the road works near the bridge slowed "
                    + "us down for an hour or so.\n\n");
        }
        // After 65 paragraphs of one kind the release-3 NER head reads "Maria from Google" as one name (it
        // splits it in a short text); the test is about offsets in the last window, so the names stand apart.
        return text.append("On the last evening Maria, who works at Google, joined us for dinner in Paris. A wonderful trip!")
                .toString();
    }

    @Test
    void aLongTextIsEncodedInWindowsAndItsLastParagraphsEntitiesHaveExactOffsets() {
        start(Map.of());
        String text = longReview();
        int tokens = enricher.tokenizer().windows(text, LongTextPolicy.TRUNCATE_ONLY).tokenCount();
        assertThat(tokens).isEqualTo(256);
        input("logs").pipeInput(new TestRecord<>(utf8("long"), utf8(text), T0));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        EmbeddingRecord vector = embeddings().readValue();
        assertThat(vector.getTokenCount()).as("the whole text's tokens").isBetween(2900, 3200);
        assertThat(vector.getTruncated()).isFalse();
        int windows = vector.getWindows();
        assertThat(windows).isEqualTo(enricher.tokenizer().windowsOf(vector.getTokenCount(), config.longTextPolicy()))
                .isBetween(15, 18);
        assertThat(sessions.textsEncoded()).as("the one-pass counters count windows").isEqualTo(windows);
        assertThat(enricher.nerCalls()).isEqualTo(windows);
        assertThat(vector.getVector().stream().mapToDouble(v -> v * v).sum()).isCloseTo(1.0, within(1e-4));

        SentimentRecord mood = driver.createOutputTopic(prefix + ".sentiment", new ByteArrayDeserializer(),
                AvroSerdes.specific(SentimentRecord.class, registry, false).deserializer()).readValue();
        assertThat(mood.getWindows()).isEqualTo(windows);
        assertThat(mood.getNegative() + mood.getNeutral() + mood.getPositive()).isCloseTo(1f, within(1e-3f));

        EntitiesRecord entities = driver.createOutputTopic(prefix + ".entities", new ByteArrayDeserializer(),
                AvroSerdes.specific(EntitiesRecord.class, registry, false).deserializer()).readValue();
        assertThat(entities.getWindows()).isEqualTo(windows);
        List<Entity> found = entities.getEntities();
        int lastParagraph = text.lastIndexOf("\n\n");
        for (String name : List.of("Maria", "Google", "Paris")) {
            assertThat(found).filteredOn(e -> e.getText().equals(name)).as(name).singleElement()
                    .satisfies(e -> {
                        assertThat(e.getStart()).isEqualTo(text.lastIndexOf(name)).isGreaterThan(lastParagraph);
                        assertThat(e.getEnd()).isEqualTo(text.lastIndexOf(name) + name.length());
                    });
        }
        for (int i = 1; i < found.size(); i++) {
            assertThat(found.get(i).getStart()).as("in text order, no overlap, no duplicate from a window overlap")
                    .isGreaterThanOrEqualTo(found.get(i - 1).getEnd());
        }
        for (Entity e : found) {
            assertThat(text.substring(e.getStart(), e.getEnd())).isEqualTo(e.getText());
        }
        // Berlin once per paragraph, each found exactly once: none lost at a window edge, none doubled in an overlap.
        List<Integer> berlins = found.stream().filter(e -> e.getText().equals("Berlin")).map(Entity::getStart).toList();
        assertThat(berlins).doesNotHaveDuplicates().hasSize(65);
    }

    @Test
    void aLongTextServedFromTheCacheSaysHowManyWindowsItTook() {
        start(Map.of());
        String text = longReview();
        input("logs").pipeInput(new TestRecord<>(utf8("first"), utf8(text), T0));
        driver.advanceWallClockTime(Duration.ofMillis(100));
        input("logs").pipeInput(new TestRecord<>(utf8("again"), utf8(text), T0.plusSeconds(1)));
        driver.advanceWallClockTime(Duration.ofMillis(100));
        List<EmbeddingRecord> both = embeddings().readValuesToList();
        assertThat(both).extracting(EmbeddingRecord::getCached).containsExactly(false, true);
        assertThat(both.get(1).getWindows()).isEqualTo(both.get(0).getWindows()).isGreaterThan(1);
        assertThat(both.get(1).getVector()).isEqualTo(both.get(0).getVector());
    }

    @Test
    void beyondTheMostWindowsALongTextIsTruncatedAndFlagged() {
        start(Map.of(StreamNlpConfig.LONG_TEXT_MAX_WINDOWS, "3"));
        input("logs").pipeInput(utf8("capped"), utf8(longReview()));
        driver.advanceWallClockTime(Duration.ofMillis(100));
        EmbeddingRecord record = embeddings().readValue();
        assertThat(record.getWindows()).isEqualTo(3);
        assertThat(record.getTruncated()).isTrue();
        assertThat(sessions.textsEncoded()).isEqualTo(3);
    }

    @Test
    void aShortTextGivesTheSameResultsWithWindowsAsWithTruncation() {
        String text = "Maria from Google loved the pasta at our hotel in Paris. Fantastic service!";
        List<Object> results = new ArrayList<>();
        for (String mode : List.of("window", "truncate")) {
            start(Map.of(StreamNlpConfig.LONG_TEXT_MODE, mode, StreamNlpConfig.CACHE_ENABLED, "false"));
            input("logs").pipeInput(new TestRecord<>(utf8("s"), utf8(text), T0));
            driver.advanceWallClockTime(Duration.ofMillis(100));
            EmbeddingRecord vector = embeddings().readValue();
            EntitiesRecord entities = driver.createOutputTopic(prefix + ".entities", new ByteArrayDeserializer(),
                    AvroSerdes.specific(EntitiesRecord.class, registry, false).deserializer()).readValue();
            results.add(List.of(vector.getVector(), vector.getTokenCount(), vector.getWindows(), entities.getEntities()));
            close();
        }
        assertThat(results.get(0)).isEqualTo(results.get(1));
        driver = null; // closed above
    }

    @Test
    void badInputGoesToTheDeadLetterTopicUntouchedWithItsReason() {
        start(Map.of(StreamNlpConfig.MAX_TEXT_BYTES, "1000"));
        byte[] notJson = utf8("{not json");
        input("chat").pipeInput(utf8("k1"), notJson);
        input("chat").pipeInput(utf8("k2"), utf8("{\"id\":\"e\",\"text\":\"   \"}"));
        input("logs").pipeInput((byte[]) null, utf8("text without a key"));
        input("logs").pipeInput(utf8("big"), utf8("x".repeat(1001)));
        input("reviews").pipeInput(utf8("k5"), new byte[] {0, 0, 0, 0, 7, 1}); // unknown schema id
        input("logs").pipeInput(utf8("ok"), utf8("A valid one in between."));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(prefix + ".dlq",
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(r -> DeadLetterHeaders.read(r.headers(), DeadLetterHeaders.REASON)).containsExactly(
                RejectReason.BAD_JSON, RejectReason.EMPTY_TEXT, RejectReason.MISSING_ID,
                RejectReason.TEXT_TOO_LARGE, RejectReason.BAD_AVRO);
        assertThat(dead.get(0).value()).isEqualTo(notJson);
        assertThat(dead.get(0).key()).isEqualTo(utf8("k1"));
        assertThat(DeadLetterHeaders.read(dead.get(0).headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(prefix + ".chat");
        assertThat(DeadLetterHeaders.read(dead.get(0).headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(DeadLetterHeaders.read(dead.get(0).headers(), DeadLetterHeaders.STAGE)).isEqualTo("ingest");
        assertThat(DeadLetterHeaders.read(dead.get(4).headers(), DeadLetterHeaders.ERROR_MESSAGE)).isNotBlank();
        assertThat(embeddings().readValuesToList()).extracting(EmbeddingRecord::getId).containsExactly("ok");
        assertThat(sessions.textsEncoded()).as("rejected input costs no inference").isEqualTo(1);
    }
}
