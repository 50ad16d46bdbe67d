package io.streamnlp.config;

import io.streamnlp.deadletter.DeadLetteringProcessingExceptionHandler;
import io.streamnlp.deadletter.LoudProductionExceptionHandler;
import io.streamnlp.state.BoundedRocksDbMemory;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka clients' settings derived from a {@link StreamNlpConfig}: ours first, then every
 * {@code kafka.*} pass-through, which wins.
 */
final class KafkaClientProperties {

    /**
     * Kafka settings StreamNLP changes from Kafka's defaults for latency (issue #14, measured by
     * {@code bench --levers}): the stream thread blocks in poll at most 10 ms (not 100), so a due
     * batch or commit is never held back by an idle poll; its consumers' fetches wait at most 10 ms
     * (not 500) for data. Each can be set back with {@code kafka.*}.
     */
    static final Map<String, Object> LATENCY_DEFAULTS = Map.of(
            StreamsConfig.POLL_MS_CONFIG, 10L,
            StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 10);

    /**
     * Under exactly-once a result is visible to read_committed readers only when its transaction
     * commits, once per commit interval and once per transactional hop (two with the by-text hop):
     * 50 ms instead of Kafka's 100 halves that wait; the extra commits cost no measurable throughput
     * ({@code bench --levers}).
     */
    static final long EXACTLY_ONCE_COMMIT_INTERVAL_MS = 50L;

    private KafkaClientProperties() {
    }

    /** Kafka Streams properties: ours, then every {@code kafka.*} pass-through (which wins). */
    static Properties streams(StreamNlpConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.numStreamThreads());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        // Unexpected errors in a stage dead-letter the input record instead of stopping the app.
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.outputTopics().deadLetters());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringProcessingExceptionHandler.class);
        // A record the producer refuses (too large, say) is one loud ERROR line naming the setting, then a failed thread.
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, LoudProductionExceptionHandler.class);
        enableProcessingExceptionHandlerOnGlobalThread(props);
        // A stream thread runs every batch of one poll before it polls again: bound that work so a
        // thread never passes max.poll.interval.ms (default 300 s) even with the longest texts.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG),
                StreamNlpConfig.MAX_POLL_BATCHES * config.batchSettings().maxRecords());
        props.putAll(BoundedRocksDbMemory.streamsProperties(config.stateMemoryBytes())); // one bounded pool for all stores
        props.putAll(LATENCY_DEFAULTS);
        if (config.processingGuarantee().startsWith("exactly_once")) {
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, EXACTLY_ONCE_COMMIT_INTERVAL_MS);
        }
        props.putAll(config.kafkaPassThrough()); // kafka.* overrides all of the above
        return props;
    }

    /**
     * Sets {@code processing.exception.handler.global.enabled=true}. The key is deprecated (KIP-1270)
     * only because Kafka Streams 5.0 drops it and always behaves as if it were true; until then it
     * must be set, or the global thread would not use the handler and Streams warns at every start.
     * Nothing replaces it before 5.0, so the deprecation warning here is no call to change anything.
     * Remove this method when moving to Kafka Streams 5.
     */
    @SuppressWarnings("deprecation")
    private static void enableProcessingExceptionHandlerOnGlobalThread(Properties props) {
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    }

    /** Admin client settings (topic creation in the CLI and tests): the pass-through minus the per-client ones. */
    static Map<String, Object> admin(StreamNlpConfig config) {
        Map<String, Object> props = new HashMap<>(config.kafkaPassThrough());
        props.keySet().removeIf(key -> key.startsWith("producer.") || key.startsWith("consumer.")
                || key.startsWith("main.consumer.") || key.startsWith("restore.consumer.")
                || key.startsWith("global.consumer."));
        props.put("bootstrap.servers", config.bootstrapServers());
        return props;
    }
}
