package io.streamnlp.deadletter;

import io.streamnlp.registry.SchemaRegistryException;
import io.streamnlp.registry.UnknownInternalSchemaException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' processing exception handler (KIP-1033), for the errors our own stages did not
 * expect: the input record goes to the dead-letter topic (KIP-1034 style, original bytes, our
 * headers) and processing continues. An unreachable registry, and internal state written by a newer
 * version ({@link UnknownInternalSchemaException}), are the exceptions: they are not the record's
 * fault, so the thread fails, is replaced, and retries from the last commit.
 */
public final class DeadLetteringProcessingExceptionHandler implements ProcessingExceptionHandler {

    public static final String REASON = "processing-error";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetteringProcessingExceptionHandler.class);

    private String deadLetterTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null) {
            throw new IllegalArgumentException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " is not set");
        }
        deadLetterTopic = topic.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (isTransient(exception)) {
            LOG.warn("Failure in {} at {}-{}@{} that is not the record's fault; the thread will retry from the last commit: {}",
                    context.processorNodeId(), context.topic(), context.partition(), context.offset(), exception.toString());
            return Response.fail();
        }
        LOG.error("Dead-lettering {}-{}@{} after an error in {}", context.topic(), context.partition(), context.offset(),
                context.processorNodeId(), exception);
        RejectedInputException reason = new RejectedInputException(REASON, String.valueOf(exception.getMessage()), exception);
        var headers = DeadLetterHeaders.describe(context.headers(), reason, context.processorNodeId(),
                context.topic(), context.partition(), context.offset(), context.timestamp());
        return Response.resume(List.of(new ProducerRecord<>(deadLetterTopic, null, context.timestamp(),
                context.sourceRawKey(), context.sourceRawValue(), headers)));
    }

    /**
     * Not the record's fault, so not dead-lettered: an unreachable registry (retried), or internal
     * state written by a newer version (this instance must be upgraded; until then its thread
     * fails and retries, skipping nothing).
     */
    static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registry && registry.isRetriable()) {
                return true;
            }
            if (t instanceof UnknownInternalSchemaException) {
                return true;
            }
        }
        return false;
    }
}
