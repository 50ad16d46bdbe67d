package io.streamnlp.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamnlp.app.StartupFailedException;
import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.OutputKind;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.guard.ModelGuard;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.samples.SampleReviews;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.LabelsRecord;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code output.format=json} on a real broker and registry: the same events enriched once into an Avro
 * prefix and once into a JSON prefix; a plain consumer ({@link StringDeserializer}, no Avro, no registry)
 * reads every JSON output, and each record carries the Avro record's fields under the same names with the
 * same values. Nothing is registered for the JSON outputs; the Avro outputs' subjects are registered by the
 * start, before any record (one version each, the one the records carry), and a subject that refuses its
 * schema stops the start naming it. The guard holds each prefix to its format: a
 * switch is refused naming {@code output.format} unless {@code output.format.change=allow}, and a prefix
 * written before formats were recorded (its encoder record alone, or records on a topic without any guard
 * record) holds Avro.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonOutputsIntegrationTest {

    /** The outputs of this test: every one that needs no classifier (JsonOutputsTest covers labels). */
    private static final Set<OutputKind> WRITTEN = EnumSet.complementOf(EnumSet.of(OutputKind.LABELS));


    private static final String INPUT = "jo.in";
    private static final int EVENTS = 12;
    private static final long BASE_TIME = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaTestCluster kafka;
    private SchemaRegistryClient registry;
    private Path workDir;

    @BeforeAll
    void start() throws Exception {
        workDir = Files.createTempDirectory("json-outputs-it");
        kafka = KafkaTestCluster.start();
        kafka.createTopics(List.of(INPUT), 2);
        registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()));
        List<String> texts = new ArrayList<>(new LinkedHashSet<>(SampleReviews.load().stream()
                .map(SampleReviews.Review::text).toList())).subList(0, EVENTS - 1);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < texts.size(); i++) {
                String id = "e-" + i;
                producer.send(new ProducerRecord<>(INPUT, null, BASE_TIME + i * 1000L, id, "{\"id\":\"" + id + "\",\"text\":"
                        + JSON.writeValueAsString(texts.get(i)) + ",\"source\":\"web\",\"language\":\"en\",\"stars\":" + i % 5
                        + "}"));
            }
            // No source nor language: null unions.
            producer.send(new ProducerRecord<>(INPUT, null, BASE_TIME + 99_000L, "e-bare",
                    "{\"id\":\"e-bare\",\"text\":\"Anna flew from Paris to Rome with Lufthansa.\"}"));
        }
    }

    @AfterAll
    void stop() {
        registry.close();
        kafka.close();
    }

    private Map<String, String> settings(String name, String prefix, String format) {
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url());
        settings.put(StreamNlpConfig.APPLICATION_ID, "json-outputs-" + name);
        settings.put(StreamNlpConfig.INPUT_TOPICS, INPUT + ":json");
        settings.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, prefix);
        settings.put(StreamNlpConfig.OUTPUT_FORMAT, format);
        settings.put(StreamNlpConfig.ENRICHED_INCLUDE_TEXT, "true");
        // One encoder call per text: both runs give bit-identical results whatever their batches.
        settings.put(StreamNlpConfig.INFERENCE_BATCH_INVARIANT, "true");
        settings.put(StreamNlpConfig.STATE_DIR, workDir.resolve(name).toString());
        settings.put(StreamNlpConfig.METRICS_PORT, "-1");
        return settings;
    }

    private static void startAndClose(Map<String, String> settings) {
        new StreamNlpApplication(ConfigLoader.load(null, Map.of(), settings)).close();
    }

    @Test
    void aPlainConsumerReadsTheAvroFieldsAsJsonAndThePrefixKeepsItsFormat() throws Exception {
        Map<OutputKind, Map<String, SpecificRecord>> avro = new HashMap<>();
        try (StreamNlpApplication app = new StreamNlpApplication(ConfigLoader.load(null, Map.of(),
                settings("avro", "jo-avro", "avro")))) {
            // Registered by the start, before any record: a first record waits for no registration.
            assertThat(subjects()).filteredOn(s -> s.startsWith("jo-avro.") && !s.startsWith("jo-avro.models"))
                    .containsExactlyInAnyOrderElementsOf(WRITTEN.stream().map(k -> "jo-avro." + k.settingName() + "-value").toList());
            app.start();
            for (OutputKind kind : WRITTEN) {
                Map<String, SpecificRecord> values = new HashMap<>();
                for (var record : TopicReader.readAll(kafka.bootstrapServers(), "jo-avro." + kind.settingName(),
                        avroValues(kind), EVENTS, Duration.ofSeconds(180))) {
                    assertThat(values.put(idOf(record.value()), record.value())).as("duplicate").isNull();
                }
                avro.put(kind, values);
            }
        }
        Map<OutputKind, Map<String, ConsumerRecord<byte[], String>>> json = new HashMap<>();
        try (StreamNlpApplication app = new StreamNlpApplication(ConfigLoader.load(null, Map.of(),
                settings("json", "jo-json", "json")))) {
            app.start();
            for (OutputKind kind : WRITTEN) {
                Map<String, ConsumerRecord<byte[], String>> records = new HashMap<>();
                for (var record : TopicReader.readAll(kafka.bootstrapServers(), "jo-json." + kind.settingName(),
                        new StringDeserializer(), EVENTS, Duration.ofSeconds(180))) {
                    String id = JSON.readTree(record.value()).get("id").textValue();
                    assertThat(records.put(id, record)).as("duplicate %s", id).isNull();
                }
                json.put(kind, records);
            }
        }

        for (OutputKind kind : WRITTEN) {
            assertThat(json.get(kind).keySet()).as("%s: every event once", kind).hasSize(EVENTS)
                    .isEqualTo(avro.get(kind).keySet());
            for (var entry : json.get(kind).entrySet()) {
                ConsumerRecord<byte[], String> record = entry.getValue();
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(entry.getKey());
                SpecificRecord expected = avro.get(kind).get(entry.getKey());
                JsonOutputsTest.assertSameFields(JSON.readTree(record.value()), expected, expected.getSchema(),
                        kind + " " + entry.getKey());
            }
        }
        for (OutputKind kind : WRITTEN) {
            assertThat(versions("jo-avro." + kind.settingName() + "-value"))
                    .as("%s: the records were written with the schema registered at start", kind).containsExactly(1);
        }
        JsonNode bare = JSON.readTree(json.get(OutputKind.ENRICHED).get("e-bare").value());
        assertThat(bare.get("source").isNull()).isTrue();
        assertThat(bare.get("entities").size()).isPositive();
        assertThat(subjects()).as("nothing registered for the JSON outputs; the guard's records only")
                .filteredOn(s -> s.startsWith("jo-json.")).containsExactlyInAnyOrder("jo-json.models-value",
                        "jo-json.models.format-value");

        // The guard: each prefix keeps its format.
        assertThatThrownBy(() -> startAndClose(settings("switch", "jo-avro", "json")))
                .isInstanceOf(StartupFailedException.class)
                .hasMessageContaining("Output prefix 'jo-avro' holds avro records (recorded in jo-avro.models)")
                .hasMessageContaining("output.format=json")
                .hasMessageContaining("output.format.change=allow");
        assertThatThrownBy(() -> startAndClose(settings("back", "jo-json", "avro")))
                .isInstanceOf(StartupFailedException.class)
                .hasMessageContaining("holds json records").hasMessageContaining("output.format=avro");
        Map<String, String> allowed = settings("allowed", "jo-json", "avro");
        allowed.put(StreamNlpConfig.OUTPUT_FORMAT_CHANGE, "allow");
        startAndClose(allowed);
        assertThat(formats("jo-json", 3)).containsExactly("json", "avro");
    }

    @Test
    void aPrefixWrittenBeforeFormatsWereRecordedHoldsAvro() throws Exception {
        // A vector prefix of an earlier release: its encoder record and nothing else in <prefix>.models.
        startAndClose(settings("first", "jo-vectors", "avro"));
        byte[] encoderRecord = TopicReader.readAllBytes(kafka.bootstrapServers(), "jo-vectors.models", 2,
                Duration.ofSeconds(30)).stream().filter(r -> Arrays.equals(r.key(), utf8(ModelGuard.KEY)))
                .findFirst().orElseThrow().value();
        kafka.createTopics(List.of("jo-old.models"), 1);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("jo-old.models", utf8(ModelGuard.KEY), encoderRecord)).get();
        }
        assertThatThrownBy(() -> startAndClose(settings("old-json", "jo-old", "json")))
                .isInstanceOf(StartupFailedException.class)
                .hasMessageContaining("Output prefix 'jo-old' holds avro records (written before the output format was recorded")
                .hasMessageContaining("output.format=json");
        startAndClose(settings("old-avro", "jo-old", "avro"));
        assertThat(formats("jo-old", 1)).as("an Avro start on it changes nothing").isEmpty();

        // A prefix without vectors (never guarded before) whose output topic holds records.
        kafka.createTopics(List.of("jo-moods.sentiment"), 1);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("jo-moods.sentiment", utf8("k"), new byte[] {0, 0, 0, 0, 1})).get();
        }
        Map<String, String> moods = settings("moods-json", "jo-moods", "json");
        moods.put(StreamNlpConfig.OUTPUTS, "sentiment");
        assertThatThrownBy(() -> startAndClose(moods))
                .isInstanceOf(StartupFailedException.class)
                .hasMessageContaining("Output prefix 'jo-moods' holds avro records (written before");
    }

    private List<String> formats(String prefix, int expected) {
        var values = AvroSerdes.specific(io.streamnlp.schema.OutputFormatChoice.class, registry, false).deserializer();
        return TopicReader.readAllBytes(kafka.bootstrapServers(), prefix + ".models", expected, Duration.ofSeconds(30))
                .stream().filter(r -> Arrays.equals(r.key(), utf8(ModelGuard.FORMAT_KEY)))
                .map(r -> values.deserialize(prefix + ".models", r.value()).getFormat()).toList();
    }

    @Test
    void aSubjectThatRefusesItsSchemaStopsTheStartNamingIt() {
        // Another writer's record under the sentiment topic's subject: the registry (BACKWARD) refuses ours over it.
        registry.register("jo-taken.sentiment-value", new org.apache.avro.Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"Other\",\"fields\":[{\"name\":\"score\",\"type\":\"int\"}]}"));
        Map<String, String> taken = settings("taken", "jo-taken", "avro");

        assertThatThrownBy(() -> startAndClose(taken))
                .isInstanceOf(StartupFailedException.class)
                .hasMessageContaining("subject jo-taken.sentiment-value")
                .hasMessageContaining("output.topic.prefix");
    }

    private List<String> subjects() throws Exception {
        return strings(registryGet("/subjects"));
    }

    private List<Integer> versions(String subject) throws Exception {
        List<Integer> versions = new ArrayList<>();
        JSON.readTree(registryGet("/subjects/" + subject + "/versions")).forEach(v -> versions.add(v.intValue()));
        return versions;
    }

    private static List<String> strings(String jsonArray) throws Exception {
        List<String> values = new ArrayList<>();
        JSON.readTree(jsonArray).forEach(s -> values.add(s.textValue()));
        return values;
    }

    private static String registryGet(String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(TestRegistry.url() + path))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
            return response.body();
        }
    }

    @SuppressWarnings("unchecked")
    private Deserializer<SpecificRecord> avroValues(OutputKind kind) {
        Class<? extends SpecificRecord> type = switch (kind) {
            case EMBEDDINGS -> EmbeddingRecord.class;
            case SENTIMENT -> SentimentRecord.class;
            case ENTITIES -> EntitiesRecord.class;
            case ENRICHED -> EnrichedEvent.class;
            case LABELS -> LabelsRecord.class;
        };
        return (Deserializer<SpecificRecord>) AvroSerdes.specific(type, registry, false).deserializer();
    }

    private static String idOf(SpecificRecord record) {
        return record.get(record.getSchema().getField("id").pos()).toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
