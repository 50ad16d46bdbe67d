package io.streamnlp.topology;

import io.streamnlp.budget.RecordBudget;
import io.streamnlp.deadletter.DeadLetterHeaders;
import io.streamnlp.deadletter.DeadLetterRedaction;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Between every stage that dead-letters and the dead-letter sink while {@code pii.redact} is on (and
 * {@code pii.dead.letters} is not {@code keep}): each dead letter's value is redacted or dropped
 * ({@link DeadLetterRedaction}) before it is written.
 */
final class DeadLetterRedactor implements Processor<byte[], byte[], byte[], byte[]> {

    private final DeadLetterRedaction redaction;
    private final RecordBudget budget;
    private ProcessorContext<byte[], byte[]> context;

    DeadLetterRedactor(DeadLetterRedaction redaction, RecordBudget budget) {
        this.redaction = redaction;
        this.budget = budget;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        DeadLetterHeaders.Fitted fitted = redaction.apply(budget, record.key(), record.value(), record.headers());
        context.forward(record.withKey(fitted.key()).withValue(fitted.value()), TopologyNames.DEAD_LETTER_SINK);
    }
}
