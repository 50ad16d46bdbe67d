package io.streamnlp.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.OutputKind;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.inference.EncoderSessions;
import io.streamnlp.live.LiveFeed;
import io.streamnlp.live.LiveView;
import io.streamnlp.live.TailRecord;
import io.streamnlp.ops.PipelineMeters;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.testing.TestEncoder;
import io.streamnlp.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
            new Dimension(StreamNlpConfig.LANGUAGE_ACCURACY, List.of("high", "low")),
            new Dimension(StreamNlpConfig.LANGUAGE_MIN_CONFIDENCE, List.of("0.1", "0.0", "0.5")),
            new Dimension(StreamNlpConfig.LANGUAGE_MIN_LENGTH, List.of("10", "0")),
            new Dimension(StreamNlpConfig.LANGUAGE_CANDIDATES, List.of("en,de,fr,es,it,pt,nl,ru,ar,zh,ja,ko", "en,de")));

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static final String SHORT = "The staff at the Lisbon hotel were wonderful.";
    /** Longer than the test encoder's 256 tokens: windows, or truncated. */
    private static final String LONG = "Room service was slow but the view over the river made up for it. ".repeat(30);

    @TempDir
    static Path stateDir;

    private static SchemaRegistryClient registry;
    private static EncoderSessions sessions;
    private static int caseNumber;

    @BeforeAll
    static void shared() {
        StreamNlpConfig config = ConfigLoader.load(null, Map.of(),
                Map.of(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url()));
        registry = new SchemaRegistryClient(config.registry());
        sessions = TestEncoder.sessions();
    }

    @AfterAll
    static void closeShared() {
        sessions.close();
        registry.close();
    }

    static List<String> everyNonEmptySubsetOfTheOutputs() {
        OutputKind[] kinds = OutputKind.values();
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
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void recordsOutEqualRecordsInOnEachSelectedOutputAndNothingElsewhere(Map<String, String> setting) {
        Map<String, String> settings = new HashMap<>(setting);
        boolean live = Boolean.parseBoolean(settings.remove(LIVE));
        String format = settings.remove(FORMAT);
        LiveView view = live ? new LiveView(new LiveView.Identity("matrix", "m", "1", "s", "n"), new SimpleMeterRegistry(),
                PipelineMeters.none(), () -> "RUNNING") : null;
        try (TopologyHarness pipeline = new TopologyHarness(stateDir.resolve("case-" + caseNumber++), settings,
                live ? view : LiveFeed.NONE, registry, sessions)) {
            send(pipeline, format, "short-1", SHORT);
            send(pipeline, format, "long", LONG);
            send(pipeline, format, "short-2", SHORT);
            pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));

            Set<OutputKind> selected = pipeline.config.outputTopics().selected();
            List<TestRecord<byte[], byte[]>> embeddings = List.of();
            for (OutputKind kind : OutputKind.values()) {
                List<TestRecord<byte[], byte[]>> out = pipeline.raw(kind);
                if (kind == OutputKind.EMBEDDINGS) {
                    embeddings = out;
                }
                if (selected.contains(kind)) {
                    assertThat(out).as("%s on %s", setting, kind).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                            .containsExactlyInAnyOrder("short-1", "long", "short-2");
                    assertPropagatedHeaders(settings, out);
                } else {
                    assertThat(out).as("%s: nothing on the unselected %s", setting, kind).isEmpty();
                }
            }
            String language = Boolean.parseBoolean(settings.get(StreamNlpConfig.LANGUAGE_DETECT)) ? "en" : null;
            if (selected.contains(OutputKind.EMBEDDINGS)) {
                for (String id : List.of("short-1", "long", "short-2")) {
                    assertThat(embeddingOf(pipeline, embeddings, id).getDetectedLanguage()).as("%s: %s's language", setting, id)
                            .isEqualTo(language);
                }
                EmbeddingRecord long_ = embeddingOf(pipeline, embeddings, "long");
                if (settings.get(StreamNlpConfig.LONG_TEXT_MODE).equals("window")) {
                    assertThat(long_.getWindows()).as("%s", setting).isGreaterThan(1);
                    assertThat(long_.getTruncated()).isFalse();
                } else {
                    assertThat(long_.getWindows()).as("%s", setting).isEqualTo(1);
                    assertThat(long_.getTruncated()).isTrue();
                }
            }
            assertThat(pipeline.deadLetters()).as("%s: nothing dead-lettered", setting).isEmpty();
            if (live) {
                assertThat(view.overview().enriched()).as("%s: the live page saw every record", setting).isEqualTo(3);
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

    private static EmbeddingRecord embeddingOf(TopologyHarness pipeline, List<TestRecord<byte[], byte[]>> embeddings,
            String id) {
        var values = AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer();
        return embeddings.stream()
                .map(r -> values.deserialize(pipeline.config.outputTopics().embeddings(), r.value()))
                .filter(e -> e.getId().equals(id))
                .findFirst().orElseThrow();
    }
}
