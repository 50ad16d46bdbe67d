package io.streamnlp.guard;

import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingModel;
import io.streamnlp.schema.OutputFormatChoice;
import io.streamnlp.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The records of a prefix's {@code <prefix>.models}, per key, as a consumer of it reads them. */
final class GuardRecords {

    private GuardRecords() {}

    /** The encoder records ({@value ModelGuard#KEY}), oldest first; reads at least {@code expected} records. */
    static List<EmbeddingModel> encoders(String bootstrap, SchemaRegistryClient registry, String prefix, int expected) {
        var values = AvroSerdes.specific(EmbeddingModel.class, registry, false).deserializer();
        return keyed(bootstrap, prefix, ModelGuard.KEY, expected).stream()
                .map(r -> values.deserialize(prefix + ".models", r.value())).toList();
    }

    /** The format records ({@value ModelGuard#FORMAT_KEY}), oldest first. */
    static List<OutputFormatChoice> formats(String bootstrap, SchemaRegistryClient registry, String prefix, int expected) {
        var values = AvroSerdes.specific(OutputFormatChoice.class, registry, false).deserializer();
        return keyed(bootstrap, prefix, ModelGuard.FORMAT_KEY, expected).stream()
                .map(r -> values.deserialize(prefix + ".models", r.value())).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> keyed(String bootstrap, String prefix, String key, int expected) {
        byte[] wanted = key.getBytes(StandardCharsets.UTF_8);
        return TopicReader.readAllBytes(bootstrap, prefix + ".models", expected, Duration.ofSeconds(30)).stream()
                .filter(r -> Arrays.equals(r.key(), wanted)).toList();
    }
}
