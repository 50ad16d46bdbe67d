package io.streamnlp.ingest;

import io.streamnlp.budget.RecordBudget;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.deadletter.RejectedInputException;
import org.apache.kafka.common.header.Headers;

/**
 * How large an input record may be, and the budget of what the pipeline writes.
 *
 * <p>The by-text record carries the event's key, id and text and (Avro, JSON) the original value and
 * headers: at most about twice the input record. Holding the input to {@code maxRecordBytes} therefore
 * keeps every record built from it within {@code budget}; the configuration refuses a
 * {@code max.record.bytes} for which that arithmetic does not hold ({@code StreamNlpConfig}).
 *
 * @param maxRecordBytes the most bytes of key, value and headers an input record may have
 * @param budget what the producer accepts; dead letters of rejected input are fitted to it
 */
public record InputLimits(int maxRecordBytes, RecordBudget budget) {

    /**
     * Rejects a record over {@link #maxRecordBytes}, reason {@link RejectReason#TOO_LARGE}. Headers count
     * as Kafka frames them, lengths included ({@link RecordBudget#headersSize}): a header's bytes alone
     * would let 200,000 empty headers pass as 200 kB, yet they take 600 kB in Kafka's record and in the
     * by-text record alike.
     */
    void check(byte[] key, byte[] value, Headers headers) throws RejectedInputException {
        long bytes = length(key) + length(value) + RecordBudget.headersSize(headers);
        if (bytes > maxRecordBytes) {
            throw new RejectedInputException(RejectReason.TOO_LARGE, "record of " + bytes
                    + " bytes (key, value and headers) is over max.record.bytes=" + maxRecordBytes);
        }
    }

    private static long length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
