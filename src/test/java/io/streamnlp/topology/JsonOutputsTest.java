package io.streamnlp.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamnlp.config.OutputKind;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.deadletter.DeadLetterHeaders;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.live.LiveFeed;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.LabelsRecord;
import io.streamnlp.testing.TestClassifier;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.schema.TextEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code output.format=json}: the same events through the same topology under avro and under json give,
 * on every output, records with the same keys, timestamps and headers, whose JSON is a plain object
 * (UTF-8, no union wrappers) carrying every field of the Avro record under its Avro name with the same
 * value; and a JSON record is held to the same size budget as an Avro one.
 */
class JsonOutputsTest {

    private static final Instant T0 = Instant.parse("2026-03-04T05:06:07.089Z");
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String ALL = "embeddings,sentiment,entities,enriched,labels";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    @Test
    void everyOutputCarriesTheAvroRecordsFieldsAsPlainJson() throws Exception {
        Map<String, String> settings = Map.of(StreamNlpConfig.OUTPUTS, ALL,
                StreamNlpConfig.CLASSIFIERS, TestClassifier.NAME,
                StreamNlpConfig.CLASSIFIER_PATH, TestClassifier.path().toString(),
                StreamNlpConfig.ENRICHED_INCLUDE_TEXT, "true",
                StreamNlpConfig.LONG_TEXT_MODE, "window");
        Map<OutputKind, List<TestRecord<byte[], byte[]>>> avroOut;
        Map<OutputKind, List<TestRecord<byte[], byte[]>>> jsonOut;
        Map<OutputKind, List<? extends SpecificRecord>> avroValues = new HashMap<>();
        try (TopologyHarness avro = new TopologyHarness(stateDir.resolve("avro"), with(settings, "avro"), LiveFeed.NONE)) {
            sendEvents(avro);
            avroOut = outputs(avro);
            for (OutputKind kind : OutputKind.values()) {
                avroValues.put(kind, avroOut.get(kind).stream().map(r -> deserialize(avro, kind, r.value())).toList());
            }
            assertThat(avro.deadLetters()).isEmpty();
        }
        try (TopologyHarness json = new TopologyHarness(stateDir.resolve("json"), with(settings, "json"), LiveFeed.NONE)) {
            sendEvents(json);
            jsonOut = outputs(json);
            assertThat(json.deadLetters()).isEmpty();
        }

        for (OutputKind kind : OutputKind.values()) {
            List<TestRecord<byte[], byte[]>> avroRecords = avroOut.get(kind);
            List<TestRecord<byte[], byte[]>> jsonRecords = jsonOut.get(kind);
            assertThat(jsonRecords).as("%s", kind).hasSize(4).hasSameSizeAs(avroRecords);
            for (int i = 0; i < jsonRecords.size(); i++) {
                TestRecord<byte[], byte[]> jsonRecord = jsonRecords.get(i);
                TestRecord<byte[], byte[]> avroRecord = avroRecords.get(i);
                assertThat(jsonRecord.key()).isEqualTo(avroRecord.key());
                assertThat(jsonRecord.timestamp()).isEqualTo(avroRecord.timestamp());
                assertThat(jsonRecord.headers().toArray()).isEqualTo(avroRecord.headers().toArray());
                assertThat(jsonRecord.value()[0]).as("no wire-format magic byte: JSON text").isEqualTo((byte) '{');
                JsonNode value = JSON.readTree(new String(jsonRecord.value(), StandardCharsets.UTF_8));
                SpecificRecord expected = avroValues.get(kind).get(i);
                assertSameFields(value, expected, expected.getSchema(), kind + "[" + i + "]");
            }
        }

        // What a consumer relies on, spelled out once on the richest record.
        JsonNode enriched = JSON.readTree(jsonOut.get(OutputKind.ENRICHED).get(0).value());
        assertThat(enriched.get("id").textValue()).isEqualTo("a1");
        assertThat(enriched.get("language").isTextual()).as("a union is its plain value, not {\"string\": ...}").isTrue();
        assertThat(enriched.get("language").textValue()).isEqualTo("en");
        assertThat(enriched.get("source").textValue()).isEqualTo("app-store");
        assertThat(enriched.get("attributes").get("stars").textValue()).isEqualTo("4");
        assertThat(enriched.get("eventTime").longValue()).as("timestamp-millis as epoch ms").isEqualTo(T0.toEpochMilli());
        assertThat(enriched.get("sentiment").get("label").textValue()).isIn("NEGATIVE", "NEUTRAL", "POSITIVE");
        assertThat(enriched.get("sentiment").get("positive").isFloatingPointNumber()).isTrue();
        assertThat(enriched.get("embedding").size()).isEqualTo(384);
        assertThat(enriched.get("entities").size()).isPositive();
        JsonNode entity = enriched.get("entities").get(0);
        String text = enriched.get("text").textValue();
        assertThat(text.substring(entity.get("start").intValue(), entity.get("end").intValue()))
                .isEqualTo(entity.get("text").textValue());
        JsonNode plain = JSON.readTree(jsonOut.get(OutputKind.ENRICHED).get(3).value());
        assertThat(plain.get("source").isNull()).as("a null union is null (plain-text input has no source)").isTrue();
        assertThat(plain.get("language").isNull()).isTrue();
    }

    @Test
    void aJsonRecordIsHeldToTheSameSizeBudgetAsAnAvroOne() {
        // Avro: 4 bytes a float, about 1.6 kB for 384 of them; JSON: 10 to 13 characters each, over 3,000.
        Map<String, String> settings = Map.of(StreamNlpConfig.OUTPUTS, "sentiment,embeddings",
                StreamNlpConfig.MAX_RECORD_BYTES, "600",
                "kafka.producer.max.request.size", "3000");
        try (TopologyHarness avro = new TopologyHarness(stateDir.resolve("avro"), with(settings, "avro"), LiveFeed.NONE)) {
            sendPlain(avro, "fits", "The staff at the Lisbon hotel were wonderful.");
            assertThat(avro.raw(OutputKind.EMBEDDINGS)).hasSize(1);
            assertThat(avro.deadLetters()).isEmpty();
        }
        try (TopologyHarness json = new TopologyHarness(stateDir.resolve("json"), with(settings, "json"), LiveFeed.NONE)) {
            sendPlain(json, "too-large", "The staff at the Lisbon hotel were wonderful.");
            assertThat(json.raw(OutputKind.EMBEDDINGS)).as("no output of the text is written").isEmpty();
            assertThat(json.raw(OutputKind.SENTIMENT)).isEmpty();
            List<TestRecord<byte[], byte[]>> dlq = json.deadLetters();
            assertThat(dlq).singleElement().satisfies(dead -> {
                assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
                        .isEqualTo(RejectReason.TOO_LARGE);
                assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.ERROR_MESSAGE).value(),
                        StandardCharsets.UTF_8)).contains("embeddings record", "max.request.size=3000");
            });
        }
    }

    private static Map<String, String> with(Map<String, String> settings, String format) {
        Map<String, String> all = new HashMap<>(settings);
        all.put(StreamNlpConfig.OUTPUT_FORMAT, format);
        return all;
    }

    /** The same four events each time: Avro with every field, JSON, a text over the max length, plain text. */
    private static void sendEvents(TopologyHarness pipeline) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));
        byte[] avroEvent = pipeline.avro(TextEvent.newBuilder().setId("a1")
                .setText("Maria loved the hotel in Lisbon and the staff at Marriott were kind.")
                .setSource("app-store").setLanguage("en").setEventTime(T0).setAttributes(Map.of("stars", "4")).build());
        pipeline.input("reviews").pipeInput(new TestRecord<>(utf8("k-a1"), avroEvent, headers, T0));
        pipeline.input("chat").pipeInput(new TestRecord<>(utf8("k-j1"),
                utf8("{\"id\":\"j1\",\"text\":\"Terrible service in Berlin, never again.\",\"channel\":\"web\"}"),
                new RecordHeaders(), T0.plusSeconds(1)));
        pipeline.input("chat").pipeInput(new TestRecord<>(utf8("k-long"),
                utf8("{\"id\":\"long\",\"text\":\"" + "Room service was slow but the view over the river in Porto made up for it. "
                        .repeat(30) + "\"}"), new RecordHeaders(), T0.plusSeconds(2)));
        sendPlain(pipeline, "k-t1", "Okay I guess.");
        pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));
    }

    private static void sendPlain(TopologyHarness pipeline, String key, String text) {
        pipeline.input("logs").pipeInput(new TestRecord<>(utf8(key), utf8(text), new RecordHeaders(), T0.plusSeconds(3)));
        pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));
    }

    private static Map<OutputKind, List<TestRecord<byte[], byte[]>>> outputs(TopologyHarness pipeline) {
        Map<OutputKind, List<TestRecord<byte[], byte[]>>> out = new HashMap<>();
        for (OutputKind kind : OutputKind.values()) {
            out.put(kind, pipeline.raw(kind));
        }
        return out;
    }

    private static SpecificRecord deserialize(TopologyHarness pipeline, OutputKind kind, byte[] value) {
        Class<? extends SpecificRecord> type = switch (kind) {
            case EMBEDDINGS -> EmbeddingRecord.class;
            case SENTIMENT -> SentimentRecord.class;
            case ENTITIES -> EntitiesRecord.class;
            case ENRICHED -> EnrichedEvent.class;
            case LABELS -> LabelsRecord.class;
        };
        return io.streamnlp.registry.AvroSerdes.specific(type, pipeline.registry, false).deserializer()
                .deserialize(pipeline.config.outputTopics().topic(kind), value);
    }

    /**
     * The JSON object has exactly the record's fields, by Avro name, each with the record's value: text
     * for strings and enum symbols, numbers (floats read back exactly), epoch ms for timestamps, null
     * for a null union, objects for records and maps, arrays for arrays.
     */
    static void assertSameFields(JsonNode json, Object avro, Schema schema, String path) {
        if (avro == null) {
            assertThat(json.isNull()).as("%s is null", path).isTrue();
            return;
        }
        switch (schema.getType()) {
            case UNION -> {
                Schema branch = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow();
                assertSameFields(json, avro, branch, path);
            }
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) avro;
                List<String> names = new ArrayList<>();
                json.fieldNames().forEachRemaining(names::add);
                assertThat(names).as("%s: the JSON fields are the Avro fields, in order", path)
                        .containsExactlyElementsOf(schema.getFields().stream().map(Schema.Field::name).toList());
                for (Schema.Field field : schema.getFields()) {
                    assertSameFields(json.get(field.name()), record.get(field.pos()), field.schema(), path + "." + field.name());
                }
            }
            case ARRAY -> {
                List<?> items = (List<?>) avro;
                assertThat(json.isArray()).as(path).isTrue();
                assertThat(json.size()).as(path).isEqualTo(items.size());
                Iterator<JsonNode> elements = json.elements();
                for (int i = 0; i < items.size(); i++) {
                    assertSameFields(elements.next(), items.get(i), schema.getElementType(), path + "[" + i + "]");
                }
            }
            case MAP -> {
                Map<?, ?> entries = (Map<?, ?>) avro;
                assertThat(json.isObject()).as(path).isTrue();
                assertThat(json.size()).as(path).isEqualTo(entries.size());
                entries.forEach((k, v) -> assertSameFields(json.get(k.toString()), v, schema.getValueType(), path + "." + k));
            }
            case STRING -> assertThat(json.textValue()).as(path).isEqualTo(avro.toString());
            case ENUM -> assertThat(json.textValue()).as(path)
                    .isEqualTo(avro instanceof GenericEnumSymbol<?> symbol ? symbol.toString() : ((Enum<?>) avro).name());
            case INT -> assertThat(json.isInt() ? json.intValue() : null).as(path).isEqualTo(avro);
            case LONG -> assertThat(json.longValue()).as(path)
                    .isEqualTo(avro instanceof Instant instant ? instant.toEpochMilli() : ((Long) avro).longValue());
            case FLOAT -> {
                assertThat(json.isNumber()).as(path).isTrue();
                assertThat((float) json.doubleValue()).as(path).isEqualTo((Float) avro);
            }
            case DOUBLE -> assertThat(json.doubleValue()).as(path).isEqualTo((Double) avro);
            case BOOLEAN -> assertThat(json.isBoolean() ? json.booleanValue() : null).as(path).isEqualTo(avro);
            default -> throw new AssertionError(path + ": no output field of type " + schema.getType() + " expected");
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
