package io.streamnlp.replay;

import io.streamnlp.ops.TaskMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Between each source and its ingest stage in a replay: lets through the records of the plan (offset
 * range and time window), at most at the throttle's rate. Records outside are not the replay's
 * input: they are counted ({@code replay-skipped-total}) and go nowhere, neither out nor to the DLQ.
 */
final class ReplayGate implements Processor<byte[], byte[], byte[], byte[]> {

    private final ReplayPlan plan;
    private final Throttle throttle;
    private ProcessorContext<byte[], byte[]> context;
    private TaskMetrics metrics;

    ReplayGate(ReplayPlan plan, Throttle throttle) {
        this.plan = plan;
        this.throttle = throttle;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.metrics = new TaskMetrics(context.metrics(), context.taskId());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        if (!plan.contains(source.topic(), source.partition(), source.offset(), record.timestamp())) {
            metrics.increment("replay-skipped", "Source records outside the replay's offset range or time window");
            return;
        }
        if (throttle != null) {
            throttle.acquire();
        }
        context.forward(record);
    }

    @Override
    public void close() {
        metrics.close();
    }
}
