package io.streamnlp.ingest;

import io.streamnlp.deadletter.RejectedInputException;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.registry.SchemaRegistryException;
import io.streamnlp.schema.TextEvent;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * {@link InputFormat#AVRO}: a TextEvent in the Confluent wire format, resolved from the writer's
 * schema (looked up by id in the registry) to the current TextEvent schema.
 */
public final class AvroTextEventParser implements TextEventParser {

    private final Deserializer<TextEvent> deserializer;

    public AvroTextEventParser(Deserializer<TextEvent> deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public TextEvent parse(String topic, byte[] key, byte[] value) throws RejectedInputException {
        try {
            return deserializer.deserialize(topic, value);
        } catch (RuntimeException e) {
            RuntimeException notTheRecords = notTheRecordsFault(e);
            if (notTheRecords != null) {
                // The registry unreachable, overloaded or refusing our credentials, or the thread
                // interrupted: the record is fine. Let the stream thread fail and retry from the last
                // commit (or the instance stop) rather than dead-letter valid events.
                throw notTheRecords;
            }
            throw new RejectedInputException(RejectReason.BAD_AVRO, e.getMessage() == null ? "cannot decode Avro: " + e
                    : e.getMessage(), e);
        }
    }

    /** The cause that is no fault of the record, or null when the bytes themselves are bad. */
    static RuntimeException notTheRecordsFault(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registry) {
                return registry.isRecordsFault() ? null : registry;
            }
            if (t instanceof InterruptException interrupt) {
                return interrupt;
            }
        }
        return null;
    }
}
