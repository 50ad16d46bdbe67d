package io.streamnlp.topology;

import static io.streamnlp.topology.TopologyNames.BATCH;
import static io.streamnlp.topology.TopologyNames.DEAD_LETTER_SINK;
import static io.streamnlp.topology.TopologyNames.EMBEDDINGS_SINK;
import static io.streamnlp.topology.TopologyNames.ENTITIES_SINK;
import static io.streamnlp.topology.TopologyNames.FAN_OUT;
import static io.streamnlp.topology.TopologyNames.INGEST_PREFIX;
import static io.streamnlp.topology.TopologyNames.PENDING_STORE;
import static io.streamnlp.topology.TopologyNames.SENTIMENT_SINK;
import static io.streamnlp.topology.TopologyNames.SOURCE_PREFIX;

import io.streamnlp.batching.BatchSettings;
import io.streamnlp.batching.BatchingProcessor;
import io.streamnlp.batching.EncoderSessions;
import io.streamnlp.batching.PendingTextSerde;
import io.streamnlp.config.OutputTopics;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.ingest.AvroTextEventParser;
import io.streamnlp.ingest.EventValidator;
import io.streamnlp.ingest.IngestProcessor;
import io.streamnlp.ingest.InputFormat;
import io.streamnlp.ingest.InputTopic;
import io.streamnlp.ingest.JsonTextEventParser;
import io.streamnlp.ingest.PlainTextParser;
import io.streamnlp.ingest.TextEventParser;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.heads.Heads;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.schema.TextEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.state.Stores;

/**
 * The whole pipeline, built apart from any running application so tests can drive it:
 *
 * <pre>
 *  input topics ─► source-&lt;format&gt; ─► ingest-&lt;format&gt; ─┬─► micro-batch ─► fan-out ─┬─► embeddings sink
 *  (bytes)          (one per format)   parse, validate   │   (encoder,      (heads,  ├─► sentiment sink
 *                                                         │    pending store) records)└─► entities sink
 *                                                         └─► dead-letter sink (original bytes + reason headers)
 * </pre>
 */
public final class EnrichmentTopology {

    private EnrichmentTopology() {}

    public static Topology build(StreamNlpConfig config, EncoderSessions sessions, Heads heads, SchemaRegistryClient registry) {
        OutputTopics outputs = config.outputTopics();
        EventValidator validator = new EventValidator(config.getInt(StreamNlpConfig.MAX_TEXT_BYTES));
        // Built from our settings (not the defaults) so topology-level options see them too.
        Topology topology = new Topology(new TopologyConfig(new StreamsConfig(config.streamsProperties())));

        List<String> ingestNodes = new ArrayList<>();
        for (Map.Entry<InputFormat, List<String>> group : topicsByFormat(config.inputTopics()).entrySet()) {
            String format = group.getKey().name().toLowerCase(Locale.ROOT);
            String source = SOURCE_PREFIX + format;
            String ingest = INGEST_PREFIX + format;
            TextEventParser parser = parser(group.getKey(), registry);
            topology.addSource(source, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                    group.getValue().toArray(String[]::new));
            topology.addProcessor(ingest, () -> new IngestProcessor(parser, validator, BATCH, DEAD_LETTER_SINK), source);
            ingestNodes.add(ingest);
        }

        BatchSettings batchSettings = new BatchSettings(
                config.getInt(StreamNlpConfig.BATCH_MAX_RECORDS),
                config.getInt(StreamNlpConfig.BATCH_MAX_TOKENS),
                config.getLong(StreamNlpConfig.BATCH_MAX_WAIT_MS));
        topology.addProcessor(BATCH, () -> new BatchingProcessor(sessions, batchSettings, PENDING_STORE),
                ingestNodes.toArray(String[]::new));
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING_STORE), Serdes.Long(), new PendingTextSerde()), BATCH);

        topology.addProcessor(FAN_OUT, () -> new FanOutProcessor(sessions.encoder().spec(), heads), BATCH);
        topology.addSink(EMBEDDINGS_SINK, outputs.embeddings(), new ByteArraySerializer(),
                AvroSerdes.specific(EmbeddingRecord.class, registry, false).serializer(), FAN_OUT);
        topology.addSink(SENTIMENT_SINK, outputs.sentiment(), new ByteArraySerializer(),
                AvroSerdes.specific(SentimentRecord.class, registry, false).serializer(), FAN_OUT);
        topology.addSink(ENTITIES_SINK, outputs.entities(), new ByteArraySerializer(),
                AvroSerdes.specific(EntitiesRecord.class, registry, false).serializer(), FAN_OUT);
        topology.addSink(DEAD_LETTER_SINK, outputs.deadLetters(), new ByteArraySerializer(), new ByteArraySerializer(),
                ingestNodes.toArray(String[]::new));
        return topology;
    }

    private static Map<InputFormat, List<String>> topicsByFormat(List<InputTopic> topics) {
        Map<InputFormat, List<String>> byFormat = new TreeMap<>();
        for (InputTopic topic : topics) {
            byFormat.computeIfAbsent(topic.format(), f -> new ArrayList<>()).add(topic.name());
        }
        return byFormat;
    }

    private static TextEventParser parser(InputFormat format, SchemaRegistryClient registry) {
        return switch (format) {
            case AVRO -> new AvroTextEventParser(AvroSerdes.specific(TextEvent.class, registry, false).deserializer());
            case JSON -> new JsonTextEventParser();
            case TEXT -> new PlainTextParser();
        };
    }
}
