package io.streamnlp.registry;

import static io.streamnlp.registry.ConfluentAvroSerdeIntegrationTest.embeddingRecord;
import static io.streamnlp.registry.ConfluentAvroSerdeIntegrationTest.getJson;
import static io.streamnlp.registry.ConfluentAvroSerdeIntegrationTest.textEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.apicurio.registry.serde.Default4ByteIdHandler;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.IdOption;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.streamnlp.local.ApicurioRegistry;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.TextEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our Confluent-format serdes and Apicurio's own Kafka Avro serdes read each other's bytes.
 *
 * <p>Apicurio 3.x's ccompat API hands out <em>content ids</em> as schema ids, so Apicurio's serde is
 * configured with its 4-byte id handler and {@code use-id=contentId}. A wrong choice must fail
 * here, but Apicurio numbers a new schema's content and its first version (global id) alike, and
 * that version holds the very same schema. So the setup stores each schema under a decoy subject,
 * then under the subjects of the tests (new versions of existing content: other global ids), then
 * deletes the decoy for good: no global id then equals a content id the tests use.
 */
class ApicurioSerdeInteropIntegrationTest {

    private static ApicurioRegistry registry;
    private static SchemaRegistryClient client;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = ApicurioRegistry.start(ApicurioRegistry.defaultHome());
        client = new SchemaRegistryClient(RegistrySettings.of(registry.ccompatUrl()));
        separateContentIdsFromGlobalIds(
                TextEvent.getClassSchema(), "interop-ours-text", "interop-apicurio-text");
        separateContentIdsFromGlobalIds(
                EmbeddingRecord.getClassSchema(), "interop-ours-embeddings", "interop-apicurio-embeddings");
    }

    @AfterAll
    static void stopRegistry() {
        if (client != null) {
            client.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void apicurioReadsTextEventsWeWrite() throws Exception {
        assertApicurioReadsOurs("interop-ours-text", TextEvent.class, textEvent("ours-1"));
    }

    @Test
    void apicurioReadsEmbeddingsWeWrite() throws Exception {
        assertApicurioReadsOurs("interop-ours-embeddings", EmbeddingRecord.class, embeddingRecord("ours-2"));
    }

    @Test
    void weReadTextEventsApicurioWrites() throws Exception {
        assertWeReadApicurios("interop-apicurio-text", TextEvent.class, textEvent("theirs-1"));
    }

    @Test
    void weReadEmbeddingsApicurioWrites() throws Exception {
        assertWeReadApicurios(
                "interop-apicurio-embeddings", EmbeddingRecord.class, embeddingRecord("theirs-2"));
    }

    private static <T extends SpecificRecord> void assertApicurioReadsOurs(
            String topic, Class<T> type, T record) throws Exception {
        byte[] ours = new ConfluentAvroSerializer<>(type, client, false).serialize(topic, record);
        assertIdIsContentIdNotGlobalId(topic, WireFormat.schemaId(ours));

        try (AvroKafkaDeserializer<T> apicurio = new AvroKafkaDeserializer<>()) {
            apicurio.configure(apicurioConfig(), false);
            assertThat(apicurio.deserialize(topic, ours)).isEqualTo(record);
        }
    }

    private static <T extends SpecificRecord> void assertWeReadApicurios(
            String topic, Class<T> type, T record) throws Exception {
        byte[] theirs;
        try (AvroKafkaSerializer<T> apicurio = new AvroKafkaSerializer<>()) {
            apicurio.configure(apicurioConfig(), false);
            theirs = apicurio.serialize(topic, record);
        }
        assertIdIsContentIdNotGlobalId(topic, WireFormat.schemaId(theirs));
        // Same framing, same Avro body: only the schema id could differ, and it must not either.
        assertThat(Arrays.copyOfRange(theirs, WireFormat.HEADER_SIZE, theirs.length))
                .isEqualTo(ConfluentAvroSerdeIntegrationTest.avroBody(type, record));

        // A fresh client: the schema is fetched by id through ccompat, not found in a cache.
        try (SchemaRegistryClient reader = new SchemaRegistryClient(RegistrySettings.of(registry.ccompatUrl()))) {
            assertThat(new ConfluentAvroDeserializer<>(type, reader).deserialize(topic, theirs))
                    .isEqualTo(record);
        }
    }

    private static void separateContentIdsFromGlobalIds(Schema schema, String... topics)
            throws IOException, InterruptedException {
        String decoy = "decoy-" + schema.getName();
        client.register(decoy, schema);
        for (String topic : topics) {
            client.register(SchemaRegistryClient.valueSubject(topic), schema);
        }
        // Confluent semantics: a subject is soft-deleted first, then permanently.
        delete(registry.ccompatUrl() + "/subjects/" + decoy);
        delete(registry.ccompatUrl() + "/subjects/" + decoy + "?permanent=true");
    }

    private static void delete(String url) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url)).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("DELETE %s: %s", url, response.body()).isEqualTo(200);
        }
    }

    /** Apicurio's serde settings for Confluent framing against this registry. */
    private static Map<String, Object> apicurioConfig() {
        return Map.of(
                SerdeConfig.REGISTRY_URL, registry.nativeUrl(),
                SerdeConfig.ID_HANDLER, Default4ByteIdHandler.class.getName(),
                SerdeConfig.USE_ID, IdOption.contentId.name(),
                SerdeConfig.AUTO_REGISTER_ARTIFACT, true,
                AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
    }

    /** The framed id is the subject's content id in Apicurio's native API, and not its global id. */
    private static void assertIdIsContentIdNotGlobalId(String topic, int framedId)
            throws IOException, InterruptedException {
        JsonNode version = getJson(registry.nativeUrl() + "/groups/default/artifacts/" + topic
                + "-value/versions/branch=latest");
        assertThat(framedId).as("content id of %s", version).isEqualTo(version.get("contentId").intValue());
        assertThat(framedId).as("global id of %s", version).isNotEqualTo(version.get("globalId").intValue());
    }
}
