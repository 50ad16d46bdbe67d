package io.streamnlp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.utils.internals.LogContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The expected Kafka warnings are dropped, through Kafka's own LogContext loggers; their neighbours are kept. */
class ExpectedKafkaWarningsTest {

    private static final String[] LOGGERS = {ExpectedKafkaWarnings.SENDER, ExpectedKafkaWarnings.NETWORK_CLIENT,
        ExpectedKafkaWarnings.QUORUM_CONTROLLER, ExpectedKafkaWarnings.REPLICA_MANAGER,
        ExpectedKafkaWarnings.ADMIN_METADATA_MANAGER};

    @Test
    void dropsExactlyTheExpectedWarnings() {
        // Kafka's LogContext loggers come from the JVM's logback context: filter and listen there, briefly.
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ExpectedKafkaWarnings filter = new ExpectedKafkaWarnings();
        filter.start();
        context.addTurboFilter(filter);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.setContext(context);
        seen.start();
        Level[] levels = new Level[LOGGERS.length];
        for (int i = 0; i < LOGGERS.length; i++) {
            Logger logger = context.getLogger(LOGGERS[i]);
            levels[i] = logger.getLevel();
            logger.setLevel(Level.INFO);
            logger.addAppender(seen);
        }
        try {
            logSome(context);
        } finally {
            context.getTurboFilterList().remove(filter);
            for (int i = 0; i < LOGGERS.length; i++) {
                context.getLogger(LOGGERS[i]).detachAppender(seen);
                context.getLogger(LOGGERS[i]).setLevel(levels[i]);
            }
        }
        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "[Producer clientId=p, transactionalId=t] Got error produce response with correlation id 71 on topic-partition "
                        + "streamnlp.entities-1, retrying (2147483646 attempts left). Error: NOT_LEADER_OR_FOLLOWER",
                "[NodeToControllerChannelManager id=1 name=registration] Connection to node 1 (localhost/127.0.0.1:9092) could "
                        + "not be established. Node may not be available.",
                "[QuorumController id=1] Renouncing the leadership due to a metadata log event.",
                "[QuorumController id=1] Performing controller activation. The metadata log appears to be empty.",
                "[ReplicaManager broker=1] Error processing append operation on partition x:streamnlp.entities-0",
                "[AdminClient clientId=adminclient-1] Connection to node -1 (localhost/127.0.0.1:9093) failed authentication "
                        + "due to: Authentication failed during authentication due to invalid credentials with SASL mechanism "
                        + "SCRAM-SHA-512",
                "[AdminClient clientId=adminclient-1] Fatal error during metadata update");
        assertThat(seen.list.get(4).getThrowableProxy().getClassName()).isEqualTo(CorruptRecordException.class.getName());
    }

    private static void logSome(LoggerContext context) {
        org.slf4j.Logger sender = new LogContext("[Producer clientId=p, transactionalId=t] ")
                .logger(ExpectedKafkaWarnings.SENDER);
        sender.warn("Got error produce response with correlation id {} on topic-partition {}, retrying ({} attempts left). Error: {}",
                70, "streamnlp.entities-1", 2147483646, "CONCURRENT_TRANSACTIONS");
        sender.warn("Got error produce response with correlation id {} on topic-partition {}, retrying ({} attempts left). Error: {}",
                71, "streamnlp.entities-1", 2147483646, "NOT_LEADER_OR_FOLLOWER");
        Logger plainSender = context.getLogger(ExpectedKafkaWarnings.SENDER);
        plainSender.warn("Got error produce response with correlation id {} on topic-partition {}, retrying ({} attempts left). Error: {}",
                72, "t-0", 3, "CONCURRENT_TRANSACTIONS. Error Message: busy");

        org.slf4j.Logger network = new LogContext("[NodeToControllerChannelManager id=1 name=registration] ")
                .logger(ExpectedKafkaWarnings.NETWORK_CLIENT);
        network.warn("Attempting to close NetworkClient that has already been closed.");
        network.warn("Connection to node 1 (localhost/127.0.0.1:9092) could not be established. Node may not be available.");

        org.slf4j.Logger controller = new LogContext("[QuorumController id=1] ")
                .logger(ExpectedKafkaWarnings.QUORUM_CONTROLLER);
        controller.warn("Performing controller activation. The metadata log appears to be empty. Appending {} bootstrap record(s) "
                + "in metadata transaction at metadata.version {} from bootstrap source '{}'.", 6, "4.4-IV2", "bootstrap");
        controller.warn("Renouncing the leadership due to a metadata log event.");
        controller.info("Performing controller activation. The metadata log appears to be empty.");

        sender.warn("Got error produce response with correlation id {} on topic-partition {}, retrying ({} attempts left). Error: {}",
                43, "streamnlp.entities-0", 2147483646, "OUT_OF_ORDER_SEQUENCE_NUMBER");
        org.slf4j.Logger broker = LoggerFactory.getLogger(ExpectedKafkaWarnings.REPLICA_MANAGER);
        broker.error("[ReplicaManager broker=1] Error processing append operation on partition x:streamnlp.entities-0",
                new OutOfOrderSequenceException("Invalid sequence number for producer 1 at offset 43 in partition "
                        + "streamnlp.entities-0: 2 (incoming seq. number). Expected sequence 0 for transactions v2 "
                        + "idempotent producer with no existing state."));
        broker.error("[ReplicaManager broker=1] Error processing append operation on partition x:streamnlp.entities-0",
                new CorruptRecordException("a real problem"));

        // The start checks' admin client: its authentication failure is the start's own ERROR line; any other client's shows.
        SaslAuthenticationException refused = new SaslAuthenticationException("Authentication failed during authentication "
                + "due to invalid credentials with SASL mechanism SCRAM-SHA-512");
        for (String clientId : new String[] {"streamnlp" + ExpectedKafkaWarnings.PREFLIGHT_CLIENT_ID_SUFFIX, "adminclient-1"}) {
            LogContext admin = new LogContext("[AdminClient clientId=" + clientId + "] ");
            admin.logger(ExpectedKafkaWarnings.NETWORK_CLIENT).error("Connection to node {} ({}) failed authentication due to: {}",
                    -1, "localhost/127.0.0.1:9093", refused.getMessage());
            admin.logger(ExpectedKafkaWarnings.ADMIN_METADATA_MANAGER).warn("Fatal error during metadata update", refused);
        }

    }
}
