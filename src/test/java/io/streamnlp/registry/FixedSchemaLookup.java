package io.streamnlp.registry;

import io.streamnlp.schema.TextEvent;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A fixed table of writer schemas standing in for the registry's look-up by id, for the fuzz tests
 * of the wire format: what they exercise is the decoding of a record's bytes, and a registry would
 * only add an HTTP call per unseen id (the fuzzer tries many). A test seam for the look-up, not a
 * stand-in for the registry's protocol (that is {@code ConfluentAvroSerdeIntegrationTest}'s job, on
 * a real one).
 *
 * <ul>
 *   <li>{@link #CURRENT} (1): the current TextEvent schema;
 *   <li>{@link #OLDER} (2): an older writer with only {@code id} and {@code text} (the reader takes
 *       the defaults of the rest);
 *   <li>{@link #NEWER} (3): a newer writer with one more field, {@code score} (the reader skips it);
 *   <li>{@link #INCOMPATIBLE} (4): a writer whose {@code text} is an int (resolution fails);
 *   <li>any other id: {@link SchemaRegistryException.Reason#NOT_FOUND}, as a registry's 404.
 * </ul>
 */
public final class FixedSchemaLookup implements SchemaLookup {

    public static final int CURRENT = 1;
    public static final int OLDER = 2;
    public static final int NEWER = 3;
    public static final int INCOMPATIBLE = 4;

    private static final Map<Integer, Schema> SCHEMAS = Map.of(
            CURRENT, TextEvent.getClassSchema(),
            OLDER, parse("""
                    {"type": "record", "name": "TextEvent", "namespace": "io.streamnlp.schema", "fields": [
                      {"name": "id", "type": "string"}, {"name": "text", "type": "string"}]}"""),
            NEWER, parse("""
                    {"type": "record", "name": "TextEvent", "namespace": "io.streamnlp.schema", "fields": [
                      {"name": "id", "type": "string"}, {"name": "text", "type": "string"},
                      {"name": "source", "type": ["null", "string"], "default": null},
                      {"name": "eventTime", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}], "default": null},
                      {"name": "language", "type": ["null", "string"], "default": null},
                      {"name": "attributes", "type": {"type": "map", "values": "string"}, "default": {}},
                      {"name": "score", "type": ["null", "double", {"type": "array", "items": "string"}], "default": null}]}"""),
            INCOMPATIBLE, parse("""
                    {"type": "record", "name": "TextEvent", "namespace": "io.streamnlp.schema", "fields": [
                      {"name": "id", "type": "string"}, {"name": "text", "type": "int"}]}"""));

    @Override
    public Schema getSchemaById(int id) {
        Schema schema = SCHEMAS.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(SchemaRegistryException.Reason.NOT_FOUND,
                    "GET /schemas/ids/" + id + ": HTTP 404 (fixed test table)", 404, 40403, null);
        }
        return schema;
    }

    /** The schema the table answers for {@code id}. */
    public static Schema schema(int id) {
        return SCHEMAS.get(id);
    }

    /** {@code body} in the Confluent frame with {@code schemaId}. */
    public static byte[] frame(int schemaId, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireFormat.writeHeader(out, schemaId);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
