package io.streamnlp.ingest;

import io.streamnlp.budget.RecordBudget;
import io.streamnlp.deadletter.RejectedInputException;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.deadletter.DeadLetterHeaders;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.schema.internal.OriginalHeader;
import io.streamnlp.schema.internal.PendingText;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First stage: raw bytes of one input format to a validated {@link PendingText} for the batcher, or
 * to the dead-letter child with the reason in headers. A bad record never throws out of here, so it
 * can neither stop its partition nor be lost: it is forwarded, counted and logged.
 */
public final class IngestProcessor implements Processor<byte[], byte[], byte[], Object> {

    public static final String STAGE = "ingest";

    private static final Logger LOG = LoggerFactory.getLogger(IngestProcessor.class);

    private final TextEventParser parser;
    private final EventValidator validator;
    private final InputLimits limits;
    private final String acceptedChild;
    private final String deadLetterChild;
    private ProcessorContext<byte[], Object> context;
    private TaskMetrics metrics;

    public IngestProcessor(TextEventParser parser, EventValidator validator, InputLimits limits, String acceptedChild,
            String deadLetterChild) {
        this.parser = parser;
        this.validator = validator;
        this.limits = limits;
        this.acceptedChild = acceptedChild;
        this.deadLetterChild = deadLetterChild;
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
        this.metrics = new TaskMetrics(context.metrics(), context.taskId());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        metrics.increment("records-in", "Input records read, per topic and partition",
                "topic", source.topic(), "partition", Integer.toString(source.partition()));
        try {
            if (record.value() == null) {
                throw new RejectedInputException(RejectReason.NULL_VALUE, "record value is null (tombstone)");
            }
            // Before parsing: a record over the limit costs no parse, and nothing built from it can outgrow the budget.
            limits.check(record.key(), record.value(), record.headers());
            TextEvent event = parser.parse(source.topic(), record.key(), record.value());
            validator.validate(event);
            context.forward(record.withValue((Object) pending(record, event, source, parser.valueIsText())), acceptedChild);
        } catch (RejectedInputException rejected) {
            deadLetter(record, source, rejected);
        }
    }

    /** The accepted event as the next stage gets it (package-private: the fuzz tests check every accepted event). */
    static PendingText pending(Record<byte[], byte[]> record, TextEvent event, RecordMetadata source,
            boolean valueIsText) {
        long eventTime = event.getEventTime() != null ? event.getEventTime().toEpochMilli() : record.timestamp();
        return PendingText.newBuilder()
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setId(event.getId())
                .setText(event.getText())
                .setEventTime(eventTime)
                .setTimestamp(record.timestamp())
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                // The record as consumed, so that a later stage can still dead-letter the original; a plain-text
                // value is the text's own UTF-8 bytes, so it is carried once, as the text (FailedText encodes it back).
                .setOriginalValue(valueIsText ? null : ByteBuffer.wrap(record.value()))
                .setOriginalHeaders(headers(record))
                .build();
    }

    private static List<OriginalHeader> headers(Record<byte[], byte[]> record) {
        List<OriginalHeader> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new OriginalHeader(header.key(), header.value() == null ? null : ByteBuffer.wrap(header.value())));
        }
        return headers;
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordMetadata source, RejectedInputException rejected) {
        LOG.warn("Dead-lettering {}-{}@{}: {} ({})", source.topic(), source.partition(), source.offset(),
                rejected.reason(), rejected.getMessage());
        metrics.increment("dead-lettered", "Records sent to the dead-letter topic, per reason and partition",
                "reason", rejected.reason(), "topic", source.topic(), "partition", Integer.toString(source.partition()));
        var headers = DeadLetterHeaders.describe(record.headers(), rejected, STAGE,
                source.topic(), source.partition(), source.offset(), record.timestamp());
        DeadLetterHeaders.Fitted fitted = DeadLetterHeaders.fit(limits.budget(), record.key(), record.value(), headers);
        context.forward(new Record<byte[], Object>(fitted.key(), fitted.value(), record.timestamp(), headers), deadLetterChild);
    }

    @Override
    public void close() {
        metrics.close();
    }
}
