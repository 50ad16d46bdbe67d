package io.streamnlp.config;

import io.streamnlp.batching.BatchSettings;
import io.streamnlp.budget.RecordBudget;
import io.streamnlp.cache.CacheSettings;
import io.streamnlp.inference.CustomModel;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.LongTextPolicy;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.ingest.InputLimits;
import io.streamnlp.ingest.InputTopic;
import io.streamnlp.language.LanguageAccuracy;
import io.streamnlp.language.LanguageSettings;
import io.streamnlp.language.UnsupportedLanguagePolicy;
import io.streamnlp.model.HeadPlan;
import io.streamnlp.model.HeadProfile;
import io.streamnlp.topics.TopicLayout;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.state.BoundedRocksDbMemory;
import io.streamnlp.pii.DeadLetterValues;
import io.streamnlp.pii.MaskStyle;
import io.streamnlp.pii.PiiSettings;
import io.streamnlp.pii.PiiType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.EnumSet;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Every StreamNLP setting, typed, with its documented default. Kafka Streams, consumer, producer and
 * admin settings pass through untouched under the {@code kafka.} prefix (e.g.
 * {@code kafka.security.protocol=SASL_SSL}, {@code kafka.producer.linger.ms=5}); registry settings
 * use the Confluent client's own names ({@code schema.registry.url}, {@code basic.auth.user.info},
 * {@code schema.registry.ssl.*}). {@link ConfigLoader} layers a file, the environment and flags.
 */
public final class StreamNlpConfig extends AbstractConfig {

    public static final String KAFKA_PREFIX = "kafka.";

    public static final String APPLICATION_ID = "application.id";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String INPUT_TOPICS = "input.topics";
    public static final String INPUT_FORMAT = "input.format";
    public static final String OUTPUT_TOPIC_PREFIX = "output.topic.prefix";
    public static final String OUTPUTS = "outputs";
    public static final String ENRICHED_INCLUDE_TEXT = "enriched.include.text";
    public static final String ENRICHED_INCLUDE_EMBEDDING = "enriched.include.embedding";
    public static final String OUTPUT_HEADERS = "output.headers";
    public static final String OUTPUT_FORMAT = "output.format";
    public static final String OUTPUT_FORMAT_CHANGE = "output.format.change";
    public static final String CORRELATION_ID_HEADER = "correlation.id.header";
    public static final String MODEL_NAME = "model.name";
    public static final String MODEL_PATH = "model.path";
    public static final String MODEL_MAX_LENGTH = "model.max.length";
    public static final String MODEL_CHANGE = "model.change";
    public static final String MODEL_GRAPH = "model.graph";
    /** The value of {@code model.graph} that decides at start ({@link #withModelGraphResolved}). */
    public static final String MODEL_GRAPH_AUTO = "auto";
    public static final String CLASSIFIERS = "classifiers";
    public static final String HEADS_PROFILE = "heads.profile";
    public static final String CLASSIFIER_PATH = "classifier.path";
    public static final String LONG_TEXT_MODE = "long.text.mode";
    public static final String LONG_TEXT_STRIDE = "long.text.stride";
    public static final String LONG_TEXT_MAX_WINDOWS = "long.text.max.windows";
    public static final String MAX_TEXT_BYTES = "max.text.bytes";
    public static final String MAX_RECORD_BYTES = "max.record.bytes";
    public static final String BATCH_MAX_RECORDS = "batch.max.records";
    public static final String BATCH_MAX_TOKENS = "batch.max.tokens";
    public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";
    public static final String BATCH_BUCKETING = "batch.bucketing";
    public static final String BATCH_OVERLAP = "batch.overlap";
    public static final String INFERENCE_INTRA_OP_THREADS = "inference.intra.op.threads";
    public static final String INFERENCE_PARALLEL_CALLS = "inference.parallel.calls";
    public static final String INFERENCE_BATCH_INVARIANT = "inference.batch.invariant";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String STATE_DIR = "state.dir";
    public static final String STATE_MEMORY_BYTES = BoundedRocksDbMemory.MEMORY_BYTES_CONFIG;
    public static final String ACCOUNTING_LOG_INTERVAL_S = "accounting.log.interval.s";
    public static final String CACHE_ENABLED = "cache.enabled";
    public static final String CACHE_PLACEMENT = "cache.placement";
    public static final String CACHE_MAX_ENTRIES = "cache.max.entries";
    public static final String CACHE_MAX_BYTES = "cache.max.bytes";
    public static final String CACHE_TTL_MS = "cache.ttl.ms";
    public static final String METRICS_PORT = "metrics.port";
    public static final String METRICS_BIND_ADDRESS = "metrics.bind.address";
    public static final String LIVE_ENABLED = "live.enabled";
    public static final String LOG_FORMAT = "log.format";
    public static final String TOPICS_CREATE = "topics.create";
    public static final String OUTPUT_TOPIC_PARTITIONS = "output.topic.partitions";
    public static final String OUTPUT_TOPIC_REPLICATION_FACTOR = "output.topic.replication.factor";
    public static final String BY_TEXT_PARTITIONS = "by.text.partitions";
    public static final String LANGUAGE_DETECT = "language.detect";
    public static final String LANGUAGE_CANDIDATES = "language.candidates";
    public static final String LANGUAGE_ACCURACY = "language.accuracy";
    public static final String LANGUAGE_MIN_CONFIDENCE = "language.min.confidence";
    public static final String LANGUAGE_MIN_LENGTH = "language.min.length";
    public static final String LANGUAGE_UNSUPPORTED_POLICY = "language.unsupported.policy";
    public static final String BY_TEXT_RETENTION_MS = "by.text.retention.ms";
    public static final String MAX_THREAD_REPLACEMENTS = "max.thread.replacements";
    public static final String THREAD_REPLACEMENT_WINDOW_MS = "thread.replacement.window.ms";
    public static final String THREAD_REPLACEMENT_BACKOFF_MS = "thread.replacement.backoff.ms";

    /** Batches a stream thread may run between two polls (sets consumer max.poll.records). */
    public static final int MAX_POLL_BATCHES = 4;

    // Registry settings: the Confluent client's names, so that existing client configs keep working.
    public static final String SCHEMA_REGISTRY_URL = RegistrySettings.URL_CONFIG;
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = RegistrySettings.CREDENTIALS_SOURCE_CONFIG;
    public static final String BASIC_AUTH_USER_INFO = RegistrySettings.USER_INFO_CONFIG;
    public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO = RegistrySettings.USER_INFO_ALIAS_CONFIG;
    public static final String SCHEMA_REGISTRY_TRUSTSTORE_LOCATION = RegistrySettings.TRUSTSTORE_LOCATION_CONFIG;
    public static final String SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD = RegistrySettings.TRUSTSTORE_PASSWORD_CONFIG;
    public static final String SCHEMA_REGISTRY_TRUSTSTORE_TYPE = RegistrySettings.TRUSTSTORE_TYPE_CONFIG;
    public static final String SCHEMA_REGISTRY_KEYSTORE_LOCATION = RegistrySettings.KEYSTORE_LOCATION_CONFIG;
    public static final String SCHEMA_REGISTRY_KEYSTORE_PASSWORD = RegistrySettings.KEYSTORE_PASSWORD_CONFIG;
    public static final String SCHEMA_REGISTRY_KEYSTORE_TYPE = RegistrySettings.KEYSTORE_TYPE_CONFIG;
    public static final String SCHEMA_REGISTRY_REQUEST_TIMEOUT_MS = RegistrySettings.REQUEST_TIMEOUT_CONFIG;
    public static final String MAX_SCHEMAS_PER_SUBJECT = RegistrySettings.CACHE_CAPACITY_CONFIG;
    public static final String SCHEMA_REGISTRY_RETRY_MAX_MS = RegistrySettings.RETRY_BUDGET_CONFIG;

    /** The groups of {@link #DEFINITION}, in the order {@link #documentation()} prints them. */
    public static final String GROUP_KAFKA = "Kafka";
    public static final String GROUP_INPUT = "Input";
    public static final String GROUP_MODEL = "Model";
    public static final String GROUP_BATCHING = "Batching";
    public static final String GROUP_CACHE = "Cache";
    public static final String GROUP_REGISTRY = "Registry";
    public static final String GROUP_OUTPUT = "Output";
    public static final String GROUP_OPERATIONS = "Operations";
    public static final String GROUP_PRIVACY = "Privacy";

    // Privacy (PrivacyGroup): personal data found and redacted.
    public static final String PII_DETECT = "pii.detect";
    public static final String PII_REDACT = "pii.redact";
    public static final String PII_DETECTORS = "pii.detectors";
    public static final String PII_PHONE_REGIONS = "pii.phone.regions";
    public static final String PII_MASK = "pii.mask";
    public static final String PII_HASH_KEY = "pii.hash.key";
    public static final String PII_DEAD_LETTERS = "pii.dead.letters";

    /** The only {@code basic.auth.credentials.source} the registry client supports (any case; unset means it too). */

    /**
     * How much larger than its input the by-text record (and the pending store's changelog record) can
     * be: it carries the key, the id and the text (each at most as long as they were in the key or
     * value), the original value (none for plain text, where the value is the text) and the original
     * headers in Avro, which frames a header with at most one byte more than Kafka (a union index) where
     * Kafka, whose framing max.record.bytes counts, takes at least two. So at most 2 x (key + value) +
     * 1.5 x headers: within 2.2 x the record, rounded up.
     */
    static final double BY_TEXT_GROWTH = 2.2;
    /**
     * The by-text record's fixed fields (the source topic's name, at most 249 bytes; partition, offset,
     * times; Avro's single-object header) and the producer's record framing, with room to spare.
     */
    static final int BY_TEXT_FIXED_BYTES = 1024;

    /** Every setting: each group class ({@code KafkaGroup}, {@code InputGroup}, ...) defines its own. */
    public static final ConfigDef DEFINITION = ConfigDefinitions.all();

    public StreamNlpConfig(Map<String, ?> settings) {
        super(DEFINITION, settings, false);
        if (modelPath() == null) {
            ModelCatalogue.byName(modelName()); // fail fast with the list of valid names
        }
        if (getInt(LONG_TEXT_STRIDE) >= maxLength()) {
            throw new ConfigException(LONG_TEXT_STRIDE, getInt(LONG_TEXT_STRIDE), "must be less than "
                    + MODEL_MAX_LENGTH + " (" + maxLength() + "): windows that overlap entirely never advance");
        }
        inputTopics();
        checkRecordBudget();
        if (outputs().contains(OutputKind.LABELS) && classifierNames().isEmpty()) {
            throw new ConfigException(OUTPUTS, getList(OUTPUTS), "the labels output carries the classifiers' results, "
                    + "but none is set: name them in " + CLASSIFIERS + " (or leave labels out of " + OUTPUTS + ")");
        }
        PrivacyGroup.check(this);
        pii();
    }

    private void checkRecordBudget() {
        RecordBudget budget = recordBudget();
        long largestByText = (long) Math.ceil(BY_TEXT_GROWTH * getInt(MAX_RECORD_BYTES)) + BY_TEXT_FIXED_BYTES;
        if (largestByText > budget.limit()) {
            throw new ConfigException(MAX_RECORD_BYTES, getInt(MAX_RECORD_BYTES), "a record this large can become a "
                    + "by-text record of " + largestByText + " bytes, over the producer's max.request.size=" + budget.limit()
                    + ": lower max.record.bytes to at most " + (long) ((budget.limit() - BY_TEXT_FIXED_BYTES) / BY_TEXT_GROWTH)
                    + " or raise kafka.producer.max.request.size (and the topics' max.message.bytes)");
        }
    }

    // --- Privacy ---

    /** The PII settings ({@code pii.*}); {@link PiiSettings#active()} is false unless detect or redact is on. */
    public PiiSettings pii() {
        boolean redact = getBoolean(PII_REDACT);
        boolean detect = redact || getBoolean(PII_DETECT);
        Set<PiiType> detectors = EnumSet.noneOf(PiiType.class);
        getList(PII_DETECTORS).forEach(name -> detectors.add(PiiType.byDetector(name)));
        MaskStyle mask = MaskStyle.parse(getString(PII_MASK));
        Password key = getPassword(PII_HASH_KEY);
        return new PiiSettings(detect, redact, detectors, getList(PII_PHONE_REGIONS), mask,
                mask == MaskStyle.HASH && key != null ? key.value().getBytes(StandardCharsets.UTF_8) : null,
                DeadLetterValues.parse(getString(PII_DEAD_LETTERS)));
    }

    // --- Kafka ---

    public String applicationId() {
        return getString(APPLICATION_ID);
    }

    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS);
    }

    public int numStreamThreads() {
        return getInt(NUM_STREAM_THREADS);
    }

    /** {@code exactly_once_v2} or {@code at_least_once}. */
    public String processingGuarantee() {
        return getString(PROCESSING_GUARANTEE);
    }

    /** Directory of the state stores (and of the replay plans, under {@code replays/}). */
    public Path stateDir() {
        return Path.of(getString(STATE_DIR));
    }

    // --- Input ---

    public List<InputTopic> inputTopics() {
        return getList(INPUT_TOPICS).stream()
                .map(entry -> InputTopic.parse(entry, getString(INPUT_FORMAT)))
                .toList();
    }

    /** Texts larger than this many UTF-8 bytes are dead-lettered. */
    public int maxTextBytes() {
        return getInt(MAX_TEXT_BYTES);
    }

    /** What an input record may weigh, and the budget every written record is held to. */
    public InputLimits inputLimits() {
        return new InputLimits(getInt(MAX_RECORD_BYTES), recordBudget());
    }

    /** The producers' {@code max.request.size}, as the {@code kafka.*} settings leave it. */
    public RecordBudget recordBudget() {
        return RecordBudget.ofStreamsConfig(kafkaPassThrough());
    }

    /** Whether this instance serves the live page (when its operations endpoint runs). */
    public boolean liveEnabled() {
        return getBoolean(LIVE_ENABLED);
    }

    /** How missing output topics are created. */
    public TopicLayout outputTopicLayout() {
        return new TopicLayout(getInt(OUTPUT_TOPIC_PARTITIONS), getShort(OUTPUT_TOPIC_REPLICATION_FACTOR), Map.of());
    }

    /** Whether missing output topics are created at start ({@code topics.create}). */
    public boolean createTopics() {
        return getBoolean(TOPICS_CREATE);
    }

    /** Partitions wanted for the by-text topic; 0 = the widest input's at creation. */
    public int byTextPartitions() {
        return getInt(BY_TEXT_PARTITIONS);
    }

    /** Safety retention of the by-text topic, ms; -1 = unlimited. */
    public long byTextRetentionMs() {
        return getLong(BY_TEXT_RETENTION_MS);
    }

    /** When a failing stream thread is replaced, and when the instance gives up instead. */
    public ThreadReplacementPolicy threadReplacementPolicy() {
        return new ThreadReplacementPolicy(getInt(MAX_THREAD_REPLACEMENTS),
                Duration.ofMillis(getLong(THREAD_REPLACEMENT_WINDOW_MS)),
                Duration.ofMillis(getLong(THREAD_REPLACEMENT_BACKOFF_MS)));
    }

    // --- Model ---

    /** The encoder's name in the model catalogue. */
    public String modelName() {
        return getString(MODEL_NAME);
    }

    /**
     * Which graph of the encoder runs ({@code model.graph}): the packaged file or its fused form.
     *
     * @throws IllegalStateException while {@code model.graph=auto} is not resolved ({@link #withModelGraphResolved})
     */
    public EncoderGraph modelGraph() {
        if (modelGraphAuto()) {
            throw new IllegalStateException("model.graph=auto must be resolved against the encoder and the output prefix "
                    + "(withModelGraphResolved) before the encoder loads");
        }
        return EncoderGraph.of(getString(MODEL_GRAPH));
    }

    /** Whether {@code model.graph=auto}: the graph is decided at start from the encoder and what the output prefix holds. */
    public boolean modelGraphAuto() {
        return MODEL_GRAPH_AUTO.equals(getString(MODEL_GRAPH).trim().toLowerCase(java.util.Locale.ROOT));
    }

    /** This configuration with {@code model.graph=auto} replaced by {@code graph}; itself when a graph is named. */
    public StreamNlpConfig withModelGraphResolved(EncoderGraph graph) {
        if (!modelGraphAuto()) {
            return this;
        }
        Map<String, Object> settings = new java.util.HashMap<>(originals());
        settings.put(MODEL_GRAPH, graph.settingName());
        return new StreamNlpConfig(settings);
    }

    /** Which packaged heads of a catalogue encoder run ({@code heads.profile}). */
    public HeadProfile headsProfile() {
        return HeadProfile.of(getString(HEADS_PROFILE));
    }

    /** The custom encoder's directory ({@code model.path}), or null for the catalogue's {@link #modelName()}. */
    public Path modelPath() {
        String path = getString(MODEL_PATH);
        return path == null || path.isBlank() ? null : Path.of(path.trim());
    }

    /**
     * The encoder to load: the custom one of {@code model.path}, checked (every problem of the
     * directory at once, {@link io.streamnlp.inference.ModelDirectoryException}), or the catalogue's
     * {@code model.name}.
     */
    public EncoderSpec encoderSpec() {
        Path path = modelPath();
        return path != null ? CustomModel.load(path) : ModelCatalogue.byName(modelName());
    }

    /** Tokens per text, special tokens included. */
    public int maxLength() {
        return getInt(MODEL_MAX_LENGTH);
    }

    /** Whether starting with another encoder than the one recorded for the output prefix is allowed. */
    public boolean modelChangeAllowed() {
        return getString(MODEL_CHANGE).equals("allow");
    }

    /** ONNX Runtime threads per encoder call (see {@link #INFERENCE_INTRA_OP_THREADS}). */
    public int intraOpThreads() {
        int configured = getInt(INFERENCE_INTRA_OP_THREADS);
        if (configured > 0) {
            return configured;
        }
        int calls = getInt(INFERENCE_PARALLEL_CALLS);
        return calls == 0 ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors() / (numStreamThreads() * calls));
    }

    /** Encoder calls one stream thread runs at once, on slices of its batch (see {@link #INFERENCE_PARALLEL_CALLS}). */
    public int parallelCalls() {
        int configured = getInt(INFERENCE_PARALLEL_CALLS);
        if (configured > 0) {
            return configured;
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors() / (numStreamThreads() * intraOpThreads()));
    }

    /** Cores one stream thread's encoder calls use together: what the heads of one batch may use too. */
    public int coresPerStreamThread() {
        return parallelCalls() * intraOpThreads();
    }

    /** Off-heap bytes of all RocksDB stores of this instance (see state.BoundedRocksDbMemory). */
    public long stateMemoryBytes() {
        return getLong(STATE_MEMORY_BYTES);
    }

    // --- Batching ---

    /** When a micro-batch closes, and whether its texts meet the encoder one by one. */
    public BatchSettings batchSettings() {
        return new BatchSettings(getInt(BATCH_MAX_RECORDS), getInt(BATCH_MAX_TOKENS), getLong(BATCH_MAX_WAIT_MS),
                batchInvariant(), longTextPolicy(), getBoolean(BATCH_OVERLAP));
    }

    /**
     * What a text longer than the max length becomes; its windows at most as many as fit the batch
     * token budget, so that one text never needs more than one batch.
     */
    public LongTextPolicy longTextPolicy() {
        LongTextPolicy.Mode mode = getString(LONG_TEXT_MODE).equals("truncate") ? LongTextPolicy.Mode.TRUNCATE
                : LongTextPolicy.Mode.WINDOW;
        int windows = Math.max(1, Math.min(getInt(LONG_TEXT_MAX_WINDOWS), getInt(BATCH_MAX_TOKENS) / maxLength()));
        return new LongTextPolicy(mode, getInt(LONG_TEXT_STRIDE), windows);
    }

    /** Sort each batch by length and pad length buckets separately. */
    public boolean bucketing() {
        return getBoolean(BATCH_BUCKETING);
    }

    /** Run each text through the encoder in its own call ({@code inference.batch.invariant}). */
    public boolean batchInvariant() {
        return getBoolean(INFERENCE_BATCH_INVARIANT);
    }

    // --- Language ---

    /** How texts' languages are identified and what happens to those the heads were not trained for. */
    public LanguageSettings languageSettings() {
        return new LanguageSettings(getBoolean(LANGUAGE_DETECT), getList(LANGUAGE_CANDIDATES),
                LanguageAccuracy.of(getString(LANGUAGE_ACCURACY)), getDouble(LANGUAGE_MIN_CONFIDENCE), getInt(LANGUAGE_MIN_LENGTH),
                UnsupportedLanguagePolicy.ofSetting(getString(LANGUAGE_UNSUPPORTED_POLICY)));
    }

    // --- Cache ---

    public boolean cacheEnabled() {
        return getBoolean(CACHE_ENABLED);
    }

    /**
     * Where the result cache lives, and so whether events take the by-text hop (when the cache is on);
     * {@link CachePlacement#AUTO} until {@link #withCachePlacementResolved} has run.
     */
    public CachePlacement cachePlacement() {
        return CachePlacement.of(getString(CACHE_PLACEMENT));
    }

    /**
     * This configuration with {@code cache.placement} resolved for an application whose by-text topic
     * does or does not exist ({@link CachePlacement#resolve}); itself when nothing is left to resolve.
     */
    public StreamNlpConfig withCachePlacementResolved(boolean byTextTopicExists) {
        CachePlacement placement = cachePlacement();
        if (placement != CachePlacement.AUTO) {
            return this;
        }
        Map<String, Object> settings = new java.util.HashMap<>(originals());
        settings.put(CACHE_PLACEMENT, placement.resolve(byTextTopicExists).settingName());
        return new StreamNlpConfig(settings);
    }

    /**
     * True when events pass the {@code <application.id>-by-text} topic: the cache is on and placed by text.
     *
     * @throws IllegalStateException when the cache is on and {@code cache.placement=auto} is not resolved yet
     */
    public boolean byTextHop() {
        if (!cacheEnabled()) {
            return false;
        }
        CachePlacement placement = cachePlacement();
        if (placement == CachePlacement.AUTO) {
            throw new IllegalStateException("cache.placement=auto must be resolved against the cluster "
                    + "(withCachePlacementResolved) before the topology is built");
        }
        return placement == CachePlacement.BY_TEXT;
    }

    /** Bounds of each task's result cache (whether or not it is enabled). */
    public CacheSettings cacheSettings() {
        return new CacheSettings(getLong(CACHE_MAX_ENTRIES), getLong(CACHE_MAX_BYTES), getLong(CACHE_TTL_MS));
    }

    /** The topic that routes accepted events by text, so identical texts meet in one task's cache. */
    public String byTextTopic() {
        return applicationId() + "-by-text";
    }

    // --- Registry ---

    /** The registry client's settings ({@link RegistryGroup#settings}). */
    public RegistrySettings registry() {
        return RegistryGroup.settings(this);
    }

    // --- Output ---

    public String outputTopicPrefix() {
        return getString(OUTPUT_TOPIC_PREFIX);
    }

    /** The topics written: the selected {@link #outputs()} under the prefix, and the dead letters. */
    public OutputTopics outputTopics() {
        return new OutputTopics(outputTopicPrefix(), outputs());
    }

    /** The outputs selected ({@code outputs}). */
    public Set<OutputKind> outputs() {
        Set<OutputKind> selected = EnumSet.noneOf(OutputKind.class);
        getList(OUTPUTS).forEach(name -> selected.add(OutputKind.of(name)));
        return selected;
    }

    /** How output records are written ({@code output.format}). */
    public OutputFormat outputFormat() {
        return OutputFormat.of(getString(OUTPUT_FORMAT));
    }

    /** Whether starting with another output format than the one recorded for the output prefix is allowed. */
    public boolean outputFormatChangeAllowed() {
        return getString(OUTPUT_FORMAT_CHANGE).equals("allow");
    }

    /** Whether the text goes on the enriched records. */
    public boolean enrichedIncludesText() {
        return getBoolean(ENRICHED_INCLUDE_TEXT);
    }

    /** Whether the embedding goes on the enriched records. */
    public boolean enrichedIncludesEmbedding() {
        return getBoolean(ENRICHED_INCLUDE_EMBEDDING);
    }

    /** The input headers every output record of an event carries: {@code output.headers} and the correlation id's. */
    public Set<String> outputHeaders() {
        Set<String> names = new LinkedHashSet<>();
        for (String name : getList(OUTPUT_HEADERS)) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        if (!getString(CORRELATION_ID_HEADER).isBlank()) {
            names.add(getString(CORRELATION_ID_HEADER).trim());
        }
        return Set.copyOf(names);
    }

    /** Whether a selected output carries vectors, so the model-change guard applies. */
    public boolean writesVectors() {
        Set<OutputKind> selected = outputs();
        return selected.contains(OutputKind.EMBEDDINGS)
                || (selected.contains(OutputKind.ENRICHED) && enrichedIncludesEmbedding());
    }

    /** The task heads the selected outputs need: a head no output carries is not run. */
    /** The classifier heads to run ({@code classifiers}), in order; empty: none. */
    public List<String> classifierNames() {
        return getList(CLASSIFIERS).stream().map(String::trim).filter(n -> !n.isEmpty()).toList();
    }

    /** Where the classifier heads are ({@code classifier.path}); null: beside the encoder's other heads. */
    public Path classifierPath() {
        String path = getString(CLASSIFIER_PATH);
        return path == null || path.isBlank() ? null : Path.of(path.trim());
    }

    public HeadPlan headPlan() {
        Set<OutputKind> selected = outputs();
        return new HeadPlan(selected.stream().anyMatch(OutputKind::needsSentiment),
                selected.stream().anyMatch(OutputKind::needsEntities));
    }

    // --- Operations ---

    /** Port of the operations endpoint: 0 picks a free one, -1 turns it off. */
    public int metricsPort() {
        return getInt(METRICS_PORT);
    }

    /** The address the operations endpoint listens on; 0.0.0.0: all interfaces. */
    public String metricsBindAddress() {
        return getString(METRICS_BIND_ADDRESS).trim();
    }

    /** How often the per-partition accounting line is logged. */
    public Duration accountingLogInterval() {
        return Duration.ofSeconds(getInt(ACCOUNTING_LOG_INTERVAL_S));
    }

    // --- Kafka clients ---

    /** Kafka Streams properties: ours, then every {@code kafka.*} pass-through (which wins). */
    public Properties streamsProperties() {
        return KafkaClientProperties.streams(this);
    }

    /** Admin client settings (topic creation in the CLI and tests). */
    public Map<String, Object> adminProperties() {
        return KafkaClientProperties.admin(this);
    }

    /** The {@code kafka.*} settings without their prefix. */
    Map<String, Object> kafkaPassThrough() {
        return originalsWithPrefix(KAFKA_PREFIX, true);
    }

    // --- Documentation ---

    /** Markdown reference of every setting, for the README (checked against it by a test). */
    public static String documentation() {
        return ConfigDocumentation.markdown(DEFINITION);
    }
}
