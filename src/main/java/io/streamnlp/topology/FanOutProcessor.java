package io.streamnlp.topology;

import io.streamnlp.batching.Enrichment;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.internal.PendingText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns one encoder pass into one record per result kind, each sent to its own sink with the input's
 * key and timestamp.
 */
final class FanOutProcessor implements Processor<byte[], Enrichment, byte[], Object> {

    private final EncoderSpec model;
    private ProcessorContext<byte[], Object> context;
    private TaskMetrics metrics;

    FanOutProcessor(EncoderSpec model) {
        this.model = model;
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
        this.metrics = new TaskMetrics(context.metrics(), context.taskId());
    }

    @Override
    public void process(Record<byte[], Enrichment> record) {
        Enrichment enrichment = record.value();
        context.forward(record.withValue((Object) embedding(enrichment)), TopologyNames.EMBEDDINGS_SINK);
        PendingText event = enrichment.event();
        metrics.increment("records-out", "Input records fully enriched (all outputs forwarded), per input topic and partition",
                "topic", event.getSourceTopic(), "partition", Integer.toString(event.getSourcePartition()));
    }

    @Override
    public void close() {
        metrics.close();
    }

    private EmbeddingRecord embedding(Enrichment enrichment) {
        PendingText event = enrichment.event();
        float[] vector = enrichment.encoded().sentenceVector();
        List<Float> values = new ArrayList<>(vector.length);
        for (float v : vector) {
            values.add(v);
        }
        return EmbeddingRecord.newBuilder()
                .setId(event.getId())
                .setModel(model.name())
                .setModelVersion(model.version())
                .setDimension(vector.length)
                .setVector(values)
                .setTokenCount(enrichment.tokens().length())
                .setTruncated(enrichment.tokens().truncated())
                .setEventTime(Instant.ofEpochMilli(event.getEventTime()))
                .setCached(false)
                .build();
    }
}
