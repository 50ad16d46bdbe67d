package io.streamnlp.registry;

import java.io.EOFException;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-framed Avro ({@link WireFormat}) into a generated class. The record's schema id
 * names the writer schema; Avro schema resolution maps it onto the class's schema, so records
 * from older or newer compatible writers are read, with defaults for fields the writer lacked.
 *
 * <p>Thread-safe. A record that cannot be read (bad magic byte, unknown schema id, truncated or
 * corrupt body, incompatible writer) raises {@link SerializationException} with a message naming
 * the problem, for the dead-letter topic. A registry that is down or refuses our credentials
 * raises {@link SchemaRegistryException} instead: that is no fault of the record.
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final SchemaLookup schemas;
    private final SpecificData data;
    private final Schema readerSchema;
    private final BoundedCache<Integer, DatumReader<T>> readersByWriterId;

    public ConfluentAvroDeserializer(Class<T> type, SchemaRegistryClient client) {
        this(type, client, client.settings().cacheCapacity());
    }

    /**
     * A deserializer over any {@link SchemaLookup}, caching the readers of at most {@code cacheCapacity}
     * writer schema ids.
     */
    public ConfluentAvroDeserializer(Class<T> type, SchemaLookup schemas, int cacheCapacity) {
        this.schemas = schemas;
        // The class's own SpecificData carries its logical-type conversions (Instant for timestamps).
        this.data = SpecificData.getForClass(type);
        this.readerSchema = data.getSchema(type);
        this.readersByWriterId = new BoundedCache<>(cacheCapacity);
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        int schemaId = WireFormat.schemaId(bytes);
        DatumReader<T> reader = reader(schemaId);
        // Bounded: a length or count in the body larger than the bytes left is refused before allocating.
        BoundedDecoder decoder = BoundedDecoder.of(bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE);
        try {
            T record = reader.read(null, decoder);
            if (decoder.isEnd()) {
                return record;
            }
        } catch (EOFException e) {
            throw new SerializationException(
                    "truncated Avro body: the " + bytes.length + "-byte record ended before its "
                            + readerSchema.getFullName() + " (schema id " + schemaId + ") was complete", e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot decode the Avro body as " + readerSchema.getFullName() + " with writer schema id "
                            + schemaId + ": " + e, e);
        }
        throw new SerializationException(
                "bytes left over after the " + readerSchema.getFullName() + " of schema id " + schemaId
                        + " in a " + bytes.length + "-byte record: corrupt body or wrong schema id");
    }

    private DatumReader<T> reader(int schemaId) {
        DatumReader<T> cached = readersByWriterId.get(schemaId);
        if (cached != null) {
            return cached;
        }
        Schema writerSchema = writerSchema(schemaId);
        DatumReader<T> reader = new SpecificDatumReader<>(writerSchema, readerSchema, data);
        readersByWriterId.put(schemaId, reader);
        return reader;
    }

    private Schema writerSchema(int schemaId) {
        try {
            return schemas.getSchemaById(schemaId);
        } catch (SchemaRegistryException e) {
            switch (e.reason()) {
                case NOT_FOUND ->
                        throw new SerializationException(
                                "unknown schema id " + schemaId + ": " + e.getMessage(), e);
                case UNUSABLE_SCHEMA ->
                        throw new SerializationException(
                                "schema id " + schemaId + " is not a usable Avro schema: " + e.getMessage(), e);
                default -> throw e;
            }
        }
    }
}
