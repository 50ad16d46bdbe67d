package io.streamnlp.deadletter;

import io.streamnlp.budget.RecordBudget;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' production exception handler: a record the producer refused says so in one ERROR
 * line that names the record and the setting to change, then fails the stream thread. A retriable
 * error (a broker roll) is retried, as Kafka's default handler does.
 *
 * <p>Every stage measures what it writes against {@link RecordBudget} first, so a refused record
 * means a limit the pipeline did not know about (a topic's smaller {@code max.message.bytes}, say).
 * It cannot be dead-lettered instead: under exactly-once the producer's error already doomed the
 * transaction (Kafka aborts it whatever a handler answers), and skipping it under at-least-once would
 * lose an accepted event silently. Failing is what the thread supervisor bounds and reports.
 */
public final class LoudProductionExceptionHandler implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LoudProductionExceptionHandler.class);

    private int maxRequestSize = RecordBudget.KAFKA_DEFAULT_MAX_REQUEST_SIZE;

    @Override
    public void configure(Map<String, ?> configs) {
        maxRequestSize = RecordBudget.ofStreamsConfig(configs).limit();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        int size = RecordBudget.sizeOf(record.key(), record.value(), record.headers());
        if (exception instanceof RetriableException) {
            // A broker roll, a slow ISR: as Kafka's default handler, retry (the task is redone from its last
            // commit); failing the thread would count against max.thread.replacements for nothing.
            LOG.warn("A record for {} could not be written yet ({}); the task retries", record.topic(), exception.toString());
            return Response.retry();
        }
        if (exception instanceof RecordTooLargeException) {
            LOG.error("A record of {} bytes for {} (from {}-{}@{}) was refused as too large (max.request.size={}): lower "
                    + "max.record.bytes or max.text.bytes, or raise kafka.producer.max.request.size and the topic's "
                    + "max.message.bytes; failing the stream thread", size, record.topic(), context.topic(),
                    context.partition(), context.offset(), maxRequestSize);
        } else {
            LOG.error("A record of {} bytes for {} (from {}-{}@{}) could not be written: {}; failing the stream thread",
                    size, record.topic(), context.topic(), context.partition(), context.offset(), exception.toString());
        }
        return Response.fail();
    }
}
