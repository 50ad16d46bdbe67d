package io.streamnlp.app;

import io.streamnlp.bytext.ByTextTopic;
import io.streamnlp.enrich.Enricher;
import io.streamnlp.inference.EncoderSessions;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.heads.Heads;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.ops.AccountingLog;
import io.streamnlp.ops.Health;
import io.streamnlp.ops.OpsServer;
import io.streamnlp.ops.Telemetry;
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
    private final Enricher enricher;
    private final SchemaRegistryClient registry;
    private final KafkaStreams streams;
    private final Telemetry telemetry;
    private AccountingLog accountingLog;
    private OpsServer opsServer;
    private ByTextTopic byTextTopic;

    public StreamNlpApplication(StreamNlpConfig config) {
        this(config, null);
    }

    /**
     * @param inputGate see {@link EnrichmentTopology#build(StreamNlpConfig, Enricher, SchemaRegistryClient,
     *     ProcessorSupplier, io.streamnlp.ops.PipelineMeters)}
     */
    public StreamNlpApplication(StreamNlpConfig config, ProcessorSupplier<byte[], byte[], byte[], byte[]> inputGate) {
        this.config = config;
        long started = System.nanoTime();
        this.encoder = Encoder.load(
                ModelCatalogue.byName(config.modelName()),
                config.maxLength(),
                config.intraOpThreads(),
                config.bucketing());
        LOG.info("Loaded encoder {} ({}) in {} ms, {} ONNX Runtime thread(s) per call",
                encoder.spec().name(), encoder.spec().version(), (System.nanoTime() - started) / 1_000_000,
                config.intraOpThreads());
        this.sessions = new EncoderSessions(encoder);
        Heads heads = Heads.load(encoder.spec().name());
        LOG.info("Loaded task heads {}", heads.versions());
        this.enricher = new Enricher(sessions, heads, config.batchInvariant(),
                config.intraOpThreads());
        this.registry = new SchemaRegistryClient(config.registry());
        this.telemetry = new Telemetry(config.applicationId(), encoder.spec().name(),
                encoder.spec().version(), heads.versions());
        Topology topology = EnrichmentTopology.build(config, enricher, registry, inputGate, telemetry.pipeline());
        LOG.debug("Topology:\n{}", topology.describe());
        this.streams = new KafkaStreams(topology, config.streamsProperties());
        // A thread that dies (e.g. the registry unreachable) is replaced and resumes from the last
        // commit; records are neither skipped nor lost.
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("Stream thread failed; replacing it and resuming from the last commit", error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> LOG.info("Kafka Streams state {} -> {}", before, now));
        telemetry.bind(streams);
    }

    public void start() {
        LOG.info("Starting {} on {} reading {} (guarantee {})", config.applicationId(),
                config.bootstrapServers(), config.inputTopics(), config.processingGuarantee());
        if (config.cacheEnabled()) {
            byTextTopic = new ByTextTopic(config);
            byTextTopic.ensure(config.inputTopics());
        }
        int metricsPort = config.metricsPort();
        if (metricsPort >= 0) {
            opsServer = OpsServer.start(metricsPort, telemetry, this::health);
        }
        streams.start();
        accountingLog = new AccountingLog(streams, config.accountingLogInterval());
    }

    /** Liveness and readiness now (the model is loaded: it was, before this object existed). */
    public Health health() {
        return Health.of(streams.state());
    }

    /** The port of the metrics and health endpoint, or -1 when it is off. */
    public int metricsPort() {
        return opsServer == null ? -1 : opsServer.port();
    }

    public Telemetry telemetry() {
        return telemetry;
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
        if (opsServer != null) {
            opsServer.close();
        }
        telemetry.close();
        enricher.close();
        sessions.close();
        registry.close();
        encoder.close();
        LOG.info("Stopped");
    }
}
