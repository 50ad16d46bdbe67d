package io.streamnlp.topology;

import static io.streamnlp.topology.TopologyNames.BATCH;
import static io.streamnlp.topology.TopologyNames.BY_TEXT_SINK;
import static io.streamnlp.topology.TopologyNames.BY_TEXT_SOURCE;
import static io.streamnlp.topology.TopologyNames.RESULT_CACHE_STORE;
import static io.streamnlp.topology.TopologyNames.ROUTE_BY_TEXT;
import static io.streamnlp.topology.TopologyNames.DEAD_LETTER_SINK;
import static io.streamnlp.topology.TopologyNames.FAN_OUT;
import static io.streamnlp.topology.TopologyNames.GATE_PREFIX;
import static io.streamnlp.topology.TopologyNames.INGEST_PREFIX;
import static io.streamnlp.topology.TopologyNames.PARTITION_CACHE_STORE;
import static io.streamnlp.topology.TopologyNames.PENDING_STORE;
import static io.streamnlp.topology.TopologyNames.REDACT_DEAD_LETTERS;
import static io.streamnlp.topology.TopologyNames.SOURCE_PREFIX;

import io.streamnlp.batching.BatchSettings;
import io.streamnlp.batching.BatchingProcessor;
import io.streamnlp.deadletter.DeadLetterRedaction;
import io.streamnlp.enrich.Enricher;
import io.streamnlp.bytext.ByTextRouter;
import io.streamnlp.cache.CacheKeys;
import io.streamnlp.cache.CachePlan;
import io.streamnlp.config.OutputFormat;
import io.streamnlp.config.OutputKind;
import io.streamnlp.config.OutputTopics;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.heads.Heads;
import io.streamnlp.language.LanguageGate;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.LongTextPolicy;
import io.streamnlp.inference.TextTokenizer;
import io.streamnlp.ingest.AvroTextEventParser;
import io.streamnlp.ingest.EventValidator;
import io.streamnlp.ingest.IngestProcessor;
import io.streamnlp.ingest.InputLimits;
import io.streamnlp.ingest.InputFormat;
import io.streamnlp.ingest.InputTopic;
import io.streamnlp.ingest.JsonTextEventParser;
import io.streamnlp.ingest.PlainTextParser;
import io.streamnlp.ingest.TextEventParser;
import io.streamnlp.live.LiveFeed;
import io.streamnlp.pii.PiiScanner;
import io.streamnlp.pii.PiiSettings;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.InternalAvroSerde;
import io.streamnlp.registry.PlainJsonSerializer;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.model.HeadPlan;
import io.streamnlp.heads.Classifiers;
import io.streamnlp.schema.LabelsRecord;
import io.streamnlp.ops.PipelineMeters;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.schema.internal.PendingText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The whole pipeline, built apart from any running application so tests can drive it:
 *
 * <pre>
 *  input topics ─► source-&lt;format&gt; ─► ingest-&lt;format&gt; ─┬─► route-by-text ─► &lt;app-id&gt;-by-text topic ─┐
 *  (bytes)          (one per format)   parse, validate   │   (key := cache key)   (repartition)          │
 *                                                         └─► dead-letter sink (original bytes + reason headers)
 *
 *  by-text-source ─► micro-batch ─────────────────────────► fan-out ─┬─► embeddings sink
 *                    (result cache, encoder, heads;          (records) ├─► sentiment sink
 *                     pending-batch + result-cache stores)             ├─► entities sink
 *                                                                      └─► enriched sink
 *                                                           (one sink per selected output)
 * </pre>
 *
 * With {@code cache.enabled=false} or {@code cache.placement=partition} there is no by-text hop: ingest
 * feeds the micro-batch directly (with the partition placement, each input task keeps its own cache).
 */
public final class EnrichmentTopology {

    private EnrichmentTopology() {}

    public static Topology build(StreamNlpConfig config, Enricher enricher, SchemaRegistryClient registry) {
        return build(config, enricher, registry, null, PipelineMeters.none());
    }

    public static Topology build(StreamNlpConfig config, Enricher enricher, SchemaRegistryClient registry,
            ProcessorSupplier<byte[], byte[], byte[], byte[]> inputGate, PipelineMeters meters) {
        return build(config, enricher, registry, inputGate, meters, LiveFeed.NONE);
    }

    /**
     * @param inputGate when not null, a processor between each source and its ingest stage that
     *     forwards only the records that belong to the run (a replay's window; see replay.ReplayGate)
     * @param meters where the inference stage records its histograms (batch size, padding, times)
     * @param live what the fan-out tells about each enriched record (the live page), or {@link LiveFeed#NONE}
     */
    public static Topology build(StreamNlpConfig config, Enricher enricher, SchemaRegistryClient registry,
            ProcessorSupplier<byte[], byte[], byte[], byte[]> inputGate, PipelineMeters meters, LiveFeed live) {
        return build(config, enricher, registry, inputGate, meters, live, classifiers(config, enricher));
    }

    /**
     * The classifier heads of {@code classifiers} for the enricher's encoder, checked against its fingerprint;
     * {@link Classifiers#NONE} when none is set.
     *
     * @throws io.streamnlp.heads.MissingHeadsException when one is missing
     * @throws IllegalStateException when one was trained on another encoder
     */
    public static Classifiers classifiers(StreamNlpConfig config, Enricher enricher) {
        if (config.classifierNames().isEmpty()) {
            return Classifiers.NONE;
        }
        Classifiers classifiers = Classifiers.load(config.classifierNames(), config.classifierPath(), enricher.encoderSpec());
        classifiers.checkFingerprint(enricher.encoderSpec().name(), enricher.sessions().encoder().fingerprint());
        return classifiers;
    }

    /**
     * @param classifiers the classifier heads whose results go on the enriched and labels records (loaded and
     *     checked by the caller: {@link #classifiers})
     */
    public static Topology build(StreamNlpConfig config, Enricher enricher, SchemaRegistryClient registry,
            ProcessorSupplier<byte[], byte[], byte[], byte[]> inputGate, PipelineMeters meters, LiveFeed live,
            Classifiers classifiers) {
        OutputTopics outputs = config.outputTopics();
        EventValidator validator = new EventValidator(config.maxTextBytes());
        InputLimits limits = config.inputLimits();
        // Built from our settings (not the defaults) so topology-level options see them too.
        Topology topology = new Topology(new TopologyConfig(new StreamsConfig(config.streamsProperties())));

        boolean cacheOn = config.cacheEnabled();
        boolean hop = config.byTextHop();
        // With pii.redact every dead letter passes the redactor on its way to the sink.
        DeadLetterRedaction deadLetterRedaction = DeadLetterRedaction.of(config.pii());
        String deadLetters = deadLetterRedaction == null ? DEAD_LETTER_SINK : REDACT_DEAD_LETTERS;
        CachePlan cachePlan = cacheOn ? cachePlan(config, enricher) : null;
        String ingestChild = hop ? ROUTE_BY_TEXT : BATCH;
        List<String> ingestNodes = new ArrayList<>();
        for (Map.Entry<InputFormat, List<String>> group : topicsByFormat(config.inputTopics()).entrySet()) {
            String format = group.getKey().name().toLowerCase(Locale.ROOT);
            String source = SOURCE_PREFIX + format;
            String ingest = INGEST_PREFIX + format;
            TextEventParser parser = parser(group.getKey(), registry);
            topology.addSource(source, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                    group.getValue().toArray(String[]::new));
            String ingestParent = source;
            if (inputGate != null) {
                ingestParent = GATE_PREFIX + format;
                topology.addProcessor(ingestParent, inputGate, source);
            }
            topology.addProcessor(ingest, () -> new IngestProcessor(parser, validator, limits, ingestChild, deadLetters), ingestParent);
            ingestNodes.add(ingest);
        }

        BatchSettings batchSettings = config.batchSettings();
        InternalAvroSerde<PendingText> pendingSerde = new InternalAvroSerde<>(PendingText.class);
        String[] batchParents = ingestNodes.toArray(String[]::new);
        if (hop) {
            topology.addProcessor(ROUTE_BY_TEXT, () -> new ByTextRouter(cachePlan.keys()), batchParents);
            topology.addSink(BY_TEXT_SINK, config.byTextTopic(), new ByteArraySerializer(), pendingSerde.serializer(),
                    ROUTE_BY_TEXT);
            // Always from the earliest: whatever a user sets for auto.offset.reset applies to their input
            // topics; an event already accepted into the hop must never be skipped.
            topology.addSource(AutoOffsetReset.earliest(), BY_TEXT_SOURCE, new ByteArrayDeserializer(),
                    pendingSerde.deserializer(),
                    config.byTextTopic());
            batchParents = new String[] {BY_TEXT_SOURCE};
        }
        // Built once per process for a candidate set (the detector and its models are shared), not per task.
        LanguageGate languages = LanguageGate.of(config.languageSettings(), Heads.languagesOf(enricher.encoderSpec()));
        topology.addProcessor(BATCH, () -> new BatchingProcessor(enricher, batchSettings, PENDING_STORE, cachePlan, meters, FAN_OUT,
                        deadLetters, limits.budget(), languages),
                batchParents);
        // A text is put when it arrives and deleted when its batch runs, nearly always inside one commit
        // interval: Kafka Streams' record cache (statestore.cache.max.bytes) folds the pair into one
        // delete at commit, so the text's bytes never reach RocksDB or the changelog. What a commit
        // leaves pending is flushed before the offsets commit, exactly as without the cache.
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING_STORE), Serdes.Long(), pendingSerde).withCachingEnabled(), BATCH);
        if (cacheOn) {
            // Values are InternalAvroSerde bytes of CachedResult, encoded and decoded by ResultCache itself,
            // so that it can rebuild its index at task start without decoding every entry.
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(cachePlan.storeName()),
                    Serdes.Bytes(), Serdes.ByteArray()), BATCH);
        }

        // The fan-out serializes every selected record before it forwards any (so the sinks only copy
        // bytes): a registry failure then fails the event before any of its outputs left, never between them.
        OutputFormat format = config.outputFormat();
        FanOutProcessor.Serializers serializers = new FanOutProcessor.Serializers(outputs,
                outputs.has(OutputKind.EMBEDDINGS) ? outputSerializer(EmbeddingRecord.class, format, registry) : null,
                outputs.has(OutputKind.SENTIMENT) ? outputSerializer(SentimentRecord.class, format, registry) : null,
                outputs.has(OutputKind.ENTITIES) ? outputSerializer(EntitiesRecord.class, format, registry) : null,
                outputs.has(OutputKind.ENRICHED) ? outputSerializer(EnrichedEvent.class, format, registry) : null,
                outputs.has(OutputKind.LABELS) ? outputSerializer(LabelsRecord.class, format, registry) : null);
        Map<String, TextEventParser> parserByTopic = new HashMap<>();
        for (InputTopic input : config.inputTopics()) {
            parserByTopic.put(input.name(), parser(input.format(), registry));
        }
        FanOutProcessor.EnrichedShape enrichedShape = new FanOutProcessor.EnrichedShape(config.enrichedIncludesText(),
                config.enrichedIncludesEmbedding(), new EventFields(parserByTopic));
        PiiSettings piiSettings = config.pii();
        PiiScanner piiScanner = piiSettings.active() ? new PiiScanner(piiSettings) : null;
        PiiOutputs pii = piiScanner == null ? PiiOutputs.OFF : new PiiOutputs(piiScanner);
        topology.addProcessor(FAN_OUT, () -> new FanOutProcessor(enricher.encoderSpec(), enricher.heads(), classifiers, serializers,
                enrichedShape, meters, live, limits.budget(), new FanOutProcessor.PropagatedHeaders(config.outputHeaders()),
                pii, deadLetters), BATCH);
        for (OutputKind kind : outputs.selected()) {
            topology.addSink(FanOutProcessor.sinkOf(kind), outputs.topic(kind), new ByteArraySerializer(),
                    new ByteArraySerializer(), FAN_OUT);
        }
        List<String> deadLetterParents = new ArrayList<>(ingestNodes);
        deadLetterParents.add(BATCH);
        deadLetterParents.add(FAN_OUT);
        if (deadLetterRedaction != null) {
            topology.addProcessor(REDACT_DEAD_LETTERS, () -> new DeadLetterRedactor(deadLetterRedaction, limits.budget()),
                    deadLetterParents.toArray(String[]::new));
            deadLetterParents = List.of(REDACT_DEAD_LETTERS);
        }
        topology.addSink(DEAD_LETTER_SINK, outputs.deadLetters(), new ByteArraySerializer(), new ByteArraySerializer(),
                deadLetterParents.toArray(String[]::new));
        return topology;
    }

    /**
     * The cache's identity covers what is computed: the encoder, the version of each head that runs
     * ("-" for one that does not), the max length and, with windows, the window policy, and the encoder's graph
     * where it is not the packaged one. With both heads, truncation and the packaged graph it is what it always was.
     */
    public static CachePlan cachePlan(StreamNlpConfig config, Enricher enricher) {
        var spec = enricher.encoderSpec();
        HeadPlan heads = enricher.plan();
        LongTextPolicy longText = config.batchSettings().longText();
        int maxLength = enricher.tokenizer().maxLength();
        List<String> parts = new ArrayList<>(List.of(spec.name(), spec.version(),
                heads.sentiment() ? enricher.heads().sentiment().version() : NOT_RUN,
                heads.entities() ? enricher.heads().ner().version() : NOT_RUN,
                Integer.toString(maxLength)));
        if (longText.mode() == LongTextPolicy.Mode.WINDOW) {
            parts.add(longText.identity(maxLength)); // truncation keeps the identity (and the caches) of before
        }
        EncoderGraph graph = enricher.sessions().encoder().graph();
        if (graph != EncoderGraph.PACKAGED) {
            // Another graph computes other numbers (by a rounding): its entries apart. The packaged graph keeps the
            // identity, and so the caches, of before.
            parts.add("graph=" + graph.settingName());
        }
        TextTokenizer tokenizer = enricher.tokenizer();
        String store = config.byTextHop() ? RESULT_CACHE_STORE : PARTITION_CACHE_STORE;
        return new CachePlan(store, config.cacheSettings(), new CacheKeys(String.join("|", parts)), heads,
                tokenCount -> tokenizer.windowsOf(tokenCount, longText));
    }

    /**
     * The value schema each selected output is written with, by its subject ({@code <topic>-value}), in
     * {@link OutputKind}'s order; empty for {@code output.format=json}, which registers
     * nothing. The instance registers them before it runs (through the client its serializers share, so
     * they find the ids cached): a subject that refuses its schema stops the start, naming the subject,
     * instead of the first record, and the first records wait for no registry round trip per output.
     */
    public static Map<String, Schema> outputSchemas(StreamNlpConfig config) {
        if (config.outputFormat() != OutputFormat.AVRO) {
            return Map.of();
        }
        OutputTopics outputs = config.outputTopics();
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (OutputKind kind : outputs.selected()) {
            schemas.put(SchemaRegistryClient.valueSubject(outputs.topic(kind)), switch (kind) {
                case EMBEDDINGS -> EmbeddingRecord.getClassSchema();
                case SENTIMENT -> SentimentRecord.getClassSchema();
                case ENTITIES -> EntitiesRecord.getClassSchema();
                case ENRICHED -> EnrichedEvent.getClassSchema();
                case LABELS -> LabelsRecord.getClassSchema();
            });
        }
        return schemas;
    }

    /**
     * The value serializer of an output in {@code output.format}: the registry's wire format, or plain
     * JSON with the same field names (nothing registered). The fan-out measures either against the budget.
     */
    private static <T extends SpecificRecord> Serializer<T> outputSerializer(Class<T> type, OutputFormat format,
            SchemaRegistryClient registry) {
        return switch (format) {
            case AVRO -> AvroSerdes.specific(type, registry, false).serializer();
            case JSON -> new PlainJsonSerializer<>(type);
        };
    }

    /** A head that does not run, in the cache identity. */
    private static final String NOT_RUN = "-";

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
