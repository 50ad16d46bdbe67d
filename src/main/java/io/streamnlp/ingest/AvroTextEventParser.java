package io.streamnlp.ingest;

import io.streamnlp.deadletter.RejectedInputException;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.registry.SchemaRegistryException;
import io.streamnlp.schema.TextEvent;
import org.apache.kafka.common.errors.SerializationException;
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
        } catch (SchemaRegistryException e) {
            if (e.isRetriable()) {
                // Not the record's fault: let the stream thread fail and retry rather than dead-letter it.
                throw e;
            }
            throw new RejectedInputException(RejectReason.BAD_AVRO, e.getMessage(), e);
        } catch (SerializationException e) {
            if (e.getCause() instanceof SchemaRegistryException registry && registry.isRetriable()) {
                throw registry;
            }
            throw new RejectedInputException(RejectReason.BAD_AVRO, e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new RejectedInputException(RejectReason.BAD_AVRO, "cannot decode Avro: " + e, e);
        }
    }
}
