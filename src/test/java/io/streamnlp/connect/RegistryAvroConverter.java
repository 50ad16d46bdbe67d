package io.streamnlp.connect;

import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.registry.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * A Kafka Connect value converter for Avro in the Confluent wire format (magic byte, 4-byte schema
 * id, Avro body), reading writer schemas by id from a Confluent-compatible registry through the
 * project's own client. Why it exists: Confluent's AvroConverter is not on Maven Central, and
 * Apicurio's converter there (apicurio-registry-utils-converter, last 3.0.9) links against
 * serde classes that the 3.1 serdes no longer have.
 *
 * <p>Settings: {@code schema.registry.url}, and {@code json.fields}: top-level fields given to the sink as JSON text, with
 * the Connect schema name {@code io.debezium.data.Json} (Debezium's JDBC sink writes them to
 * {@code jsonb}); used for {@code entities}, an array of records that no JDBC sink maps to a column.
 * Reading only: {@link #fromConnectData} is not supported.
 */
public final class RegistryAvroConverter implements Converter {

    /** The Connect schema name Debezium's sinks read as JSON text. */
    static final String JSON_SCHEMA_NAME = "io.debezium.data.Json";

    private SchemaRegistryClient registry;
    private Set<String> jsonFields = Set.of();
    private final Map<Integer, Schema> connectSchemas = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object url = configs.get("schema.registry.url");
        if (url == null || url.toString().isBlank()) {
            throw new DataException("RegistryAvroConverter needs schema.registry.url (e.g. "
                    + "value.converter.schema.registry.url=http://localhost:8081/apis/ccompat/v7)");
        }
        registry = new SchemaRegistryClient(RegistrySettings.of(url.toString()));
        Object fields = configs.get("json.fields");
        if (fields != null && !fields.toString().isBlank()) {
            jsonFields = Set.copyOf(Arrays.stream(fields.toString().split(",")).map(String::trim).toList());
        }
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        throw new DataException("RegistryAvroConverter only reads (a sink's value.converter)");
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        int id = WireFormat.schemaId(value);
        org.apache.avro.Schema writer = registry.getSchemaById(id);
        Object datum;
        try {
            datum = new GenericDatumReader<>(writer).read(null, DecoderFactory.get().binaryDecoder(
                    value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | RuntimeException e) {
            throw new DataException("Cannot read the Avro body of a record on " + topic
                    + " with schema id " + id + ": " + e.getMessage(), e);
        }
        Schema schema = connectSchemas.computeIfAbsent(id, i -> toConnectSchema(writer, true));
        return new SchemaAndValue(schema, toConnectValue(schema, writer, datum));
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }

    private Schema toConnectSchema(org.apache.avro.Schema avro, boolean topLevel) {
        if (avro.getType() != org.apache.avro.Schema.Type.RECORD) {
            return convert(avro, false);
        }
        SchemaBuilder builder = SchemaBuilder.struct().name(avro.getFullName());
        for (org.apache.avro.Schema.Field field : avro.getFields()) {
            if (topLevel && jsonFields.contains(field.name())) {
                SchemaBuilder json = SchemaBuilder.string().name(JSON_SCHEMA_NAME);
                builder.field(field.name(), isNullable(field.schema()) ? json.optional().build() : json.build());
            } else {
                builder.field(field.name(), convert(field.schema(), false));
            }
        }
        return builder.build();
    }

    private Schema convert(org.apache.avro.Schema avro, boolean optional) {
        if (avro.getType() == org.apache.avro.Schema.Type.UNION) {
            org.apache.avro.Schema single = nonNullBranch(avro);
            if (single == null) {
                throw new DataException("Only [null, T] unions convert to Connect: " + avro);
            }
            return convert(single, true);
        }
        if (avro.getType() == org.apache.avro.Schema.Type.RECORD) {
            Schema struct = toConnectSchema(avro, false);
            if (!optional) {
                return struct;
            }
            SchemaBuilder copy = SchemaBuilder.struct().name(struct.name()).optional();
            struct.fields().forEach(f -> copy.field(f.name(), f.schema()));
            return copy.build();
        }
        SchemaBuilder builder = switch (avro.getType()) {
            case STRING, ENUM -> SchemaBuilder.string();
            case INT -> SchemaBuilder.int32();
            case LONG -> avro.getLogicalType() instanceof LogicalTypes.TimestampMillis
                    ? Timestamp.builder() : SchemaBuilder.int64();
            case FLOAT -> SchemaBuilder.float32();
            case DOUBLE -> SchemaBuilder.float64();
            case BOOLEAN -> SchemaBuilder.bool();
            case BYTES, FIXED -> SchemaBuilder.bytes();
            case ARRAY -> SchemaBuilder.array(convert(avro.getElementType(), false));
            case MAP -> SchemaBuilder.map(Schema.STRING_SCHEMA, convert(avro.getValueType(), false));
            default -> throw new DataException("No Connect type for Avro " + avro);
        };
        return optional ? builder.optional().build() : builder.build();
    }

    private static org.apache.avro.Schema nonNullBranch(org.apache.avro.Schema union) {
        List<org.apache.avro.Schema> branches = union.getTypes().stream()
                .filter(s -> s.getType() != org.apache.avro.Schema.Type.NULL).toList();
        return branches.size() == 1 && union.getTypes().size() == 2 ? branches.get(0) : null;
    }

    private static boolean isNullable(org.apache.avro.Schema avro) {
        return avro.getType() == org.apache.avro.Schema.Type.UNION && nonNullBranch(avro) != null;
    }

    private Object toConnectValue(Schema schema, org.apache.avro.Schema avro, Object datum) {
        if (datum == null) {
            return null;
        }
        if (avro.getType() == org.apache.avro.Schema.Type.UNION) {
            return toConnectValue(schema, nonNullBranch(avro), datum);
        }
        switch (schema.type()) {
            case STRUCT -> {
                GenericRecord record = (GenericRecord) datum;
                Struct struct = new Struct(schema);
                for (Field field : schema.fields()) {
                    org.apache.avro.Schema.Field avroField = avro.getField(field.name());
                    Object fieldValue = record.get(avroField.pos());
                    if (JSON_SCHEMA_NAME.equals(field.schema().name())) {
                        // Avro's own JSON rendering of the datum: field names as in the schema.
                        struct.put(field, fieldValue == null ? null : GenericData.get().toString(fieldValue));
                    } else {
                        struct.put(field, toConnectValue(field.schema(), avroField.schema(), fieldValue));
                    }
                }
                return struct;
            }
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object element : (List<?>) datum) {
                    out.add(toConnectValue(schema.valueSchema(), avro.getElementType(), element));
                }
                return out;
            }
            case MAP -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) datum).entrySet()) {
                    out.put(e.getKey().toString(), toConnectValue(schema.valueSchema(), avro.getValueType(), e.getValue()));
                }
                return out;
            }
            case STRING -> {
                return datum.toString();
            }
            case INT64 -> {
                return Timestamp.LOGICAL_NAME.equals(schema.name()) ? new java.util.Date((Long) datum) : datum;
            }
            case BYTES -> {
                return datum instanceof ByteBuffer buffer ? toArray(buffer)
                        : ((GenericData.Fixed) datum).bytes();
            }
            default -> {
                return datum;
            }
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
