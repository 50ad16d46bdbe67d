package io.streamnlp.registry;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka serdes of generated Avro classes in the Confluent wire format. */
public final class AvroSerdes {

    private AvroSerdes() {}

    /**
     * A serde of {@code type} whose serializer registers under {@code <topic>-key} when {@code
     * isKey}, else {@code <topic>-value}. Closing the serde leaves {@code client} open: it is shared.
     */
    public static <T extends SpecificRecord> Serde<T> specific(
            Class<T> type, SchemaRegistryClient client, boolean isKey) {
        return Serdes.serdeFrom(
                new ConfluentAvroSerializer<>(type, client, isKey),
                new ConfluentAvroDeserializer<>(type, client));
    }
}
