package io.streamnlp.deadletter;

import io.streamnlp.budget.RecordBudget;
import io.streamnlp.ops.DeadLetterTally;
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
 * expect. A record's own fault sends the input record to the dead-letter topic (KIP-1034 style:
 * original bytes, our headers) and processing continues. Anything else is not the record's fault
 * (see {@link Blame}): the thread fails, its transaction aborts, and it resumes from the last commit
 * (see the application's thread supervisor for the bound on that). An error in a punctuation has no
 * input record to blame at all: the micro-batch stage dead-letters the texts that fail on their own,
 * so what reaches this handler from a punctuation fails the thread too.
 */
public final class DeadLetteringProcessingExceptionHandler implements ProcessingExceptionHandler {

    public static final String REASON = "processing-error";
    /** Config key under which the application passes its {@link DeadLetterTally} (an object, not a string). */
    public static final String TALLY_CONFIG = "streamnlp.dead.letter.tally";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetteringProcessingExceptionHandler.class);

    private String deadLetterTopic;
    private DeadLetterTally tally = DeadLetterTally.NONE;
    private DeadLetterRedaction redaction;
    private RecordBudget budget = RecordBudget.of(RecordBudget.KAFKA_DEFAULT_MAX_REQUEST_SIZE);

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null) {
            throw new IllegalArgumentException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " is not set");
        }
        deadLetterTopic = topic.toString();
        budget = RecordBudget.ofStreamsConfig(configs);
        if (configs.get(TALLY_CONFIG) instanceof DeadLetterTally given) {
            tally = given;
        }
        if (configs.get(DeadLetterRedaction.CONFIG) instanceof DeadLetterRedaction given) {
            redaction = given;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (context.topic() == null) {
            LOG.warn("Error in {} outside of any input record (a punctuation): failing the stream thread (nothing is "
                    + "dead-lettered or skipped): {}", context.processorNodeId(), exception.toString());
            return Response.fail();
        }
        if (!Blame.recordAtFault(exception)) {
            LOG.warn("Failure in {} at {}-{}@{} that is not the record's fault: failing the stream thread (nothing is "
                    + "dead-lettered or skipped): {}", context.processorNodeId(), context.topic(), context.partition(), context.offset(),
                    exception.toString());
            return Response.fail();
        }
        LOG.error("Dead-lettering {}-{}@{} after an error in {}", context.topic(), context.partition(), context.offset(),
                context.processorNodeId(), exception);
        RejectedInputException reason = new RejectedInputException(REASON, String.valueOf(exception.getMessage()), exception);
        var headers = DeadLetterHeaders.describe(context.headers(), reason, context.processorNodeId(),
                context.topic(), context.partition(), context.offset(), context.timestamp());
        tally.count(context.topic(), context.partition(), REASON);
        DeadLetterHeaders.Fitted fitted = redaction != null
                ? redaction.apply(budget, context.sourceRawKey(), context.sourceRawValue(), headers)
                : DeadLetterHeaders.fit(budget, context.sourceRawKey(), context.sourceRawValue(), headers);
        return Response.resume(List.of(new ProducerRecord<>(deadLetterTopic, null, context.timestamp(),
                fitted.key(), fitted.value(), headers)));
    }
}
