package io.streamnlp.app;

import io.micrometer.core.instrument.Gauge;
import io.streamnlp.bytext.ByTextTopic;
import io.streamnlp.ops.DeadLetterTally;
import io.streamnlp.deadletter.DeadLetterRedaction;
import io.streamnlp.deadletter.DeadLetteringProcessingExceptionHandler;
import io.streamnlp.enrich.FaultInjection;
import io.streamnlp.ingest.InputTopic;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryException;
import io.streamnlp.topics.KafkaAccess;
import io.streamnlp.topics.TopicPreflight;
import io.streamnlp.topics.TopicsUnavailableException;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import io.streamnlp.ops.ExpectedKafkaWarnings;
import io.streamnlp.enrich.Enricher;
import io.streamnlp.inference.EncoderSessions;
import io.streamnlp.config.CachePlacement;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.guard.ModelChangeRefusedException;
import io.streamnlp.guard.ModelGuard;
import io.streamnlp.guard.OutputFormatChangeRefusedException;
import io.streamnlp.guard.ModelIdentity;
import io.streamnlp.heads.Classifiers;
import io.streamnlp.heads.Heads;
import io.streamnlp.language.LanguageGate;
import io.streamnlp.language.LanguageSettings;
import io.streamnlp.inference.CustomModel;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.ModelDirectoryException;
import io.streamnlp.heads.MissingHeadsException;
import io.streamnlp.model.HeadPlan;
import io.streamnlp.model.HeadProfile;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.live.LiveFeed;
import io.streamnlp.live.LiveView;
import io.streamnlp.ops.AccountingLog;
import io.streamnlp.ops.Health;
import io.streamnlp.ops.OpsServer;
import io.streamnlp.ops.StoreGaugeFreeKafkaStreams;
import io.streamnlp.ops.Telemetry;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.state.BoundedRocksDbMemory;
import io.streamnlp.topology.EnrichmentTopology;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
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
    private static final Duration PREFLIGHT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private final ThreadSupervisor supervisor;
    private final int widestInput;
    private final DeadLetterTally deadLetterTally = new DeadLetterTally();
    private final LiveView liveView;
    private AccountingLog accountingLog;
    private OpsServer opsServer;
    private ByTextTopic byTextTopic;
    private final Set<String> internalTopics;

    /**
     * Checks what the run needs (input topics exist, output topics exist or are created, the registry
     * accepts our credentials), then loads the model and builds the application.
     *
     * @throws StartupFailedException when a check fails; its message names what and the setting to change
     */
    public StreamNlpApplication(StreamNlpConfig config) {
        this(config, null);
    }

    /**
     * @param inputGate see {@link EnrichmentTopology#build(StreamNlpConfig, Enricher, SchemaRegistryClient,
     *     ProcessorSupplier, io.streamnlp.ops.PipelineMeters)}
     */
    public StreamNlpApplication(StreamNlpConfig config, ProcessorSupplier<byte[], byte[], byte[], byte[]> inputGate) {
        // What the run needs is checked before the model loads: a start that cannot work ends in a
        // second or two, naming the topic or setting, instead of after the model and at the first record.
        // The encoder's files and heads first (a custom model directory is checked whole, and its graph tried
        // on a short and a max-length text against its model.properties), then Kafka and the registry:
        // nothing is created for a model that cannot run.
        EncoderSpec spec = encoderSpec(config);
        HeadPlan plan = config.headPlan();
        // Checked now (the packaged graph's heads); those of the graph that runs are taken once it is decided, below.
        Heads heads = plan.any() ? heads(spec, config.headsProfile(), plan) : null;
        Classifiers classifiers = classifiers(config, spec);
        this.registry = new SchemaRegistryClient(config.registry());
        Preflight preflight;
        try {
            preflight = preflight(config);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        this.widestInput = preflight.widestInput();
        // From here on the configuration says where the cache lives: cache.placement=auto is decided now,
        // once, from what the cluster holds, and the topology and start are built from that answer.
        boolean auto = config.cachePlacement() == CachePlacement.AUTO;
        config = config.withCachePlacementResolved(preflight.byTextTopicExists());
        // Likewise the encoder's graph: model.graph=auto is decided now, from the encoder, the classifiers and what
        // the output prefix holds.
        if (config.modelGraphAuto()) {
            try {
                config = config.withModelGraphResolved(autoGraph(config, spec, classifiers));
            } catch (RuntimeException e) {
                registry.close();
                throw e;
            }
        }
        this.config = config;
        if (config.cacheEnabled()) {
            LOG.info("Result cache placed by {}: {}", config.byTextHop() ? "text" : "input partition", !auto
                    ? "cache.placement=" + config.cachePlacement().settingName()
                    : preflight.byTextTopicExists() ? "cache.placement=auto found " + config.byTextTopic()
                            + " (this application ran with the by-text hop before)"
                            : "cache.placement=auto, and no " + config.byTextTopic() + " from an earlier run");
        }
        if (heads != null && config.modelGraph() == EncoderGraph.FUSED) {
            heads = Heads.load(spec, config.headsProfile(), EncoderGraph.FUSED); // checked above on the packaged graph's
        }
        long started = System.nanoTime();
        this.encoder = Encoder.load(spec, config.maxLength(), config.intraOpThreads(), config.bucketing(),
                config.modelGraph());
        LOG.info("Loaded encoder {} ({}, model.graph={}, fingerprint {}) in {} ms; per stream thread {} parallel call(s) of {} "
                + "ONNX Runtime thread(s)", encoder.spec().name(), encoder.spec().version(), encoder.graph().settingName(),
                encoder.fingerprint(), (System.nanoTime() - started) / 1_000_000, config.parallelCalls(),
                config.intraOpThreads());
        try {
            // A classifier trained on another encoder of the same name reads another vector space: refused here,
            // before the guard records anything and before any output.
            classifiers.checkFingerprint(spec.name(), encoder.fingerprint());
        } catch (IllegalStateException e) {
            encoder.close();
            registry.close();
            throw new StartupFailedException(e.getMessage(), e);
        }
        try {
            guardTheVectorSpace();
            registerOutputSchemas();
        } catch (RuntimeException e) {
            encoder.close();
            registry.close();
            throw e;
        }
        this.sessions = new EncoderSessions(encoder);
        if (plan.any()) {
            LOG.info("Loaded task heads {}{}; running {}; {}", heads.versions(), spec.custom() ? ""
                    : " (heads.profile=" + config.headsProfile().settingName() + ": " + config.headsProfile().licence() + ")",
                    describe(plan), describeLanguage(config, spec));
        } else {
            LOG.info("No task head runs: outputs={} carries neither sentiment nor entities", config.outputs());
        }
        warmUpLanguageDetector(config, spec);
        this.enricher = new Enricher(sessions, heads, plan, config.batchInvariant(), config.coresPerStreamThread(),
                config.parallelCalls(), config.numStreamThreads(), FaultInjection.fromSystemProperties());
        this.telemetry = new Telemetry(config.applicationId(), encoder.spec().name(),
                encoder.spec().version(), heads == null ? "none" : heads.versions());
        registerRocksDbMemory(telemetry, config);
        // The live page lives on the operations endpoint: without the endpoint, none of its work.
        this.liveView = config.liveEnabled() && config.metricsPort() >= 0
                ? new LiveView(new LiveView.Identity(config.applicationId(), encoder.spec().name(),
                        encoder.spec().version(), heads == null ? "none" : heads.sentiment().version(), heads == null ? "none" : heads.ner().version()),
                        telemetry.registry(), telemetry.pipeline(), this::stateName)
                : null;
        if (!classifiers.isEmpty()) {
            LOG.info("Loaded classifier heads {}", classifiers.versions());
        }
        Topology topology = EnrichmentTopology.build(config, enricher, registry, inputGate, telemetry.pipeline(),
                liveView == null ? LiveFeed.NONE : liveView, classifiers);
        LOG.debug("Topology:\n{}", topology.describe());
        this.internalTopics = internalTopics(config, topology);
        Properties streamsProperties = streamsProperties(config);
        streamsProperties.put(DeadLetteringProcessingExceptionHandler.TALLY_CONFIG, deadLetterTally);
        DeadLetterRedaction deadLetterRedaction = DeadLetterRedaction.of(config.pii());
        if (deadLetterRedaction != null) {
            streamsProperties.put(DeadLetterRedaction.CONFIG, deadLetterRedaction);
        }
        this.streams = new StoreGaugeFreeKafkaStreams(topology, streamsProperties);
        // A thread that dies for a reason that is not a record's (the registry unreachable, the encoder
        // broken) is replaced and resumes from the last commit; records are neither skipped nor lost.
        // The supervisor bounds that, so a fault that repeats stops the instance instead of looping.
        this.supervisor = new ThreadSupervisor(config.threadReplacementPolicy(), telemetry.registry(),
                System::currentTimeMillis);
        streams.setUncaughtExceptionHandler(supervisor);
        streams.setStateListener((now, before) -> {
            LOG.info("Kafka Streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                supervisor.running();
            }
            if (now == KafkaStreams.State.ERROR) {
                supervisor.failure().complete("Kafka Streams is in state ERROR (every stream thread has died)");
            }
        });
        telemetry.bind(streams);
        telemetry.deadLetterTally(deadLetterTally);
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

    /**
     * The off-heap memory of this instance's RocksDB stores, for the Grafana dashboard: the shared
     * block cache of {@link BoundedRocksDbMemory} (memtables are charged to it, so "used" covers
     * both) and its capacity ({@code state.memory.bytes}). Both read 0 while no store is open, or
     * when a {@code kafka.rocksdb.config.setter} of the user's own replaces the shared pool.
     */
    private static void registerRocksDbMemory(Telemetry telemetry, StreamNlpConfig config) {
        String applicationId = config.applicationId();
        String stateDir = config.stateDir().toString();
        Gauge.builder("streamnlp.rocksdb.memory.used", () -> BoundedRocksDbMemory.usage(applicationId, stateDir)
                        .map(BoundedRocksDbMemory.Usage::usedBytes).orElse(0L))
                .description("Bytes in the shared RocksDB block cache of this instance's stores, memtables included")
                .baseUnit("bytes")
                .register(telemetry.registry());
        Gauge.builder("streamnlp.rocksdb.memory.capacity", () -> BoundedRocksDbMemory.usage(applicationId, stateDir)
                        .map(BoundedRocksDbMemory.Usage::capacityBytes).orElse(0L))
                .description("Capacity of that cache (state.memory.bytes; 0 while no store is open)")
                .baseUnit("bytes")
                .register(telemetry.registry());
    }

    private String stateName() {
        return streams.state().name();
    }

    /**
     * Ensures the by-text topic, then starts Kafka Streams and the ops endpoint.
     *
     * @throws StartupFailedException when the by-text topic cannot be used; the message says why and
     *     what to change
     */
    public void start() {
        LOG.info("Starting {} on {} reading {} (guarantee {})", config.applicationId(),
                config.bootstrapServers(), config.inputTopics(), config.processingGuarantee());
        if (!config.byTextHop()) {
            try {
                ByTextTopic.checkDrained(config);
            } catch (TopicsUnavailableException e) {
                throw new StartupFailedException(e.getMessage(), e);
            }
        }
        if (config.byTextHop()) {
            byTextTopic = new ByTextTopic(config);
            try {
                byTextTopic.ensure(widestInput);
            } catch (TopicsUnavailableException e) {
                throw new StartupFailedException(e.getMessage(), e);
            }
            Gauge.builder("streamnlp.by.text.purge.failures", byTextTopic, ByTextTopic::purgeFailures)
                    .description("Purge rounds of the by-text topic that failed in a row (0 = purging works)")
                    .register(telemetry.registry());
        }
        int metricsPort = config.metricsPort();
        if (metricsPort >= 0) {
            opsServer = OpsServer.start(config.metricsBindAddress(), metricsPort, telemetry, this::health,
                    liveView == null ? Map.of() : liveView.handlers());
            if (liveView != null) {
                liveView.start();
            }
        }
        streams.start();
        accountingLog = new AccountingLog(streams, deadLetterTally,
                config.accountingLogInterval());
    }

    /**
     * What the start learnt from the cluster: the widest input's partition count, and whether the
     * by-text topic exists (asked only where {@code cache.placement=auto} needs the answer).
     */
    private record Preflight(int widestInput, boolean byTextTopicExists) {
    }

    /** Input topics, output topics, registry credentials, and what {@code cache.placement=auto} is decided by. */
    private Preflight preflight(StreamNlpConfig config) {
        // The registry first: a start with wrong credentials must not create anything.
        try {
            registry.checkAccess();
        } catch (SchemaRegistryException e) {
            String fatal = ThreadSupervisor.fatalReason(e);
            throw new StartupFailedException(fatal != null ? fatal : "The Schema Registry cannot be used: " + e.getMessage()
                    + (tlsFailure(e) ? " (check " + RegistrySettings.TRUSTSTORE_LOCATION_CONFIG + "/.password/.type: it must "
                            + "hold the CA of the registry's certificate; and schema.registry.url)"
                            : " (check schema.registry.url)"), e);
        }
        List<String> inputs = config.inputTopics().stream().map(InputTopic::name).toList();
        Map<String, Object> adminProperties = new java.util.HashMap<>(config.adminProperties());
        // Its own client id, so that the log filter drops Kafka's copies of the authentication error this reports.
        adminProperties.put(AdminClientConfig.CLIENT_ID_CONFIG,
                config.applicationId() + ExpectedKafkaWarnings.PREFLIGHT_CLIENT_ID_SUFFIX);
        try (Admin admin = Admin.create(adminProperties)) {
            int widest = new TopicPreflight(admin, PREFLIGHT_TIMEOUT, config.bootstrapServers())
                    .ensure(inputs, config.outputTopics().all(), config.createTopics(), StreamNlpConfig.TOPICS_CREATE,
                            config.outputTopicLayout());
            // On a cluster with ACLs, a missing grant would otherwise show only at the first write or the
            // group join, as stream threads failing until the instance gives up (exit 3).
            new KafkaAccess(admin, PREFLIGHT_TIMEOUT, config.bootstrapServers()).require(inputs,
                    config.outputTopics().all(), config.applicationId(),
                    config.processingGuarantee().startsWith("exactly_once") ? config.applicationId() + "-" : null);
            boolean decides = config.cacheEnabled() && config.cachePlacement() == CachePlacement.AUTO;
            return new Preflight(widest, decides && ByTextTopic.exists(admin, config.byTextTopic(), PREFLIGHT_TIMEOUT));
        } catch (TopicsUnavailableException e) {
            throw new StartupFailedException(e.getMessage(), e);
        }
    }

    private static String describe(HeadPlan plan) {
        if (plan.sentiment() && plan.entities()) {
            return "both";
        }
        return plan.sentiment() ? "sentiment only (no output carries entities)" : "NER only (no output carries sentiment)";
    }

    /** The encoder of {@code model.path} (checked) or {@code model.name}; a start error names each problem. */
    private static EncoderSpec encoderSpec(StreamNlpConfig config) {
        EncoderSpec spec;
        try {
            spec = config.encoderSpec();
        } catch (ModelDirectoryException e) {
            throw new StartupFailedException(e.getMessage(), e);
        }
        if (!config.modelGraphAuto() && !config.modelGraph().runsOn(spec)) {
            throw new StartupFailedException(StreamNlpConfig.MODEL_GRAPH + "=" + config.modelGraph().settingName()
                    + " runs only on the catalogue's int8 encoders (" + EncoderGraph.fusableEncoders() + "), not on " + (spec.custom()
                    ? StreamNlpConfig.MODEL_PATH + "=" + spec.directory() : spec.name())
                    + "; set " + StreamNlpConfig.MODEL_GRAPH + "=packaged", null);
        }
        if (config.maxLength() > spec.maxLength()) {
            throw new StartupFailedException(StreamNlpConfig.MODEL_MAX_LENGTH + "=" + config.maxLength() + " is more than "
                    + spec.name() + " takes (" + spec.maxLength() + " tokens" + (spec.custom()
                    ? ", max.length in " + spec.directory().resolve(CustomModel.PROPERTIES) : "") + ")", null);
        }
        return spec;
    }

    /** The classifier heads of {@code classifiers}: present, named as asked, for this encoder (its fingerprint is checked once it loads). */
    private static Classifiers classifiers(StreamNlpConfig config, EncoderSpec spec) {
        if (config.classifierNames().isEmpty()) {
            return Classifiers.NONE;
        }
        try {
            return Classifiers.load(config.classifierNames(), config.classifierPath(), spec);
        } catch (MissingHeadsException | IllegalStateException | IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new StartupFailedException(e.getMessage(), e);
        }
    }

    /** The heads the outputs need; a custom model without heads serves embeddings only. */
    private static Heads heads(EncoderSpec spec, HeadProfile profile, HeadPlan plan) {
        Heads heads;
        try {
            heads = Heads.load(spec, profile);
        } catch (MissingHeadsException | IllegalStateException | IllegalArgumentException e) {
            throw new StartupFailedException(e.getMessage(), e);
        }
        if (heads == null) {
            String needs = plan.sentiment() && plan.entities() ? "sentiment and entities" : plan.sentiment() ? "sentiment"
                    : "entities";
            throw new StartupFailedException("Encoder " + spec.name() + " of " + StreamNlpConfig.MODEL_PATH + " "
                    + spec.directory() + " has no task heads (" + CustomModel.HEADS + "/" + Heads.SENTIMENT_FILE + ", "
                    + CustomModel.HEADS + "/" + Heads.NER_FILE + "), so it serves embeddings only, but the outputs need "
                    + needs + ": set " + StreamNlpConfig.OUTPUTS + "=embeddings, or train its heads with: streamnlp train "
                    + "--model-path " + spec.directory() + " --data ../shared/data", null);
        }
        return heads;
    }

    /**
     * One output set, one vector space and one format: the encoder and the {@code output.format} recorded
     * for the output prefix must be this instance's (unless {@code model.change=allow} /
     * {@code output.format.change=allow}); a new prefix records them.
     */
    /**
     * What {@code model.graph=auto} runs: the fused graph where the encoder has one, except on an output prefix that
     * holds the packaged graph's vectors (recorded by a release before fused was the default, or by
     * {@code model.graph=packaged}), where it keeps the packaged graph so that a topic holds one vector space; and
     * where every classifier that runs was trained on the packaged graph (a classifier reads its encoder's space).
     */
    private EncoderGraph autoGraph(StreamNlpConfig config, EncoderSpec spec, Classifiers classifiers) {
        if (EncoderGraph.onNewPrefix(spec) == EncoderGraph.PACKAGED) {
            LOG.info("model.graph=auto: {} has no fused graph (the catalogue's int8 encoders have: {}); running the packaged graph",
                    spec.custom() ? StreamNlpConfig.MODEL_PATH + "=" + spec.directory() : spec.name(),
                    EncoderGraph.fusableEncoders());
            return EncoderGraph.PACKAGED;
        }
        String packaged = Encoder.fingerprintOf(spec, EncoderGraph.PACKAGED);
        if (!classifiers.isEmpty() && classifiers.allTrainedOn(packaged)) {
            LOG.info("model.graph=auto: the classifiers {} were trained on {}'s packaged graph; running it (train them with "
                    + "--model-graph fused to run the faster graph)", classifiers.versions(), spec.name());
            return EncoderGraph.PACKAGED;
        }
        if (config.writesVectors()) {
            String recorded;
            try {
                recorded = new ModelGuard(config, registry).recordedFingerprint();
            } catch (TopicsUnavailableException e) {
                throw new StartupFailedException(e.getMessage() + " (set model.graph=fused or packaged to start without it)", e);
            } catch (SchemaRegistryException e) {
                String fatal = ThreadSupervisor.fatalReason(e);
                throw new StartupFailedException(fatal != null ? fatal : "Cannot read the encoder recorded for output prefix "
                        + config.outputTopicPrefix() + " in " + config.outputTopics().models() + ", which model.graph=auto "
                        + "decides by: " + e.getMessage(), e);
            }
            if (packaged.equals(recorded)) {
                LOG.info("model.graph=auto: output prefix {} holds vectors of {}'s packaged graph; keeping it (model.graph=fused "
                        + "with model.change=allow switches this prefix, or use a new output.topic.prefix)",
                        config.outputTopicPrefix(), spec.name());
                return EncoderGraph.PACKAGED;
            }
        }
        return EncoderGraph.onNewPrefix(spec);
    }

    private void guardTheVectorSpace() {
        ModelGuard guard = new ModelGuard(config, registry);
        if (!guard.applies()) {
            return;
        }
        EncoderSpec spec = encoder.spec();
        ModelIdentity identity = config.writesVectors() ? new ModelIdentity(spec.name(), spec.version(),
                encoder.fingerprint(), spec.dimension(), spec.pooling().name(), spec.textPrefix()) : null;
        try {
            guard.check(identity);
        } catch (ModelChangeRefusedException | OutputFormatChangeRefusedException | TopicsUnavailableException e) {
            throw new StartupFailedException(e.getMessage() + (e instanceof TopicsUnavailableException
                    ? " (the model-change guard needs " + config.outputTopics().models() + ")" : ""), e);
        } catch (SchemaRegistryException e) {
            String fatal = ThreadSupervisor.fatalReason(e);
            throw new StartupFailedException(fatal != null ? fatal : "Cannot read or record the encoder of output prefix "
                    + config.outputTopicPrefix() + " in " + config.outputTopics().models() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Registers each Avro output's value schema now, in the client the serializers share: a subject that
     * refuses it (an incompatible schema registered there by another writer) stops the start with the
     * subject's name rather than every stream thread at its first record, and the first records after a
     * start wait for no registration (issue 26: the first seconds' latency).
     */
    private void registerOutputSchemas() {
        for (Map.Entry<String, Schema> output : EnrichmentTopology.outputSchemas(config).entrySet()) {
            try {
                registry.register(output.getKey(), output.getValue());
            } catch (SchemaRegistryException e) {
                String fatal = ThreadSupervisor.fatalReason(e);
                throw new StartupFailedException(fatal != null ? fatal : "Cannot register " + output.getValue().getName()
                        + " under subject " + output.getKey() + ": " + e.getMessage()
                        + (e.reason() == SchemaRegistryException.Reason.REJECTED ? " (the subject holds a schema this "
                                + "release cannot follow: write to another " + StreamNlpConfig.OUTPUT_TOPIC_PREFIX
                                + ", or change the subject's compatibility rule in the registry)" : ""), e);
            }
        }
    }

    /** The TLS handshake failed (untrusted certificate, wrong protocol): the trust store is the likely fix. */
    private static boolean tlsFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /** The configuration this instance runs: the one it was given, with {@code cache.placement=auto} resolved. */
    public StreamNlpConfig config() {
        return config;
    }

    /**
     * The topics this application id owns besides its inputs and outputs: {@code <application.id>-by-text}
     * (when the cache is on) and the changelog of every state store ({@code <application.id>-<store>-changelog}).
     * The topology has no repartition topics of Kafka Streams' own (the by-text hop is ours).
     */
    public Set<String> internalTopics() {
        return internalTopics;
    }

    private static Set<String> internalTopics(StreamNlpConfig config, Topology topology) {
        Set<String> topics = new TreeSet<>();
        if (config.byTextHop()) {
            topics.add(config.byTextTopic());
        }
        for (TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    processor.stores().forEach(store -> topics.add(config.applicationId() + "-" + store + "-changelog"));
                }
            }
        }
        return java.util.Collections.unmodifiableSet(topics);
    }

    /** Liveness and readiness now (the model is loaded: it was, before this object existed). */
    public Health health() {
        return Health.of(streams.state(), supervisor.replacing(), supervisor.failure().getNow(null));
    }

    /**
     * Completes, with the reason, when this instance has given up (too many thread replacements, a
     * fatal error, every stream thread dead): the process should then exit non-zero.
     */
    public CompletableFuture<String> failure() {
        return supervisor.failure();
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
        if (!streams.close(CLOSE_TIMEOUT)) {
            LOG.error("Kafka Streams did not shut down within {} s; a stream thread may still run (its transaction "
                    + "will be aborted by the broker). The encoder stays loaded until the process exits.",
                    CLOSE_TIMEOUT.toSeconds());
            closeAllButTheEncoder();
            return;
        }
        closeAllButTheEncoder();
        // Only now, with every stream thread stopped: a session closed under a running thread would crash it.
        enricher.close();
        sessions.close();
        encoder.close();
        LOG.info("Stopped");
    }

    private void closeAllButTheEncoder() {
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
        registry.close();
    }

    /** What language identification does, for the start line. */
    private static String describeLanguage(StreamNlpConfig config, EncoderSpec spec) {
        LanguageSettings settings = config.languageSettings();
        if (!settings.enabled()) {
            return "no language identification (language.detect=false)";
        }
        return "language identified among " + settings.candidates().size() + " candidates, texts outside the heads' "
                + Heads.languagesOf(spec) + ": " + settings.policy().settingValue();
    }

    /**
     * Loads the language detector's models (the topology shares the same detector) on a thread of its own while
     * Kafka Streams starts: a few seconds that the start does not wait for; a text that needs a model still
     * loading waits for that model only (Lingua loads each under a lock).
     */
    private static void warmUpLanguageDetector(StreamNlpConfig config, EncoderSpec spec) {
        LanguageSettings settings = config.languageSettings();
        if (!settings.enabled()) {
            return;
        }
        LanguageGate gate = LanguageGate.of(settings, Heads.languagesOf(spec));
        Thread warmUp = new Thread(() -> {
            long started = System.nanoTime();
            try {
                gate.warmUp();
                // Debug only: the start line already says what runs, and this one comes at no fixed point of the start.
                LOG.debug("Loaded the language detector's models ({} candidates, {} accuracy) in {} ms",
                        settings.candidates().size(), settings.accuracy().settingName(),
                        (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.warn("Could not load the language detector's models ahead of the first texts", e);
            }
        }, "streamnlp-language-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

}
