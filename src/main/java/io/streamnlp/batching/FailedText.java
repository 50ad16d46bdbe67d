package io.streamnlp.batching;

import io.streamnlp.budget.RecordBudget;
import io.streamnlp.deadletter.DeadLetterHeaders;
import io.streamnlp.deadletter.DeadLetteringProcessingExceptionHandler;
import io.streamnlp.deadletter.RejectedInputException;
import io.streamnlp.schema.internal.OriginalHeader;
import io.streamnlp.schema.internal.PendingText;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The dead letter of a text whose enrichment failed on its own: the input record as it was consumed
 * (key and value bytes, headers, carried through the by-text hop in the {@link PendingText}) with
 * the reason and the source coordinates in our headers, exactly like a dead letter of the ingest
 * stage, so one consumer of the dead-letter topic can re-publish either.
 */
public record FailedText(PendingText event, RejectedInputException reason, String stage) {

    /** The same reason code as the processing exception handler's: an error nobody expected, in a stage. */
    public static final String REASON = DeadLetteringProcessingExceptionHandler.REASON;

    /** A text that failed with an error nobody expected ({@link #REASON}). */
    public static FailedText of(PendingText event, RuntimeException error, String stage) {
        return new FailedText(event, new RejectedInputException(REASON, String.valueOf(error.getMessage()), error), stage);
    }

    /** The dead letter, its value fitted to {@code budget} (see {@link DeadLetterHeaders#fit}). */
    public Record<byte[], byte[]> record(RecordBudget budget) {
        Headers original = new RecordHeaders();
        for (OriginalHeader header : event.getOriginalHeaders()) {
            original.add(header.getKey(), header.getValue() == null ? null : bytes(header.getValue()));
        }
        Headers headers = DeadLetterHeaders.describe(original, reason, stage, event.getSourceTopic(),
                event.getSourcePartition(), event.getSourceOffset(), event.getTimestamp());
        byte[] key = event.getKey() == null ? null : bytes(event.getKey());
        // No original value: a plain-text record (its value is the text's UTF-8 bytes, so this gives it back
        // exactly), or state written before the original bytes were carried (the best we have).
        byte[] value = event.getOriginalValue() != null ? bytes(event.getOriginalValue())
                : event.getText().getBytes(StandardCharsets.UTF_8);
        DeadLetterHeaders.Fitted fitted = DeadLetterHeaders.fit(budget, key, value, headers);
        return new Record<>(fitted.key(), fitted.value(), event.getTimestamp(), headers);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
