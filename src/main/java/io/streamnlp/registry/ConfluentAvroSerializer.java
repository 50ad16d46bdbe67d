package io.streamnlp.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro records in the Confluent wire format ({@link WireFormat}), registering the
 * class's schema under {@code <topic>-value} or {@code <topic>-key} on first use.
 *
 * <p>Thread-safe: Kafka Streams shares one serializer between its stream threads. Registry
 * failures surface as {@link SchemaRegistryException} (check {@link
 * SchemaRegistryException#isRetriable()}); a record Avro cannot write (e.g. a required field left
 * null) as {@link SerializationException}.
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    /** A thread's output buffer grown past this is dropped after use instead of kept for reuse. */
    private static final int MAX_RETAINED_BUFFER = 1 << 20;

    private final SchemaRegistryClient client;
    private final boolean isKey;
    private final Schema schema;
    private final DatumWriter<T> writer;
    private final ThreadLocal<Output> outputs = ThreadLocal.withInitial(Output::new);

    /** The reusable per-thread stream and encoder of one serialization. */
    private static final class Output {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        BinaryEncoder encoder;
    }

    public ConfluentAvroSerializer(Class<T> type, SchemaRegistryClient client, boolean isKey) {
        this.client = client;
        this.isKey = isKey;
        // The class's own SpecificData carries its logical-type conversions (Instant for timestamps).
        SpecificData data = SpecificData.getForClass(type);
        this.schema = data.getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema, data);
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        int schemaId = client.register(SchemaRegistryClient.subject(topic, isKey), schema);
        Output output = outputs.get();
        try {
            output.bytes.reset();
            WireFormat.writeHeader(output.bytes, schemaId);
            output.encoder = EncoderFactory.get().binaryEncoder(output.bytes, output.encoder);
            writer.write(record, output.encoder);
            output.encoder.flush();
            return output.bytes.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot write " + schema.getFullName() + " to topic " + topic + ": " + e, e);
        } finally {
            if (output.bytes.size() > MAX_RETAINED_BUFFER) {
                outputs.remove();
            }
        }
    }
}
