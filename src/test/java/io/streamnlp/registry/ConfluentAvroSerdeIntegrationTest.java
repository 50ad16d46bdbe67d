package io.streamnlp.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamnlp.local.ApicurioRegistry;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.TextEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our serdes and registry client against a real Apicurio Registry, through its ccompat API. */
class ConfluentAvroSerdeIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ApicurioRegistry registry;
    /** Producer and consumer sides use separate clients, so reads really fetch schemas by id. */
    private static SchemaRegistryClient producerClient;
    private static SchemaRegistryClient consumerClient;

    @BeforeAll
    static void startRegistry() {
        registry = ApicurioRegistry.start(ApicurioRegistry.defaultHome());
        producerClient = new SchemaRegistryClient(RegistrySettings.of(registry.ccompatUrl()));
        consumerClient = new SchemaRegistryClient(RegistrySettings.of(registry.ccompatUrl()));
    }

    @AfterAll
    static void stopRegistry() {
        if (producerClient != null) {
            producerClient.close();
        }
        if (consumerClient != null) {
            consumerClient.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void textEventIsFramedAvroUnderTheRegistrysId() throws Exception {
        String topic = "text-events";
        TextEvent event = textEvent("review-1");

        byte[] bytes = new ConfluentAvroSerializer<>(TextEvent.class, producerClient, false)
                .serialize(topic, event);

        int id = latestId(topic + "-value");
        assertThat(bytes).isEqualTo(concat(header(id), avroBody(TextEvent.class, event)));
        assertThat(WireFormat.schemaId(bytes)).isEqualTo(id);
        assertThat(consumerClient.getSchemaById(id)).isEqualTo(TextEvent.getClassSchema());
    }

    @Test
    void embeddingRecordIsFramedAvroUnderTheRegistrysId() throws Exception {
        String topic = "embeddings";
        EmbeddingRecord embedding = embeddingRecord("review-1");

        byte[] bytes = new ConfluentAvroSerializer<>(EmbeddingRecord.class, producerClient, false)
                .serialize(topic, embedding);

        int id = latestId(topic + "-value");
        assertThat(bytes).isEqualTo(concat(header(id), avroBody(EmbeddingRecord.class, embedding)));
    }

    @Test
    void keysAreRegisteredUnderTheKeySubject() throws Exception {
        String topic = "keyed-by-event";
        byte[] bytes = new ConfluentAvroSerializer<>(TextEvent.class, producerClient, true)
                .serialize(topic, textEvent("review-2"));

        assertThat(WireFormat.schemaId(bytes)).isEqualTo(latestId(topic + "-key"));
    }

    @Test
    void roundTripsThroughTheSerde() {
        try (Serde<TextEvent> events = AvroSerdes.specific(TextEvent.class, producerClient, false);
                Serde<EmbeddingRecord> embeddings =
                        AvroSerdes.specific(EmbeddingRecord.class, consumerClient, false)) {
            TextEvent event = textEvent("review-3");
            EmbeddingRecord embedding = embeddingRecord("review-3");

            TextEvent readEvent = events.deserializer().deserialize("round-trip",
                    events.serializer().serialize("round-trip", event));
            EmbeddingRecord readEmbedding = embeddings.deserializer().deserialize("round-trip-embeddings",
                    embeddings.serializer().serialize("round-trip-embeddings", embedding));

            assertThat(readEvent).isEqualTo(event);
            assertThat(readEvent.getEventTime()).isEqualTo(event.getEventTime());
            assertThat(readEmbedding).isEqualTo(embedding);
        }
    }

    @Test
    void nullIsTombstone() {
        assertThat(new ConfluentAvroSerializer<>(TextEvent.class, producerClient, false)
                .serialize("tombstones", null)).isNull();
        assertThat(deserializer().deserialize("tombstones", null)).isNull();
    }

    @Test
    void rejectsJsonWithTheMagicByte() {
        byte[] json = "{\"id\":\"1\",\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> deserializer().deserialize("text-events", json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown magic byte 0x7b: not Confluent Avro (JSON?)");
    }

    @Test
    void rejectsAnUnknownSchemaIdNamingIt() {
        byte[] framed = concat(header(999_999), avroBody(TextEvent.class, textEvent("review-4")));

        assertThatThrownBy(() -> deserializer().deserialize("text-events", framed))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown schema id 999999")
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("40403")
                .hasCauseInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void rejectsATruncatedBody() {
        byte[] bytes = new ConfluentAvroSerializer<>(TextEvent.class, producerClient, false)
                .serialize("text-events", textEvent("review-5"));

        for (int length : new int[] {WireFormat.HEADER_SIZE, WireFormat.HEADER_SIZE + 3, bytes.length - 1}) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> deserializer().deserialize("text-events", truncated))
                    .as("cut to %d of %d bytes", length, bytes.length)
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("truncated Avro body");
        }
    }

    @Test
    void rejectsBytesLeftOverAfterTheRecord() {
        byte[] bytes = new ConfluentAvroSerializer<>(TextEvent.class, producerClient, false)
                .serialize("text-events", textEvent("review-6"));
        byte[] padded = Arrays.copyOf(bytes, bytes.length + 2);

        assertThatThrownBy(() -> deserializer().deserialize("text-events", padded))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("bytes left over");
    }

    @Test
    void readsAnOlderWriterSchemaWithDefaults() {
        String topic = "text-events-evolving";
        Schema v1 = new Schema.Parser().parse("""
                {"type": "record", "name": "TextEvent", "namespace": "io.streamnlp.schema",
                  "fields": [{"name": "id", "type": "string"}, {"name": "text", "type": "string"}]}""");
        int v1Id = producerClient.register(SchemaRegistryClient.valueSubject(topic), v1);
        GenericRecord old = new GenericData.Record(v1);
        old.put("id", "old-1");
        old.put("text", "written before sources were tracked");
        byte[] oldBytes = concat(header(v1Id), avroBody(new GenericDatumWriter<>(v1), old));
        // The current schema only adds defaulted fields: BACKWARD-compatible, so a new version.
        byte[] newBytes = new ConfluentAvroSerializer<>(TextEvent.class, producerClient, false)
                .serialize(topic, textEvent("new-1"));

        TextEvent read = deserializer().deserialize(topic, oldBytes);

        assertThat(WireFormat.schemaId(newBytes)).isNotEqualTo(v1Id);
        assertThat(read.getId()).isEqualTo("old-1");
        assertThat(read.getText()).isEqualTo("written before sources were tracked");
        assertThat(read.getSource()).isNull();
        assertThat(read.getEventTime()).isNull();
        assertThat(read.getLanguage()).isNull();
        assertThat(read.getAttributes()).isEmpty();
        assertThat(deserializer().deserialize(topic, newBytes)).isEqualTo(textEvent("new-1"));
    }

    @Test
    void incompatibleSchemaIsRejectedWith409() {
        String subject = SchemaRegistryClient.valueSubject("strict");
        producerClient.register(subject, TextEvent.getClassSchema());
        Schema requiredNewField = new Schema.Parser().parse("""
                {"type": "record", "name": "TextEvent", "namespace": "io.streamnlp.schema",
                  "fields": [{"name": "id", "type": "string"}, {"name": "text", "type": "string"},
                                        {"name": "mandatory", "type": "int"}]}""");

        assertThatThrownBy(() -> producerClient.register(subject, requiredNewField))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.reason()).isEqualTo(SchemaRegistryException.Reason.REJECTED);
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.isRetriable()).isFalse();
                    assertThat(e.getMessage())
                            .contains(registry.ccompatUrl() + "/subjects/strict-value/versions")
                            .contains("HTTP 409");
                });
    }

    @Test
    void unreachableRegistryIsRetriableAndKeepsCredentialsOut() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        RegistrySettings settings = RegistrySettings.of("http://127.0.0.1:" + closedPort)
                .withBasicAuth("alice:s3cret-pw");

        try (SchemaRegistryClient client = new SchemaRegistryClient(settings)) {
            assertThatThrownBy(() -> client.getSchemaById(1))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.isRetriable()).isTrue();
                        assertThat(e.reason()).isEqualTo(SchemaRegistryException.Reason.UNREACHABLE);
                        assertThat(e.getMessage())
                                .contains("http://127.0.0.1:" + closedPort + "/schemas/ids/1")
                                .contains("unreachable")
                                .doesNotContain("s3cret")
                                .doesNotContain("alice");
                    });
            // The deserializer does not turn an outage into a "bad record".
            ConfluentAvroDeserializer<TextEvent> deserializer =
                    new ConfluentAvroDeserializer<>(TextEvent.class, client);
            assertThatThrownBy(() -> deserializer.deserialize("t", header(1)))
                    .isInstanceOf(SchemaRegistryException.class);
        }
    }

    @Test
    void settingsFromConfigHideSecrets() {
        Map<String, Object> config = new HashMap<>();
        config.put(RegistrySettings.URL_CONFIG, registry.ccompatUrl() + "/");
        config.put(RegistrySettings.CREDENTIALS_SOURCE_CONFIG, "USER_INFO");
        config.put(RegistrySettings.USER_INFO_ALIAS_CONFIG, "alice:s3cret-pw");
        config.put(RegistrySettings.TRUSTSTORE_LOCATION_CONFIG, "/etc/registry/truststore.p12");
        config.put(RegistrySettings.TRUSTSTORE_PASSWORD_CONFIG, new Password("trust-pw-123"));
        config.put(RegistrySettings.KEYSTORE_LOCATION_CONFIG, "/etc/registry/client.jks");
        config.put(RegistrySettings.KEYSTORE_PASSWORD_CONFIG, "key-pw-456");
        config.put(RegistrySettings.KEYSTORE_TYPE_CONFIG, "JKS");
        config.put(RegistrySettings.REQUEST_TIMEOUT_CONFIG, 2500);

        RegistrySettings settings = RegistrySettings.fromConfig(config);

        assertThat(settings.url()).hasToString(registry.ccompatUrl());
        assertThat(settings.basicAuthUserInfo()).isEqualTo("alice:s3cret-pw");
        assertThat(settings.trustStore().password()).isEqualTo("trust-pw-123");
        assertThat(settings.trustStore().type()).isEqualTo("PKCS12");
        assertThat(settings.keyStore().type()).isEqualTo("JKS");
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(settings.cacheCapacity()).isEqualTo(RegistrySettings.DEFAULT_CACHE_CAPACITY);
        assertThat(settings.toString())
                .contains(registry.ccompatUrl(), "truststore.p12", "client.jks")
                .doesNotContain("s3cret", "alice", "trust-pw-123", "key-pw-456");
    }

    @Test
    void settingsRejectBadUrlsWithoutEchoingSecrets() {
        assertThatThrownBy(() -> RegistrySettings.fromConfig(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing schema.registry.url");
        assertThatThrownBy(() -> RegistrySettings.of("localhost:8081"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> RegistrySettings.of("http://alice:s3cret@registry:8081"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not embed credentials")
                .message().doesNotContain("s3cret");
    }

    private static ConfluentAvroDeserializer<TextEvent> deserializer() {
        return new ConfluentAvroDeserializer<>(TextEvent.class, consumerClient);
    }

    static TextEvent textEvent(String id) {
        return TextEvent.newBuilder()
                .setId(id)
                .setText("Great screen, but the battery dies by noon. Ünïcödé ✓")
                .setSource("amazon-reviews")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_123L))
                .setLanguage("en")
                .setAttributes(Map.of("rating", "3", "product", "B00X"))
                .build();
    }

    static EmbeddingRecord embeddingRecord(String id) {
        return EmbeddingRecord.newBuilder()
                .setId(id)
                .setModel("minilm-l6-q")
                .setModelVersion("1.19.0-beta29")
                .setDimension(3)
                .setVector(List.of(0.6f, 0.0f, -0.8f))
                .setTokenCount(12)
                .setTruncated(true)
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_456L))
                .setCached(false)
                .build();
    }

    /** Avro's own encoding of {@code record}, to compare ours against. */
    static <T extends SpecificRecord> byte[] avroBody(Class<T> type, T record) {
        return avroBody(new SpecificDatumWriter<>(type), record);
    }

    static <T> byte[] avroBody(DatumWriter<T> writer, T record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] header(int schemaId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireFormat.writeHeader(out, schemaId);
        return out.toByteArray();
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** The id the registry itself reports for the subject's latest version (bypassing our client). */
    private static int latestId(String subject) throws IOException, InterruptedException {
        return getJson(registry.ccompatUrl() + "/subjects/" + subject + "/versions/latest")
                .get("id").intValue();
    }

    static JsonNode getJson(String url) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        }
    }
}
