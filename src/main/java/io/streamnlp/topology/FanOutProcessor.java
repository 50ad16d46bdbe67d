package io.streamnlp.topology;

import io.streamnlp.batching.Enrichment;
import io.streamnlp.batching.FailedText;
import io.streamnlp.budget.RecordBudget;
import io.streamnlp.deadletter.Blame;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.deadletter.RejectedInputException;
import io.streamnlp.heads.Heads;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.config.OutputKind;
import io.streamnlp.config.OutputTopics;
import io.streamnlp.live.LiveFeed;
import io.streamnlp.ops.PipelineMeters;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.LabelsRecord;
import io.streamnlp.heads.Classifiers;
import io.streamnlp.model.ClassLabel;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.schema.internal.OriginalHeader;
import io.streamnlp.schema.internal.PendingText;
import java.util.EnumMap;
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
     * The value serializers of the outputs (Confluent wire format through the registry, or plain JSON
     * with {@code output.format=json}); null for an output that is not selected.
     */
    record Serializers(OutputTopics topics, Serializer<EmbeddingRecord> embeddings, Serializer<SentimentRecord> sentiment,
            Serializer<EntitiesRecord> entities, Serializer<EnrichedEvent> enriched, Serializer<LabelsRecord> labels) {}

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
            case LABELS -> TopologyNames.LABELS_SINK;
        };
    }

    /** The stage named on dead letters of texts whose outputs could not be built. */
    static final String STAGE = "fan-out";

    private static final Logger LOG = LoggerFactory.getLogger(FanOutProcessor.class);
    private static final AtomicLong lastLiveFailureLogMs = new AtomicLong(Long.MIN_VALUE / 2);

    private final OutputRecords records;
    private final RecordBudget budget;
    private final PropagatedHeaders propagated;
    private final Serializers serializers;
    private final PipelineMeters meters;
    private final LiveFeed live;
    private final PiiOutputs pii;
    /** The child its dead letters go to: the sink, or the redactor before it. */
    private final String deadLetters;
    private ProcessorContext<byte[], byte[]> context;
    private TaskMetrics metrics;

    FanOutProcessor(EncoderSpec model, Heads heads, Classifiers classifiers, Serializers serializers,
            EnrichedShape enrichedShape, PipelineMeters meters, LiveFeed live, RecordBudget budget,
            PropagatedHeaders propagated, PiiOutputs pii, String deadLetters) {
        this.pii = pii;
        this.deadLetters = deadLetters;
        this.records = new OutputRecords(model, heads, classifiers, enrichedShape);
        this.budget = budget;
        this.propagated = propagated;
        this.serializers = serializers;
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
        PiiOutputs.Findings findings;
        try {
            findings = pii.of(event.getText(), enrichment.analysis().entities());
            values = serializedOutputs(enrichment, findings);
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
        tellLivePage(enrichment, findings);
    }

    /** Every selected output's bytes, in output order; none forwarded yet. */
    private Map<OutputKind, byte[]> serializedOutputs(Enrichment enrichment, PiiOutputs.Findings findings) {
        OutputTopics topics = serializers.topics();
        Map<OutputKind, byte[]> values = new EnumMap<>(OutputKind.class);
        // Once per text, for the enriched record and the labels record alike.
        Map<String, ClassLabel> labels = records.classify(enrichment);
        for (OutputKind kind : topics.selected()) {
            values.put(kind, switch (kind) {
                case EMBEDDINGS -> serializers.embeddings().serialize(topics.embeddings(), records.embedding(enrichment));
                case SENTIMENT -> serializers.sentiment().serialize(topics.sentiment(), records.sentiment(enrichment));
                case ENTITIES -> serializers.entities().serialize(topics.entities(), records.entities(enrichment, findings));
                case ENRICHED -> serializers.enriched().serialize(topics.enriched(), records.enriched(enrichment, labels, findings));
                case LABELS -> serializers.labels().serialize(topics.labels(), records.labels(enrichment, labels));
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
        context.forward(new FailedText(event, reason, STAGE).record(budget), deadLetters);
        metrics.increment("dead-lettered", "Records sent to the dead-letter topic, per reason and partition",
                "reason", reason.reason(), "topic", event.getSourceTopic(),
                "partition", Integer.toString(event.getSourcePartition()));
    }

    /**
     * The live page is a view: its outputs are already forwarded, so a failure in it is logged (at most
     * once a minute) and never fails the text, its batch or the thread.
     */
    private void tellLivePage(Enrichment enrichment, PiiOutputs.Findings findings) {
        PendingText event = enrichment.event();
        try {
            // The page sees what the outputs carry: redacting, the redacted text and masked entities; a text
            // whose heads' results are skipped (its language), no sentiment and no entities.
            String text = event.getText();
            boolean skipped = enrichment.language().skipsHeads();
            live.enriched(event.getId(), findings.shownText(text), event.getEventTime(), enrichment.cached(),
                    skipped ? null : enrichment.analysis().sentiment(),
                    skipped ? List.of() : findings.shownEntities(text, enrichment.analysis().entities()),
                    enrichment.language().code());
        } catch (RuntimeException error) {
            long now = System.currentTimeMillis();
            long last = lastLiveFailureLogMs.get();
            if (now - last >= 60_000 && lastLiveFailureLogMs.compareAndSet(last, now)) {
                LOG.warn("The live page could not show event {} (outputs are written; logged at most once a minute)",
                        event.getId(), error);
            }
        }
    }

    @Override
    public void close() {
        metrics.close();
    }
}
