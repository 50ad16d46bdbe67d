package io.streamnlp.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.deadletter.DeadLetterHeaders;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.ops.Accounting;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.Entity;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.testing.KafkaWithRegistry;
import io.streamnlp.testing.TopicReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template test for corrupted input: one mixed stream of valid and invalid events of every kind,
 * on a real broker and registry. Every valid event comes out, every invalid one is in the
 * dead-letter topic with the right reason and its original bytes, nothing else appears, and the
 * application stays RUNNING throughout.
 *
 * <p>The contract; its subclasses say where it runs: {@link PoisonCatalogueIntegrationTest} on a
 * KRaft broker in this JVM and the Apicurio Registry (always, CI included), {@link
 * PoisonCatalogueContainersIntegrationTest} on the {@code apache/kafka} image and Confluent's
 * {@code cp-schema-registry} (only where Docker is). The assertions are the same.
 */
abstract class PoisonCatalogueContract {

    private static final String AVRO = "poison.avro";
    private static final String JSON = "poison.json";
    private static final String TEXT = "poison.text";
    private static final String PREFIX = "poison";

    @TempDir
    Path stateDir;

    /** Starts an empty Kafka cluster and registry for the test; the test closes it. */
    protected abstract KafkaWithRegistry startEnvironment() throws Exception;

    /** One input of the catalogue: where it goes, its bytes, and what must become of it. */
    record Case(String name, String topic, byte[] key, byte[] value, String expectedReason) {
        boolean valid() {
            return expectedReason == null;
        }
    }

    @Test
    void everyPoisonIsDeadLetteredWithItsReasonAndEveryValidEventIsEnriched() throws Exception {
        try (KafkaWithRegistry kafka = startEnvironment();
                SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(kafka.registryUrl()))) {
            kafka.createTopics(List.of(AVRO, JSON, TEXT), 2);
            kafka.createTopics(List.of(PREFIX + ".embeddings", PREFIX + ".sentiment", PREFIX + ".entities", PREFIX + ".dlq"), 2);
            List<Case> cases = catalogue(registry);

            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (Case c : cases) {
                    producer.send(new ProducerRecord<>(c.topic(), c.key(), c.value()));
                }
            }

            StreamNlpConfig config = ConfigLoader.load(null, Map.of(), Map.of(
                    StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    StreamNlpConfig.SCHEMA_REGISTRY_URL, kafka.registryUrl(),
                    StreamNlpConfig.APPLICATION_ID, "poison",
                    StreamNlpConfig.INPUT_TOPICS, AVRO + ":avro," + JSON + ":json," + TEXT + ":text",
                    StreamNlpConfig.OUTPUT_TOPIC_PREFIX, PREFIX,
                    StreamNlpConfig.METRICS_PORT, "0", // any free port: instances may share this JVM
                    StreamNlpConfig.STATE_DIR, stateDir.toString()));
            List<Case> valid = cases.stream().filter(Case::valid).toList();
            List<Case> invalid = cases.stream().filter(c -> !c.valid()).toList();

            List<KafkaStreams.State> states = new ArrayList<>();
            try (StreamNlpApplication app = new StreamNlpApplication(config)) {
                app.streams().setStateListener((now, before) -> states.add(now));
                app.start();
                var embeddings = TopicReader.readAll(kafka.bootstrapServers(), PREFIX + ".embeddings",
                        AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), valid.size(),
                        Duration.ofSeconds(120));
                var deadLetters = TopicReader.readAllBytes(kafka.bootstrapServers(), PREFIX + ".dlq", invalid.size(),
                        Duration.ofSeconds(60));

                assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
                assertThat(states).doesNotContain(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);

                assertThat(embeddings).extracting(r -> r.value().getId()).containsExactlyInAnyOrderElementsOf(
                        valid.stream().map(Case::name).toList());
                var sentiment = TopicReader.readAll(kafka.bootstrapServers(), PREFIX + ".sentiment",
                        AvroSerdes.specific(SentimentRecord.class, registry, false).deserializer(), valid.size(),
                        Duration.ofSeconds(30));
                var entities = TopicReader.readAll(kafka.bootstrapServers(), PREFIX + ".entities",
                        AvroSerdes.specific(EntitiesRecord.class, registry, false).deserializer(), valid.size(),
                        Duration.ofSeconds(30));
                assertThat(sentiment).extracting(r -> r.value().getId()).containsExactlyInAnyOrderElementsOf(
                        valid.stream().map(Case::name).toList());
                assertThat(entities).extracting(r -> r.value().getId()).containsExactlyInAnyOrderElementsOf(
                        valid.stream().map(Case::name).toList());
                // Offsets are UTF-16 indices into the original text, emoji (surrogate pairs) and CJK included.
                for (var record : entities) {
                    Case origin = valid.stream().filter(c -> c.name().equals(record.value().getId())).findFirst().orElseThrow();
                    if (origin.topic().equals(TEXT)) {
                        String text = new String(origin.value(), StandardCharsets.UTF_8);
                        record.value().getEntities().forEach(e ->
                                assertThat(text.substring(e.getStart(), e.getEnd())).isEqualTo(e.getText()));
                    }
                }
                assertThat(entities).filteredOn(r -> r.value().getId().equals("emoji"))
                        .flatExtracting(r -> r.value().getEntities()).extracting(Entity::getText).contains("Paris");

                Map<String, String> reasonByValue = new LinkedHashMap<>();
                for (ConsumerRecord<byte[], byte[]> dead : deadLetters) {
                    Case origin = invalid.stream()
                            .filter(c -> Arrays.equals(c.value(), dead.value()) && Arrays.equals(c.key(), dead.key()))
                            .findFirst().orElseThrow(() -> new AssertionError("unexpected dead letter " + dead));
                    reasonByValue.put(origin.name(), DeadLetterHeaders.read(dead.headers(), DeadLetterHeaders.REASON));
                    assertThat(DeadLetterHeaders.read(dead.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(origin.topic());
                    assertThat(DeadLetterHeaders.read(dead.headers(), DeadLetterHeaders.ERROR_MESSAGE)).isNotBlank();
                    assertThat(DeadLetterHeaders.read(dead.headers(), DeadLetterHeaders.APP_VERSION)).isNotBlank();
                }
                Map<String, String> expected = new LinkedHashMap<>();
                invalid.forEach(c -> expected.put(c.name(), c.expectedReason()));
                assertThat(reasonByValue).containsExactlyInAnyOrderEntriesOf(expected);
                assertThat(deadLetters).hasSize(invalid.size());

                // The operator's check: in = out + dead-lettered, per partition, nothing pending.
                Map<String, Accounting> accounting = Accounting.from(app.streams().metrics());
                assertThat(accounting.values()).allSatisfy(a -> assertThat(a.pending()).isZero());
                assertThat(accounting.values().stream().mapToLong(Accounting::in).sum()).isEqualTo(cases.size());
                assertThat(accounting.values().stream().mapToLong(Accounting::deadLettered).sum()).isEqualTo(invalid.size());
            }
        }
    }

    private static List<Case> catalogue(SchemaRegistryClient registry) throws Exception {
        var avro = AvroSerdes.specific(TextEvent.class, registry, false).serializer();
        byte[] validAvro = avro.serialize(AVRO, event("avro-valid", "Solid blender, crushes ice in seconds."));
        byte[] noMagic = Arrays.copyOfRange(validAvro, 1, validAvro.length);
        byte[] unknownId = validAvro.clone();
        ByteBuffer.wrap(unknownId).putInt(1, 987_654);
        byte[] truncated = Arrays.copyOf(validAvro, 9);

        // Registered under another subject: a real schema id whose schema cannot be read as a TextEvent.
        Schema other = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"Rating\",\"fields\":[{\"name\":\"stars\",\"type\":\"int\"}]}");
        int otherId = registry.register("poison-other-value", other);
        GenericRecord rating = new GenericData.Record(other);
        rating.put("stars", 5);
        byte[] incompatible = confluent(otherId, rating);

        List<Case> cases = new ArrayList<>();
        cases.add(new Case("avro-valid", AVRO, utf8("avro-valid"), validAvro, null));
        cases.add(new Case("avro-null-key", AVRO, null,
                avro.serialize(AVRO, event("avro-null-key", "A null key is fine: the id is in the event.")), null));
        cases.add(new Case("no-magic-byte", AVRO, utf8("k1"), noMagic, RejectReason.BAD_AVRO));
        cases.add(new Case("unknown-schema-id", AVRO, utf8("k2"), unknownId, RejectReason.BAD_AVRO));
        cases.add(new Case("truncated-avro", AVRO, utf8("k3"), truncated, RejectReason.BAD_AVRO));
        cases.add(new Case("incompatible-schema", AVRO, utf8("k4"), incompatible, RejectReason.BAD_AVRO));
        cases.add(new Case("null-value", AVRO, utf8("k5"), null, RejectReason.NULL_VALUE));
        cases.add(new Case("avro-empty-text", AVRO, utf8("k6"), avro.serialize(AVRO, event("e1", "")), RejectReason.EMPTY_TEXT));
        cases.add(new Case("avro-blank-text", AVRO, utf8("k7"), avro.serialize(AVRO, event("e2", " \t\n ")), RejectReason.EMPTY_TEXT));
        // Over max.record.bytes (450,000): refused before it is parsed.
        cases.add(new Case("one-megabyte-text", AVRO, utf8("k8"),
                avro.serialize(AVRO, event("big", "a".repeat(1_000_000))), RejectReason.TOO_LARGE));
        // Under max.record.bytes, over max.text.bytes (100,000): parsed, then refused before it is tokenized.
        cases.add(new Case("200-kilobyte-text", AVRO, utf8("k8b"),
                avro.serialize(AVRO, event("long", "a".repeat(200_000))), RejectReason.TEXT_TOO_LARGE));
        cases.add(new Case("not-json", JSON, utf8("k9"), utf8("{\"id\": \"x\", text:"), RejectReason.BAD_JSON));
        cases.add(new Case("json-invalid-utf8", JSON, utf8("k10"),
                concat(utf8("{\"id\":\"u\",\"text\":\"caf"), new byte[] {(byte) 0xC3, (byte) 0x28}, utf8("\"}")),
                RejectReason.BAD_UTF8));
        cases.add(new Case("json-without-text", JSON, utf8("k11"), utf8("{\"id\":\"no-text\"}"), RejectReason.MISSING_TEXT));
        cases.add(new Case("json-without-id", JSON, utf8("k12"), utf8("{\"text\":\"who am I\"}"), RejectReason.MISSING_ID));
        cases.add(new Case("text-null-key", TEXT, null, utf8("A text with no key has no id."), RejectReason.MISSING_ID));
        cases.add(new Case("json-valid", JSON, utf8("json-valid"), utf8("{\"id\":\"json-valid\",\"text\":\"Fine.\"}"), null));
        cases.add(new Case("control-chars", JSON, utf8("c"),
                utf8("{\"id\":\"control-chars\",\"text\":\"Bell\\u0007 tab\\t NUL\\u0000 and\\u001b[31m escape\"}"), null));
        cases.add(new Case("cjk", TEXT, utf8("cjk"), utf8("这家餐厅的拉面非常好吃，服务也很周到。東京の店舗も最高でした。"), null));
        cases.add(new Case("arabic", TEXT, utf8("arabic"), utf8("المنتج رائع جدا والتوصيل كان سريعا في دبي"), null));
        cases.add(new Case("emoji", TEXT, utf8("emoji"), utf8("Loved it 😍🔥 in Paris, would buy again 👍🏽"), null));
        return cases;
    }

    private static TextEvent event(String id, String text) {
        return TextEvent.newBuilder().setId(id).setText(text).build();
    }

    private static byte[] confluent(int schemaId, GenericRecord record) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
