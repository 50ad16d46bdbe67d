package io.streamnlp.topology;

import io.streamnlp.batching.Enrichment;
import io.streamnlp.batching.FailedText;
import io.streamnlp.budget.RecordBudget;
import io.streamnlp.deadletter.Blame;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.deadletter.RejectedInputException;
import io.streamnlp.heads.Heads;
import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.SentimentScores;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.config.OutputKind;
import io.streamnlp.config.OutputTopics;
import io.streamnlp.live.LiveFeed;
import io.streamnlp.ops.PipelineMeters;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.model.TextAnalysis;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.Sentiment;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.Entity;
import io.streamnlp.schema.EntityType;
import io.streamnlp.schema.SentimentLabel;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.schema.internal.OriginalHeader;
import io.streamnlp.schema.internal.PendingText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fan-out: one {@link Enrichment} (one encoder pass, or a cached one) becomes one record per
 * selected output topic, each with the input's key and timestamp, and the model and head versions.
 * It counts the record out, records its latency from event time, and tells the live page
 * ({@link LiveFeed}). A text whose outputs cannot be built, or would not fit what the producer
 * accepts ({@link RecordBudget}), is dead-lettered alone, with its own original bytes.
 */
final class FanOutProcessor implements Processor<byte[], Enrichment, byte[], byte[]> {

    /**
     * The value serializers of the outputs (Confluent wire format through the registry); null for an
     * output that is not selected.
     */
    record Serializers(OutputTopics topics, Serializer<EmbeddingRecord> embeddings, Serializer<SentimentRecord> sentiment,
            Serializer<EntitiesRecord> entities, Serializer<EnrichedEvent> enriched) {}

    /**
     * How the enriched record is made.
     *
     * @param text put the text on it
     * @param embedding put the embedding on it
     * @param fields where the event's own fields come from
     */
    record EnrichedShape(boolean text, boolean embedding, EventFields fields) {}

    /**
     * Which of the input record's headers its outputs carry (trace context, a correlation id), taken
     * from the event itself ({@code PendingText.originalHeaders}), so they survive the by-text hop, a
     * cache hit and a restart alike.
     */
    record PropagatedHeaders(Set<String> names) {

        Headers of(PendingText event) {
            Headers headers = new RecordHeaders();
            if (names.isEmpty()) {
                return headers;
            }
            for (OriginalHeader header : event.getOriginalHeaders()) {
                if (names.contains(header.getKey())) {
                    headers.add(header.getKey(), header.getValue() == null ? null : Utils.toArray(header.getValue()));
                }
            }
            return headers;
        }
    }

    /** The sink node of an output. */
    static String sinkOf(OutputKind kind) {
        return switch (kind) {
            case EMBEDDINGS -> TopologyNames.EMBEDDINGS_SINK;
            case SENTIMENT -> TopologyNames.SENTIMENT_SINK;
            case ENTITIES -> TopologyNames.ENTITIES_SINK;
            case ENRICHED -> TopologyNames.ENRICHED_SINK;
        };
    }

    /** The stage named on dead letters of texts whose outputs could not be built. */
    static final String STAGE = "fan-out";

    private static final Logger LOG = LoggerFactory.getLogger(FanOutProcessor.class);
    private static final AtomicLong lastLiveFailureLogMs = new AtomicLong(Long.MIN_VALUE / 2);

    private final EncoderSpec model;
    private final RecordBudget budget;
    private final PropagatedHeaders propagated;
    private final Heads heads;
    private final Serializers serializers;
    private final EnrichedShape enrichedShape;
    private final PipelineMeters meters;
    private final LiveFeed live;
    private ProcessorContext<byte[], byte[]> context;
    private TaskMetrics metrics;

    FanOutProcessor(EncoderSpec model, Heads heads, Serializers serializers, EnrichedShape enrichedShape,
            PipelineMeters meters, LiveFeed live, RecordBudget budget, PropagatedHeaders propagated) {
        this.model = model;
        this.budget = budget;
        this.propagated = propagated;
        this.heads = heads;
        this.serializers = serializers;
        this.enrichedShape = enrichedShape;
        this.meters = meters;
        this.live = live;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.metrics = new TaskMetrics(context.metrics(), context.taskId());
    }

    @Override
    public void process(Record<byte[], Enrichment> record) {
        Enrichment enrichment = record.value();
        PendingText event = enrichment.event();
        // Per text, as in the micro-batch stage: this text's outputs are built, serialized and measured
        // before any is forwarded; if that fails for the text's own sake, it alone is dead-lettered (its
        // own original bytes) and the rest of its batch goes on. Not its fault (the registry down): the
        // thread fails, and the transaction with everything of this batch aborts.
        Map<OutputKind, byte[]> values;
        Headers headers = propagated.of(event);
        try {
            values = serializedOutputs(enrichment);
            String tooLarge = overBudget(record.key(), values, headers);
            if (tooLarge != null) {
                deadLetter(event, new RejectedInputException(RejectReason.TOO_LARGE, tooLarge));
                return;
            }
        } catch (RuntimeException error) {
            if (!Blame.recordAtFault(error)) {
                throw error;
            }
            LOG.error("Dead-lettering {}-{}@{}: its outputs could not be built", event.getSourceTopic(),
                    event.getSourcePartition(), event.getSourceOffset(), error);
            deadLetter(event, FailedText.of(event, error, STAGE).reason());
            return;
        }
        values.forEach((kind, value) -> context.forward(record.withValue(value).withHeaders(new RecordHeaders(headers.toArray())),
                sinkOf(kind)));
        metrics.increment("records-out", "Input records fully enriched (all outputs forwarded), per input topic and partition",
                "topic", event.getSourceTopic(), "partition", Integer.toString(event.getSourcePartition()));
        meters.outputLatency(System.currentTimeMillis() - event.getEventTime());
        tellLivePage(enrichment);
    }

    /** Every selected output's bytes, in output order; none forwarded yet. */
    private Map<OutputKind, byte[]> serializedOutputs(Enrichment enrichment) {
        OutputTopics topics = serializers.topics();
        Map<OutputKind, byte[]> values = new EnumMap<>(OutputKind.class);
        for (OutputKind kind : topics.selected()) {
            values.put(kind, switch (kind) {
                case EMBEDDINGS -> serializers.embeddings().serialize(topics.embeddings(), embedding(enrichment));
                case SENTIMENT -> serializers.sentiment().serialize(topics.sentiment(), sentiment(enrichment));
                case ENTITIES -> serializers.entities().serialize(topics.entities(), entities(enrichment));
                case ENRICHED -> serializers.enriched().serialize(topics.enriched(), enriched(enrichment));
            });
        }
        return values;
    }

    /** Why one of the outputs would not fit what the producer accepts, or null when all fit. */
    private String overBudget(byte[] key, Map<OutputKind, byte[]> values, Headers headers) {
        for (Map.Entry<OutputKind, byte[]> output : values.entrySet()) {
            if (!budget.fits(key, output.getValue(), headers)) {
                return "its " + output.getKey().settingName() + " record would be "
                        + RecordBudget.sizeOf(key, output.getValue(), headers) + " bytes, over max.request.size="
                        + budget.limit() + " (lower max.text.bytes or max.record.bytes, or raise "
                        + "kafka.producer.max.request.size)";
            }
        }
        return null;
    }

    private void deadLetter(PendingText event, RejectedInputException reason) {
        context.forward(new FailedText(event, reason, STAGE).record(budget), TopologyNames.DEAD_LETTER_SINK);
        metrics.increment("dead-lettered", "Records sent to the dead-letter topic, per reason and partition",
                "reason", reason.reason(), "topic", event.getSourceTopic(),
                "partition", Integer.toString(event.getSourcePartition()));
    }

    /**
     * The live page is a view: its outputs are already forwarded, so a failure in it is logged (at most
     * once a minute) and never fails the text, its batch or the thread.
     */
    private void tellLivePage(Enrichment enrichment) {
        PendingText event = enrichment.event();
        try {
            live.enriched(event.getId(), event.getText(), event.getEventTime(), enrichment.cached(),
                    enrichment.analysis().sentiment(), enrichment.analysis().entities());
        } catch (RuntimeException error) {
            long now = System.currentTimeMillis();
            long last = lastLiveFailureLogMs.get();
            if (now - last >= 60_000 && lastLiveFailureLogMs.compareAndSet(last, now)) {
                LOG.warn("The live page could not show event {} (outputs are written; logged at most once a minute)",
                        event.getId(), error);
            }
        }
    }

    private EmbeddingRecord embedding(Enrichment enrichment) {
        PendingText event = enrichment.event();
        float[] vector = enrichment.analysis().vector();
        List<Float> values = floats(vector);
        return EmbeddingRecord.newBuilder()
                .setId(event.getId())
                .setModel(model.name())
                .setModelVersion(model.version())
                .setDimension(vector.length)
                .setVector(values)
                .setTokenCount(enrichment.analysis().tokenCount())
                .setTruncated(enrichment.analysis().truncated())
                .setWindows(enrichment.analysis().windows())
                .setEventTime(Instant.ofEpochMilli(event.getEventTime()))
                .setCached(enrichment.cached())
                .build();
    }

    private SentimentRecord sentiment(Enrichment enrichment) {
        PendingText event = enrichment.event();
        SentimentScores sentiment = enrichment.analysis().sentiment();
        return SentimentRecord.newBuilder()
                .setId(event.getId())
                .setModel(model.name())
                .setModelVersion(model.version())
                .setHeadVersion(heads.sentiment().version())
                .setLabel(SentimentLabel.valueOf(sentiment.label().name()))
                .setNegative(sentiment.negative())
                .setNeutral(sentiment.neutral())
                .setPositive(sentiment.positive())
                .setTruncated(enrichment.analysis().truncated())
                .setWindows(enrichment.analysis().windows())
                .setEventTime(Instant.ofEpochMilli(event.getEventTime()))
                .setCached(enrichment.cached())
                .build();
    }

    private EntitiesRecord entities(Enrichment enrichment) {
        PendingText event = enrichment.event();
        List<Entity> entities = entityList(event.getText(), enrichment.analysis().entities());
        return EntitiesRecord.newBuilder()
                .setId(event.getId())
                .setModel(model.name())
                .setModelVersion(model.version())
                .setHeadVersion(heads.ner().version())
                .setEntities(entities)
                .setTruncated(enrichment.analysis().truncated())
                .setWindows(enrichment.analysis().windows())
                .setEventTime(Instant.ofEpochMilli(event.getEventTime()))
                .setCached(enrichment.cached())
                .build();
    }

    /** The event's own fields with everything derived for it, in one record. */
    private EnrichedEvent enriched(Enrichment enrichment) {
        PendingText event = enrichment.event();
        TextAnalysis analysis = enrichment.analysis();
        EventFields.Fields fields = enrichedShape.fields().of(event);
        SentimentScores scores = analysis.sentiment();
        return EnrichedEvent.newBuilder()
                .setId(event.getId())
                .setSource(fields.source())
                .setEventTime(Instant.ofEpochMilli(event.getEventTime()))
                .setLanguage(fields.language())
                .setAttributes(new HashMap<>(fields.attributes()))
                .setText(enrichedShape.text() ? event.getText() : null)
                .setSentiment(Sentiment.newBuilder()
                        .setLabel(SentimentLabel.valueOf(scores.label().name()))
                        .setNegative(scores.negative())
                        .setNeutral(scores.neutral())
                        .setPositive(scores.positive())
                        .build())
                .setEntities(entityList(event.getText(), analysis.entities()))
                .setEmbedding(enrichedShape.embedding() ? floats(analysis.vector()) : null)
                .setModel(model.name())
                .setModelVersion(model.version())
                .setSentimentHeadVersion(heads.sentiment().version())
                .setNerHeadVersion(heads.ner().version())
                .setTokenCount(analysis.tokenCount())
                .setTruncated(analysis.truncated())
                .setWindows(analysis.windows())
                .setCached(enrichment.cached())
                .build();
    }

    private static List<Float> floats(float[] vector) {
        List<Float> values = new ArrayList<>(vector.length);
        for (float v : vector) {
            values.add(v);
        }
        return values;
    }

    /** The spans as records, offsets in UTF-16 units and in code points (both into the event's text). */
    static List<Entity> entityList(String text, List<EntitySpan> found) {
        CodePoints codePoints = CodePoints.of(text);
        List<Entity> entities = new ArrayList<>(found.size());
        for (EntitySpan e : found) {
            entities.add(Entity.newBuilder()
                    .setText(e.text())
                    .setType(EntityType.valueOf(e.type().name()))
                    .setStart(e.start())
                    .setEnd(e.end())
                    .setStartCodePoint(codePoints.of(e.start()))
                    .setEndCodePoint(codePoints.of(e.end()))
                    .setConfidence(e.confidence())
                    .build());
        }
        return entities;
    }

    @Override
    public void close() {
        metrics.close();
    }
}
