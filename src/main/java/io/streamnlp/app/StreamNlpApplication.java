package io.streamnlp.app;

import io.streamnlp.batching.EncoderSessions;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.heads.Heads;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.ops.AccountingLog;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.topology.EnrichmentTopology;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running StreamNLP instance: the loaded encoder, the registry client and the Kafka Streams
 * application around the topology. Owns them all and closes them in reverse order.
 */
public final class StreamNlpApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamNlpApplication.class);

    private final StreamNlpConfig config;
    private final Encoder encoder;
    private final EncoderSessions sessions;
    private final SchemaRegistryClient registry;
    private final KafkaStreams streams;
    private AccountingLog accountingLog;
    private ByTextTopic byTextTopic;

    public StreamNlpApplication(StreamNlpConfig config) {
        this(config, null);
    }

    /** @param inputGate see {@link EnrichmentTopology#build(StreamNlpConfig, EncoderSessions, Heads, SchemaRegistryClient, ProcessorSupplier)} */
    public StreamNlpApplication(StreamNlpConfig config, ProcessorSupplier<byte[], byte[], byte[], byte[]> inputGate) {
        this.config = config;
        long started = System.nanoTime();
        this.encoder = Encoder.load(
                ModelCatalogue.byName(config.getString(StreamNlpConfig.MODEL_NAME)),
                config.getInt(StreamNlpConfig.MODEL_MAX_LENGTH),
                config.intraOpThreads(),
                config.getBoolean(StreamNlpConfig.BATCH_BUCKETING));
        LOG.info("Loaded encoder {} ({}) in {} ms, {} ONNX Runtime thread(s) per call",
                encoder.spec().name(), encoder.spec().version(), (System.nanoTime() - started) / 1_000_000,
                config.intraOpThreads());
        this.sessions = new EncoderSessions(encoder);
        Heads heads = Heads.load(encoder.spec().name());
        LOG.info("Loaded task heads {}", heads.versions());
        RegistrySettings registrySettings = RegistrySettings.fromConfig(config.registrySettings());
        this.registry = new SchemaRegistryClient(registrySettings);
        Topology topology = EnrichmentTopology.build(config, sessions, heads, registry, inputGate);
        LOG.debug("Topology:\n{}", topology.describe());
        this.streams = new KafkaStreams(topology, config.streamsProperties());
        // A thread that dies (e.g. the registry unreachable) is replaced and resumes from the last
        // commit; records are neither skipped nor lost.
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("Stream thread failed; replacing it and resuming from the last commit", error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> LOG.info("Kafka Streams state {} -> {}", before, now));
    }

    public void start() {
        LOG.info("Starting {} on {} reading {} (guarantee {})", config.getString(StreamNlpConfig.APPLICATION_ID),
                config.getString(StreamNlpConfig.BOOTSTRAP_SERVERS), config.inputTopics(),
                config.getString(StreamNlpConfig.PROCESSING_GUARANTEE));
        if (config.getBoolean(StreamNlpConfig.CACHE_ENABLED)) {
            byTextTopic = new ByTextTopic(config);
            byTextTopic.ensure(config.inputTopics());
        }
        streams.start();
        accountingLog = new AccountingLog(streams, Duration.ofSeconds(config.getInt(StreamNlpConfig.ACCOUNTING_LOG_INTERVAL_S)));
    }

    public KafkaStreams streams() {
        return streams;
    }

    public EncoderSessions encoderSessions() {
        return sessions;
    }

    @Override
    public void close() {
        // Close waits for the current batch; texts still collecting stay in the pending store.
        streams.close(Duration.ofSeconds(60));
        if (accountingLog != null) {
            accountingLog.close();
        }
        if (byTextTopic != null) {
            byTextTopic.close();
        }
        sessions.close();
        registry.close();
        encoder.close();
        LOG.info("Stopped");
    }
}
