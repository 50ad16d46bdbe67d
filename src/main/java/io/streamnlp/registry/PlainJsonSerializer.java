package io.streamnlp.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated Avro record as one plain UTF-8 JSON object, for consumers without an Avro
 * library: the same fields with the same names, in schema order, walked along the record's own
 * schema (so a field added to a schema is in the JSON without a change here).
 *
 * <p>Plain, not Avro's own JSON encoding: a union is its value or {@code null} (Avro would write
 * {@code {"string": "en"}}); an enum is its symbol; a map is an object; floats and doubles are
 * numbers (Jackson writes a float in its shortest form, which reads back as the same float; a
 * non-finite one, which the shipped heads never produce, as the string {@code "NaN"} or
 * {@code "Infinity"}); a logical type is its underlying Avro value ({@code timestamp-millis}:
 * epoch milliseconds, a number); bytes and fixed are base64 strings. No registry is involved.
 *
 * <p>Thread-safe: Kafka Streams shares one serializer between its stream threads.
 */
public final class PlainJsonSerializer<T extends SpecificRecord> implements Serializer<T> {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SpecificData data;

    public PlainJsonSerializer(Class<T> type) {
        // The class's own SpecificData carries its logical-type conversions (Instant for timestamps).
        this.data = SpecificData.getForClass(type);
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsBytes(toJson(record));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SerializationException("Cannot write " + record.getSchema().getName() + " as JSON for " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    /** The record as a JSON object (what {@link #serialize} writes). */
    public ObjectNode toJson(T record) {
        return object(record, record.getSchema());
    }

    private ObjectNode object(IndexedRecord record, Schema schema) {
        ObjectNode object = NODES.objectNode();
        for (Schema.Field field : schema.getFields()) {
            object.set(field.name(), value(record.get(field.pos()), field.schema()));
        }
        return object;
    }

    private JsonNode value(Object value, Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        Object raw = raw(value, schema);
        return switch (schema.getType()) {
            case NULL -> NODES.nullNode();
            case RECORD -> object((IndexedRecord) raw, schema);
            case ENUM, STRING -> NODES.textNode(raw.toString());
            case ARRAY -> array((Collection<?>) raw, schema.getElementType());
            case MAP -> map((Map<?, ?>) raw, schema.getValueType());
            case UNION -> value(raw, schema.getTypes().get(data.resolveUnion(schema, raw)));
            case INT -> NODES.numberNode(((Number) raw).intValue());
            case LONG -> NODES.numberNode(((Number) raw).longValue());
            case FLOAT -> NODES.numberNode(((Number) raw).floatValue());
            case DOUBLE -> NODES.numberNode(((Number) raw).doubleValue());
            case BOOLEAN -> NODES.booleanNode((Boolean) raw);
            case BYTES -> NODES.binaryNode(bytes((ByteBuffer) raw));
            case FIXED -> NODES.binaryNode(((GenericFixed) raw).bytes());
        };
    }

    /** A logical-type value (an {@code Instant}) as its underlying Avro value (epoch milliseconds). */
    private Object raw(Object value, Schema schema) {
        LogicalType logicalType = schema.getLogicalType();
        if (logicalType == null || value instanceof GenericContainer) {
            return value;
        }
        Conversion<?> conversion = data.getConversionByClass(value.getClass(), logicalType);
        return conversion == null ? value : Conversions.convertToRawType(value, schema, logicalType, conversion);
    }

    private ArrayNode array(Collection<?> values, Schema items) {
        ArrayNode array = NODES.arrayNode(values.size());
        for (Object item : values) {
            array.add(value(item, items));
        }
        return array;
    }

    private ObjectNode map(Map<?, ?> entries, Schema values) {
        ObjectNode object = NODES.objectNode();
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            object.set(entry.getKey().toString(), value(entry.getValue(), values));
        }
        return object;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
