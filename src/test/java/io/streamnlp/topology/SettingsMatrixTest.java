package io.streamnlp.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.OutputFormat;
import io.streamnlp.config.OutputKind;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.heads.Heads;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.inference.EncoderSessions;
import io.streamnlp.live.LiveFeed;
import io.streamnlp.live.LiveView;
import io.streamnlp.live.TailRecord;
import io.streamnlp.ops.PipelineMeters;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.schema.LabelsRecord;
import io.streamnlp.testing.TestClassifier;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.testing.TestEncoder;
import io.streamnlp.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every documented combination of the settings that shape the path of a record, through the whole
 * topology: each case sends a short text, a text longer than the encoder's max length and the short
 * text again (a cache hit where the cache is on) in one input format, and asserts records out =
 * records in on each selected output, nothing on the others, nothing dead-lettered, and (live page
 * on) every record shown.
 *
 * <p>A new setting joins by being listed once: in {@link #DIMENSIONS} when it changes the path of a
 * record (the cases are their product), or in {@link #VARIED} when it only changes what a record
 * carries (each of its values is spread over the product, so it meets every other setting's values).
 */
@Tag("slow")
class SettingsMatrixTest {

    /** One setting and the values a user can give it. */
    record Dimension(String setting, List<String> values) {}

    /** The live page is not a topology setting: on means a real {@link LiveView} is fed by the fan-out. */
    static final String LIVE = StreamNlpConfig.LIVE_ENABLED;
    /** Which input topic (so which parser) the case's records arrive on. */
    static final String FORMAT = "input format";

    static final List<Dimension> DIMENSIONS = List.of(
            new Dimension(StreamNlpConfig.OUTPUTS, everyNonEmptySubsetOfTheOutputs()),
            new Dimension(StreamNlpConfig.CACHE_ENABLED, List.of("true", "false")),
            new Dimension(LIVE, List.of("true", "false")),
            new Dimension(FORMAT, List.of("avro", "json", "text")),
            new Dimension(StreamNlpConfig.PROCESSING_GUARANTEE, List.of("exactly_once_v2", "at_least_once")),
            new Dimension(StreamNlpConfig.LONG_TEXT_MODE, List.of("truncate", "window")));

    /** Settings whose values take turns over the cases of {@link #DIMENSIONS}. */
    static final List<Dimension> VARIED = List.of(
            new Dimension(StreamNlpConfig.OUTPUT_HEADERS, List.of("traceparent,tracestate", "")),
            new Dimension(StreamNlpConfig.CORRELATION_ID_HEADER, List.of("", "x-correlation-id", "x-request")),
            new Dimension(StreamNlpConfig.ENRICHED_INCLUDE_TEXT, List.of("false", "true")),
            new Dimension(StreamNlpConfig.ENRICHED_INCLUDE_EMBEDDING, List.of("true", "false")),
            // The matrix's texts are English: every policy analyses them; the language is on every record.
            new Dimension(StreamNlpConfig.LANGUAGE_UNSUPPORTED_POLICY, List.of("skip", "enrich", "dead-letter")),
            new Dimension(StreamNlpConfig.LANGUAGE_DETECT, List.of("true", "false")),
            new Dimension(StreamNlpConfig.LANGUAGE_ACCURACY, List.of("auto", "high", "low")),
            new Dimension(StreamNlpConfig.LANGUAGE_MIN_CONFIDENCE, List.of("0.1", "0.0", "0.5")),
            new Dimension(StreamNlpConfig.LANGUAGE_MIN_LENGTH, List.of("10", "0")),
            new Dimension(StreamNlpConfig.LANGUAGE_CANDIDATES, List.of("en,de,fr,es,it,pt,nl,ru,ar,zh,ja,ko", "en,de")),
            new Dimension(StreamNlpConfig.OUTPUT_FORMAT, List.of("avro", "json")),
            // Forced to the classifier wherever outputs has labels (which needs one); see cases().
            new Dimension(StreamNlpConfig.CLASSIFIERS, List.of("", TestClassifier.NAME)),
            // Redaction meets the cache on and off, the live page on and off and every output (its turns
            // are blocks of 7 cases, the two innermost dimensions spread within them).
            new Dimension(StreamNlpConfig.PII_REDACT, List.of("false", "true")),
            new Dimension(StreamNlpConfig.PII_DETECT, List.of("true", "false")),
            new Dimension(StreamNlpConfig.PII_MASK, List.of("type", "stars", "hash")),
            new Dimension(StreamNlpConfig.PII_DETECTORS, List.of("email,phone,card,iban,ip,url-secret,person,location",
                    "email", "email,location,organization")),
            new Dimension(StreamNlpConfig.PII_PHONE_REGIONS, List.of("US,GB,DE,FR", "", "JP")),
            new Dimension(StreamNlpConfig.PII_DEAD_LETTERS, List.of("redact", "drop", "keep")),
            // Where the cache lives changes the topology (the by-text hop or none), but the product already
            // has the cache on and off; spread over it, every placement meets every other setting (auto, the
            // default, resolves here as on a fresh application id: partition).
            new Dimension(StreamNlpConfig.CACHE_PLACEMENT, List.of("auto", "by-text", "partition")),
            // A batch forwarded from the encoder thread at a later punctuation (the default) or at once.
            new Dimension(StreamNlpConfig.BATCH_OVERLAP, List.of("true", "false")),
            // Which packaged heads judge the texts: their versions are on the records (and in the cache's key).
            new Dimension(StreamNlpConfig.HEADS_PROFILE, List.of("research", "commercial")),
            // Which graph of the encoder runs: the case's records come from that graph's encoder (auto, the default,
            // resolves here as on a new output prefix: fused).
            new Dimension(StreamNlpConfig.MODEL_GRAPH, List.of("auto", "packaged", "fused")));

    /** The key of pii.mask=hash, set in every case (used only where the case hashes). */
    private static final String HASH_KEY = "matrix-hash-key-0123456789";
    /** Personal data in the short text: with pii.redact it must appear in no output and not on the live page. */
    private static final String EMAIL = "ana.silva@example.pt";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static final String SHORT = "The staff at the Lisbon hotel were wonderful, write to " + EMAIL + ".";
    /** Longer than the test encoder's 256 tokens: windows, or truncated. */
    private static final String LONG = "Room service was slow but the view over the river made up for it. ".repeat(30);

    @TempDir
    static Path stateDir;

    private static SchemaRegistryClient registry;
    private static final Map<EncoderGraph, EncoderSessions> SESSIONS = new java.util.EnumMap<>(EncoderGraph.class);
    private static int caseNumber;

    @BeforeAll
    static void shared() {
        StreamNlpConfig config = ConfigLoader.load(null, Map.of(),
                Map.of(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url()));
        registry = new SchemaRegistryClient(config.registry());
    }

    @AfterAll
    static void closeShared() {
        SESSIONS.values().forEach(EncoderSessions::close);
        registry.close();
    }

    /**
     * Every non-empty subset of the outputs that need no classifier, and the labels output (which needs one)
     * alone, with the enriched record, and with every other output: the labels record is built from the same
     * enrichment as the others, so these meet every other dimension without doubling the product.
     */
    static List<String> everyNonEmptySubsetOfTheOutputs() {
        List<String> subsets = new ArrayList<>(everySubsetOf(java.util.Arrays.stream(OutputKind.values())
                .filter(kind -> kind != OutputKind.LABELS).toArray(OutputKind[]::new)));
        subsets.add("labels");
        subsets.add("enriched,labels");
        subsets.add(OutputKind.names());
        return subsets;
    }

    private static List<String> everySubsetOf(OutputKind[] kinds) {
        List<String> subsets = new ArrayList<>();
        for (int mask = 1; mask < 1 << kinds.length; mask++) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < kinds.length; i++) {
                if ((mask & 1 << i) != 0) {
                    names.add(kinds[i].settingName());
                }
            }
            subsets.add(String.join(",", names));
        }
        return subsets;
    }

    /** The product of every dimension's values: one map of setting to value per case. */
    static Stream<Map<String, String>> cases() {
        List<Map<String, String>> cases = List.of(Map.of());
        for (Dimension dimension : DIMENSIONS) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : cases) {
                for (String value : dimension.values()) {
                    Map<String, String> extended = new HashMap<>(partial);
                    extended.put(dimension.setting(), value);
                    next.add(extended);
                }
            }
            cases = next;
        }
        for (Dimension varied : VARIED) {
            for (int i = 0; i < cases.size(); i++) {
                // Offset by the dimension's position, so two varied settings do not move in lockstep.
                cases.get(i).put(varied.setting(), varied.values().get((i / (1 + VARIED.indexOf(varied))) % varied.values().size()));
            }
        }
        for (Map<String, String> c : cases) {
            if (c.get(StreamNlpConfig.OUTPUTS).contains("labels")) {
                c.put(StreamNlpConfig.CLASSIFIERS, TestClassifier.NAME);
            }
        }
        // -Dsettings.matrix.stride=N runs every N-th case only: a quick sample across every dimension.
        int stride = Integer.getInteger("settings.matrix.stride", 1);
        List<Map<String, String>> all = cases;
        return java.util.stream.IntStream.range(0, all.size()).filter(i -> i % stride == 0).mapToObj(all::get);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void recordsOutEqualRecordsInOnEachSelectedOutputAndNothingElsewhere(Map<String, String> setting) {
        Map<String, String> settings = new HashMap<>(setting);
        settings.put(StreamNlpConfig.PII_HASH_KEY, HASH_KEY);
        boolean redact = Boolean.parseBoolean(settings.get(StreamNlpConfig.PII_REDACT));
        boolean live = Boolean.parseBoolean(settings.remove(LIVE));
        String format = settings.remove(FORMAT);
        boolean classifier = !settings.get(StreamNlpConfig.CLASSIFIERS).isEmpty();
        // auto as the application resolves it on a new output prefix (its classifier trained on that graph).
        String graphSetting = settings.get(StreamNlpConfig.MODEL_GRAPH);
        EncoderGraph graph = StreamNlpConfig.MODEL_GRAPH_AUTO.equals(graphSetting)
                ? EncoderGraph.onNewPrefix(ModelCatalogue.byName(ModelCatalogue.DEFAULT_MODEL)) : EncoderGraph.of(graphSetting);
        if (classifier) {
            settings.put(StreamNlpConfig.CLASSIFIER_PATH, TestClassifier.path(graph).toString());
        }
        LiveView view = live ? new LiveView(new LiveView.Identity("matrix", "m", "1", "s", "n"), new SimpleMeterRegistry(),
                PipelineMeters.none(), () -> "RUNNING") : null;
        try (TopologyHarness pipeline = new TopologyHarness(stateDir.resolve("case-" + caseNumber++), settings,
                live ? view : LiveFeed.NONE, registry, SESSIONS.computeIfAbsent(graph, TestEncoder::sessions))) {
            send(pipeline, format, "short-1", SHORT);
            send(pipeline, format, "long", LONG);
            send(pipeline, format, "short-2", SHORT);
            pipeline.settle();

            Set<OutputKind> selected = pipeline.config.outputTopics().selected();
            List<TestRecord<byte[], byte[]>> embeddings = List.of();
            Map<OutputKind, List<TestRecord<byte[], byte[]>>> read = new java.util.EnumMap<>(OutputKind.class);
            for (OutputKind kind : OutputKind.values()) {
                List<TestRecord<byte[], byte[]>> out = pipeline.raw(kind);
                read.put(kind, out);
                if (kind == OutputKind.EMBEDDINGS) {
                    embeddings = out;
                }
                if (redact) {
                    assertThat(out).as("%s: no %s record carries the e-mail address", setting, kind)
                            .allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain(EMAIL));
                }
                if (selected.contains(kind)) {
                    assertThat(out).as("%s on %s", setting, kind).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                            .containsExactlyInAnyOrder("short-1", "long", "short-2");
                    assertPropagatedHeaders(settings, out);
                    assertFormat(settings, out);
                } else {
                    assertThat(out).as("%s: nothing on the unselected %s", setting, kind).isEmpty();
                }
            }
            String language = Boolean.parseBoolean(settings.get(StreamNlpConfig.LANGUAGE_DETECT)) ? "en" : null;
            if (selected.contains(OutputKind.EMBEDDINGS)) {
                for (String id : List.of("short-1", "long", "short-2")) {
                    assertThat(embeddingOf(pipeline, embeddings, id).language()).as("%s: %s's language", setting, id)
                            .isEqualTo(language);
                }
                Windows long_ = embeddingOf(pipeline, embeddings, "long");
                if (settings.get(StreamNlpConfig.LONG_TEXT_MODE).equals("window")) {
                    assertThat(long_.windows()).as("%s", setting).isGreaterThan(1);
                    assertThat(long_.truncated()).isFalse();
                } else {
                    assertThat(long_.windows()).as("%s", setting).isEqualTo(1);
                    assertThat(long_.truncated()).isTrue();
                }
            }
            if (selected.contains(OutputKind.LABELS)) {
                assertThat(read.get(OutputKind.LABELS)).as("%s", setting).hasSize(3).allSatisfy(r ->
                        assertThat(labelNames(pipeline, OutputKind.LABELS, r.value())).containsOnly(TestClassifier.NAME));
            }
            if (selected.contains(OutputKind.ENRICHED)) {
                assertThat(read.get(OutputKind.ENRICHED)).as("%s", setting).hasSize(3).allSatisfy(r ->
                        assertThat(labelNames(pipeline, OutputKind.ENRICHED, r.value()))
                                .isEqualTo(classifier ? Set.of(TestClassifier.NAME) : Set.of()));
            }
            Heads heads = TestEncoder.heads(pipeline.config.headsProfile(), graph); // the heads trained on that graph
            if (selected.contains(OutputKind.SENTIMENT)) {
                assertThat(read.get(OutputKind.SENTIMENT)).as("%s: the profile's sentiment head of the graph judged", setting)
                        .extracting(r -> headVersion(pipeline, OutputKind.SENTIMENT, r.value()))
                        .containsOnly(heads.sentiment().version());
            }
            if (selected.contains(OutputKind.ENTITIES)) {
                assertThat(read.get(OutputKind.ENTITIES)).as("%s: the profile's NER head judged", setting)
                        .extracting(r -> headVersion(pipeline, OutputKind.ENTITIES, r.value()))
                        .containsOnly(heads.ner().version());
            }
            assertThat(pipeline.deadLetters()).as("%s: nothing dead-lettered", setting).isEmpty();
            boolean cacheOn = Boolean.parseBoolean(settings.get(StreamNlpConfig.CACHE_ENABLED));
            assertThat(io.streamnlp.ops.TaskMetrics.sum(pipeline.driver.metrics(), "cache-hits-total"))
                    .as("%s: the repeated text is served from the cache, wherever it lives", setting)
                    .isEqualTo(cacheOn ? 1.0 : 0.0);
            if (live) {
                assertThat(view.overview().enriched()).as("%s: the live page saw every record", setting).isEqualTo(3);
                if (redact) {
                    assertThat(view.tail(10).records()).as("%s: the live page's tail", setting).hasSize(3)
                            .allSatisfy(r -> assertThat(r.toString()).doesNotContain(EMAIL));
                }
                assertThat(view.tail(10).records()).as("%s: the live page shows the language", setting)
                        .extracting(TailRecord::language).containsOnly(language);
            }
        } finally {
            if (view != null) {
                view.close();
            }
        }
    }

    /** Every record carries a trace context and both correlation headers; only the allowed ones may come out. */
    private static void send(TopologyHarness pipeline, String format, String id, String text) {
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));
        headers.add("x-correlation-id", ("c-" + id).getBytes(StandardCharsets.UTF_8));
        headers.add("x-request", null);
        headers.add("secret", "not for downstream".getBytes(StandardCharsets.UTF_8));
        byte[] value = switch (format) {
            case "avro" -> pipeline.avro(TextEvent.newBuilder().setId(id).setText(text).build());
            case "json" -> ("{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
            case "text" -> text.getBytes(StandardCharsets.UTF_8);
            default -> throw new IllegalArgumentException(format);
        };
        String topic = switch (format) {
            case "avro" -> "reviews";
            case "json" -> "chat";
            default -> "logs";
        };
        pipeline.input(topic).pipeInput(new TestRecord<>(key, value, headers));
    }

    private static void assertPropagatedHeaders(Map<String, String> settings, List<TestRecord<byte[], byte[]>> out) {
        boolean trace = settings.get(StreamNlpConfig.OUTPUT_HEADERS).contains("traceparent");
        String correlation = settings.get(StreamNlpConfig.CORRELATION_ID_HEADER);
        for (TestRecord<byte[], byte[]> record : out) {
            String id = new String(record.key(), StandardCharsets.UTF_8);
            List<String> names = new ArrayList<>();
            record.headers().forEach(h -> names.add(h.key()));
            List<String> expected = new ArrayList<>();
            if (trace) {
                expected.add("traceparent");
                assertThat(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                        .isEqualTo(TRACEPARENT);
            }
            if (!correlation.isEmpty()) {
                expected.add(correlation);
                if (correlation.equals("x-correlation-id")) {
                    assertThat(record.headers().lastHeader(correlation).value()).as("its own event's header")
                            .isEqualTo(("c-" + id).getBytes(StandardCharsets.UTF_8));
                }
            }
            assertThat(names).as("%s: headers of %s", settings, id).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** JSON: each value a JSON object of its event (a plain one: no wire-format magic byte); Avro: the magic byte. */
    private static void assertFormat(Map<String, String> settings, List<TestRecord<byte[], byte[]>> out) {
        boolean json = settings.get(StreamNlpConfig.OUTPUT_FORMAT).equals("json");
        for (TestRecord<byte[], byte[]> record : out) {
            if (json) {
                assertThat(readJson(record.value()).get("id").isTextual()).as("%s", settings).isTrue();
            } else {
                assertThat(record.value()[0]).as("%s: the Confluent wire format's magic byte", settings).isZero();
            }
        }
    }

    private static JsonNode readJson(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + new String(value, StandardCharsets.UTF_8), e);
        }
    }

    /** The window count and the truncation flag of the event's embedding record, in either format. */
    private record Windows(int windows, boolean truncated, String language) {}

    private static Windows embeddingOf(TopologyHarness pipeline, List<TestRecord<byte[], byte[]>> embeddings,
            String id) {
        TestRecord<byte[], byte[]> record = embeddings.stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(id)).findFirst().orElseThrow();
        if (pipeline.config.outputFormat() == OutputFormat.JSON) {
            JsonNode json = readJson(record.value());
            JsonNode language = json.get("detectedLanguage");
            return new Windows(json.get("windows").intValue(), json.get("truncated").booleanValue(),
                    language == null || language.isNull() ? null : language.asText());
        }
        EmbeddingRecord avro = AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer()
                .deserialize(pipeline.config.outputTopics().embeddings(), record.value());
        return new Windows(avro.getWindows(), avro.getTruncated(),
                avro.getDetectedLanguage() == null ? null : avro.getDetectedLanguage().toString());
    }

    /** The classifier names in a labels or enriched record's {@code labels} map, in either output format. */
    /** The head version on a sentiment or entities record, Avro or JSON. */
    private static String headVersion(TopologyHarness pipeline, OutputKind kind, byte[] value) {
        String topic = pipeline.config.outputTopics().topic(kind);
        if (pipeline.config.outputFormat() == OutputFormat.JSON) {
            return readJson(value).get("headVersion").asText();
        }
        return kind == OutputKind.SENTIMENT
                ? AvroSerdes.specific(SentimentRecord.class, registry, false).deserializer().deserialize(topic, value)
                        .getHeadVersion()
                : AvroSerdes.specific(EntitiesRecord.class, registry, false).deserializer().deserialize(topic, value)
                        .getHeadVersion();
    }

    private static Set<String> labelNames(TopologyHarness pipeline, OutputKind kind, byte[] value) {
        String topic = pipeline.config.outputTopics().topic(kind);
        if (pipeline.config.outputFormat() == OutputFormat.JSON) {
            Set<String> names = new java.util.HashSet<>();
            readJson(value).get("labels").fieldNames().forEachRemaining(names::add);
            return names;
        }
        Map<String, ?> labels = kind == OutputKind.LABELS
                ? AvroSerdes.specific(LabelsRecord.class, registry, false).deserializer().deserialize(topic, value).getLabels()
                : AvroSerdes.specific(EnrichedEvent.class, registry, false).deserializer().deserialize(topic, value).getLabels();
        return Set.copyOf(labels.keySet());
    }
}
