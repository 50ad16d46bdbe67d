package io.streamnlp.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamnlp.registry.SchemaRegistryException.Reason;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Client of the Confluent Schema Registry REST API (also served by Apicurio's {@code ccompat}).
 *
 * <p>Thread-safe. Both directions are cached, so the serializers call HTTP only on the first use
 * of a schema or id. Failures raise {@link SchemaRegistryException}.
 */
public final class SchemaRegistryClient implements SchemaLookup, AutoCloseable {

    private final RegistrySettings settings;
    private final RegistryHttp http;
    private final BoundedCache<SubjectSchema, Integer> idsBySubjectSchema;
    private final BoundedCache<Integer, Schema> schemasById;

    private record SubjectSchema(String subject, Schema schema) {}

    public SchemaRegistryClient(RegistrySettings settings) {
        this.settings = settings;
        this.http = new RegistryHttp(settings);
        this.idsBySubjectSchema = new BoundedCache<>(settings.cacheCapacity());
        this.schemasById = new BoundedCache<>(settings.cacheCapacity());
    }

    /** What this client was built from (e.g. for its cache capacity). */
    public RegistrySettings settings() {
        return settings;
    }

    /** The subject of a topic's record values under the default TopicNameStrategy. */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    /** The subject of a topic's record keys under the default TopicNameStrategy. */
    public static String keySubject(String topic) {
        return topic + "-key";
    }

    /** {@link #keySubject} or {@link #valueSubject}. */
    public static String subject(String topic, boolean isKey) {
        return isKey ? keySubject(topic) : valueSubject(topic);
    }

    /**
     * Registers {@code schema} under {@code subject} (or finds it, if already there) and returns its
     * id. Cached per subject and schema.
     *
     * @throws SchemaRegistryException e.g. {@link Reason#REJECTED} with HTTP 409 when the schema is
     *     incompatible with the subject's earlier versions
     */
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String path = "/subjects/" + RegistryHttp.pathSegment(subject) + "/versions";
        JsonNode answer = http.post(path, Map.of("schema", schema.toString()));
        JsonNode id = answer.get("id");
        if (id == null || !id.canConvertToInt()) {
            throw http.unusable(path, "answered without a schema id: " + RegistryHttp.abbreviate(answer.toString()), null);
        }
        idsBySubjectSchema.put(key, id.intValue());
        // The registry holds this schema (or one with the same canonical form) under the id.
        schemasById.put(id.intValue(), schema);
        return id.intValue();
    }

    /**
     * The schema registered under {@code id}. Cached.
     *
     * @throws SchemaRegistryException {@link Reason#NOT_FOUND} for an unknown id, {@link
     *     Reason#UNUSABLE_SCHEMA} when the id holds a non-Avro or unparsable schema
     */
    @Override
    public Schema getSchemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        String path = "/schemas/ids/" + id;
        JsonNode answer = http.get(path);
        Schema schema = parseAvro(path, answer);
        schemasById.put(id, schema);
        return schema;
    }

    /**
     * Checks that the registry answers and accepts our credentials (one small authenticated call), so
     * that a start with a wrong password fails at once with a clear message instead of at the first
     * record.
     *
     * @throws SchemaRegistryException {@link Reason#UNAUTHORIZED} for rejected credentials,
     *     {@link Reason#UNREACHABLE} or {@link Reason#UNAVAILABLE} after the retry budget
     */
    public void checkAccess() {
        http.get("/config");
    }

    /** Sets the registry-wide compatibility level ({@code BACKWARD}, {@code FULL}, {@code NONE}...). */
    public void setCompatibility(String level) {
        http.put("/config", Map.of("compatibility", level));
    }

    @Override
    public void close() {
        http.close();
    }

    private Schema parseAvro(String path, JsonNode answer) {
        String type = answer.path("schemaType").asText("AVRO");
        JsonNode text = answer.get("schema");
        if (!type.equals("AVRO")) {
            throw http.unusable(path, "holds a " + type + " schema, not an Avro one", null);
        }
        if (text == null || !text.isTextual()) {
            throw http.unusable(path, "answered without a schema: " + RegistryHttp.abbreviate(answer.toString()), null);
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw http.unusable(path, "returned an unparsable Avro schema: " + e.getMessage(), e);
        }
    }
}
