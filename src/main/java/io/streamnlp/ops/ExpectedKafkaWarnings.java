package io.streamnlp.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.slf4j.Marker;

/**
 * Drops the warnings (and one broker error) that Kafka logs in normal operation and that nobody can
 * act on, each matched exactly (logger, level, message), so that every other message of the same
 * loggers still shows. Installed by {@code logback.xml}; each one was seen in
 * {@code bin/streamnlp demo}, and {@code DemoLogsIntegrationTest} fails on any warning or error that
 * is not here. {@code -Dstreamnlp.log.expected.kafka.warnings=show} turns the filter off.
 *
 * <p>Exactly-once with transactions version 2 (Kafka 4's default), committing every 100 ms:
 *
 * <ul>
 *   <li>{@code Sender} WARN "Got error produce response ... retrying ... Error: CONCURRENT_TRANSACTIONS":
 *       a produce request that reaches a partition while the previous transaction's marker is still
 *       being written is answered CONCURRENT_TRANSACTIONS, on purpose, so that the producer retries
 *       it (KAFKA-18662).
 *   <li>{@code Sender} WARN "... retrying ... Error: OUT_OF_ORDER_SEQUENCE_NUMBER": the requests
 *       pipelined behind such a retried one reach the partition first; with no producer state there
 *       yet, the broker refuses any sequence but 0 with this retriable error (KAFKA-18202), and the
 *       producer resends them in order. The retries of both stay counted in
 *       {@code kafka_producer_record_retry_total}. (An out-of-order sequence the producer does not
 *       retry is logged otherwise, and still shows.)
 *   <li>{@code ReplicaManager} ERROR "Error processing append operation on partition ..." with an
 *       {@link OutOfOrderSequenceException}: the demo's embedded broker logging its side of the
 *       same refusal. StreamNLP's {@code run} never hosts a broker.
 * </ul>
 *
 * <p>The demo's embedded broker:
 *
 * <ul>
 *   <li>{@code NetworkClient} WARN "Attempting to close NetworkClient that has already been closed.":
 *       it closes its controller-registration channel twice while it shuts down (inside Kafka's
 *       server code); nothing is lost.
 *   <li>{@code QuorumController} WARN "Performing controller activation. The metadata log appears to
 *       be empty.": it is formatted afresh on every start, so its log is always empty then.
 * </ul>
 *
 * <p>The start checks' admin client (client id {@code <application.id>}{@value #PREFLIGHT_CLIENT_ID_SUFFIX}):
 *
 * <ul>
 *   <li>{@code NetworkClient} ERROR "Connection to node ... failed authentication due to: ..." and
 *       {@code AdminMetadataManager} WARN "Fatal error during metadata update" (with the exception's
 *       trace): the credentials or certificates were refused. The start fails on that very error and
 *       says it in its own one ERROR line, naming the setting to fix ({@code kafka.sasl.jaas.config},
 *       the trust or key store); Kafka's lines would only repeat it. Every other client still logs them.
 * </ul>
 */
public final class ExpectedKafkaWarnings extends TurboFilter {

    public static final String SWITCH = "streamnlp.log.expected.kafka.warnings";

    static final String SENDER = "org.apache.kafka.clients.producer.internals.Sender";
    static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";
    static final String QUORUM_CONTROLLER = "org.apache.kafka.controller.QuorumController";
    static final String REPLICA_MANAGER = "kafka.server.ReplicaManager";
    static final String ADMIN_METADATA_MANAGER = "org.apache.kafka.clients.admin.internals.AdminMetadataManager";

    /** Appended to the application id for the client id of the start checks' admin client. */
    public static final String PREFLIGHT_CLIENT_ID_SUFFIX = "-preflight";

    private final boolean off = "show".equalsIgnoreCase(System.getProperty(SWITCH));

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (off || format == null || logger == null || !(level == Level.WARN || level == Level.ERROR)) {
            return FilterReply.NEUTRAL;
        }
        return expected(logger.getName(), level, format, params, t) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    /**
     * Kafka's clients log through their {@code LogContext}, which formats the message (and adds its
     * prefix) before logback sees it: {@code format} is then the whole message and {@code params}
     * empty. Both forms are matched.
     */
    static boolean expected(String logger, Level level, String format, Object[] params, Throwable t) {
        if (preflightAuthentication(logger, level, format)) {
            return true;
        }
        if (level == Level.ERROR) {
            return logger.equals(REPLICA_MANAGER) && format.contains("Error processing append operation on partition")
                    && t instanceof OutOfOrderSequenceException;
        }
        return switch (logger) {
            case SENDER -> format.contains("Got error produce response") && format.contains("retrying")
                    && (errorIs(format, params, "CONCURRENT_TRANSACTIONS") || errorIs(format, params, "OUT_OF_ORDER_SEQUENCE_NUMBER"));
            case NETWORK_CLIENT -> format.contains("Attempting to close NetworkClient that has already been closed");
            case QUORUM_CONTROLLER -> format.contains("Performing controller activation. The metadata log appears to be empty.");
            default -> false;
        };
    }

    /** The start checks' admin client logging the authentication failure the start itself reports. */
    private static boolean preflightAuthentication(String logger, Level level, String format) {
        if (!format.contains("[AdminClient clientId=") || !format.contains(PREFLIGHT_CLIENT_ID_SUFFIX + "] ")) {
            return false;
        }
        return logger.equals(NETWORK_CLIENT) && level == Level.ERROR && format.contains("failed authentication due to")
                || logger.equals(ADMIN_METADATA_MANAGER) && level == Level.WARN
                        && format.contains("Fatal error during metadata update");
    }

    private static boolean errorIs(String format, Object[] params, String error) {
        if (format.contains("Error: " + error)) {
            return true;
        }
        return params != null && params.length > 0 && params[params.length - 1] != null
                && params[params.length - 1].toString().startsWith(error);
    }
}
