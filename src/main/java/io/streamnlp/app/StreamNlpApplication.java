package io.streamnlp.app;

import io.streamnlp.bytext.ByTextTopic;
import io.streamnlp.enrich.Enricher;
import io.streamnlp.inference.EncoderSessions;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.heads.Heads;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.live.LiveFeed;
import io.streamnlp.live.LiveView;
import io.streamnlp.ops.AccountingLog;
import io.streamnlp.ops.Health;
import io.streamnlp.ops.OpsServer;
import io.streamnlp.ops.Telemetry;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.topology.EnrichmentTopology;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
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
    private final LiveView liveView;
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
        this.enricher = new Enricher(sessions, heads, config.getBoolean(StreamNlpConfig.INFERENCE_BATCH_INVARIANT),
                config.intraOpThreads());
        RegistrySettings registrySettings = RegistrySettings.fromConfig(config.registrySettings());
        this.registry = new SchemaRegistryClient(registrySettings);
        this.telemetry = new Telemetry(config.getString(StreamNlpConfig.APPLICATION_ID), encoder.spec().name(),
                encoder.spec().version(), heads.versions());
        // The live page lives on the operations endpoint: without the endpoint, none of its work.
        this.liveView = config.liveEnabled() && config.getInt(StreamNlpConfig.METRICS_PORT) >= 0
                ? new LiveView(new LiveView.Identity(config.getString(StreamNlpConfig.APPLICATION_ID), encoder.spec().name(),
                        encoder.spec().version(), heads.sentiment().version(), heads.ner().version()),
                        telemetry.registry(), telemetry.pipeline(), this::stateName)
                : null;
        Topology topology = EnrichmentTopology.build(config, enricher, registry, inputGate, telemetry.pipeline(),
                liveView == null ? LiveFeed.NONE : liveView);
        LOG.debug("Topology:\n{}", topology.describe());
        this.streams = new KafkaStreams(topology, streamsProperties(config));
        // A thread that dies (e.g. the registry unreachable) is replaced and resumes from the last
        // commit; records are neither skipped nor lost.
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("Stream thread failed; replacing it and resuming from the last commit", error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> LOG.info("Kafka Streams state {} -> {}", before, now));
        telemetry.bind(streams);
    }

    /**
     * The configuration's Kafka Streams properties, plus the global processing-exception-handler
     * flag again for the main consumer: Kafka Streams' partition assignor builds its own
     * StreamsConfig from the consumer's settings, which do not carry it, and would warn at every
     * start that the flag is off (it is on: see StreamNlpConfig).
     */
    private static Properties streamsProperties(StreamNlpConfig config) {
        Properties props = config.streamsProperties();
        props.putIfAbsent(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
                props.getOrDefault(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true));
        return props;
    }

    private String stateName() {
        return streams.state().name();
    }

    public void start() {
        LOG.info("Starting {} on {} reading {} (guarantee {})", config.getString(StreamNlpConfig.APPLICATION_ID),
                config.getString(StreamNlpConfig.BOOTSTRAP_SERVERS), config.inputTopics(),
                config.getString(StreamNlpConfig.PROCESSING_GUARANTEE));
        if (config.getBoolean(StreamNlpConfig.CACHE_ENABLED)) {
            byTextTopic = new ByTextTopic(config);
            byTextTopic.ensure(config.inputTopics());
        }
        int metricsPort = config.getInt(StreamNlpConfig.METRICS_PORT);
        if (metricsPort >= 0) {
            opsServer = OpsServer.start(metricsPort, telemetry, this::health,
                    liveView == null ? Map.of() : liveView.handlers());
            if (liveView != null) {
                liveView.start();
            }
        }
        streams.start();
        accountingLog = new AccountingLog(streams, Duration.ofSeconds(config.getInt(StreamNlpConfig.ACCOUNTING_LOG_INTERVAL_S)));
    }

    /** Liveness and readiness now (the model is loaded: it was, before this object existed). */
    public Health health() {
        return Health.of(streams.state());
    }

    /** The port of the metrics and health endpoint, or -1 when it is off. */
    public int metricsPort() {
        return opsServer == null ? -1 : opsServer.port();
    }

    /** The port of the live page (the operations endpoint's), or -1 when there is none. */
    public int livePagePort() {
        return liveView == null || opsServer == null ? -1 : opsServer.port();
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
        if (liveView != null) {
            liveView.close();
        }
        telemetry.close();
        enricher.close();
        sessions.close();
        registry.close();
        encoder.close();
        LOG.info("Stopped");
    }
}
