package io.streamnlp.config;

import io.streamnlp.deadletter.DeadLetteringProcessingExceptionHandler;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.inference.TextTokenizer;
import io.streamnlp.ingest.InputTopic;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

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
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String INPUT_TOPICS = "input.topics";
    public static final String INPUT_FORMAT = "input.format";
    public static final String OUTPUT_TOPIC_PREFIX = "output.topic.prefix";
    public static final String MODEL_NAME = "model.name";
    public static final String MODEL_MAX_LENGTH = "model.max.length";
    public static final String MAX_TEXT_BYTES = "max.text.bytes";
    public static final String BATCH_MAX_RECORDS = "batch.max.records";
    public static final String BATCH_MAX_TOKENS = "batch.max.tokens";
    public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";
    public static final String BATCH_BUCKETING = "batch.bucketing";
    public static final String INFERENCE_INTRA_OP_THREADS = "inference.intra.op.threads";
    public static final String INFERENCE_BATCH_INVARIANT = "inference.batch.invariant";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String STATE_DIR = "state.dir";
    public static final String ACCOUNTING_LOG_INTERVAL_S = "accounting.log.interval.s";
    public static final String CACHE_ENABLED = "cache.enabled";
    public static final String CACHE_MAX_ENTRIES = "cache.max.entries";
    public static final String CACHE_MAX_BYTES = "cache.max.bytes";
    public static final String CACHE_TTL_MS = "cache.ttl.ms";
    public static final String METRICS_PORT = "metrics.port";
    public static final String LIVE_ENABLED = "live.enabled";
    public static final String LOG_FORMAT = "log.format";

    /** Batches a stream thread may run between two polls (sets consumer max.poll.records). */
    static final int MAX_POLL_BATCHES = 4;

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(APPLICATION_ID, Type.STRING, "streamnlp", Importance.HIGH,
                    "Kafka Streams application id: consumer group, prefix of internal topics. Instances with the same id share the work.")
            .define(BOOTSTRAP_SERVERS, Type.STRING, "localhost:9092", Importance.HIGH,
                    "Kafka bootstrap servers.")
            .define(SCHEMA_REGISTRY_URL, Type.STRING, "http://localhost:8081", Importance.HIGH,
                    "Confluent-compatible Schema Registry base URL (for Apicurio: http://host:port/apis/ccompat/v7).")
            .define(INPUT_TOPICS, Type.LIST, "streamnlp.text", Importance.HIGH,
                    "Input topics, each 'topic' or 'topic:format' with format avro, json or text; a topic without one uses input.format.")
            .define(INPUT_FORMAT, Type.STRING, "avro", ValidString.in("avro", "json", "text"), Importance.MEDIUM,
                    "Default input format: avro (TextEvent, Confluent wire format), json ({\"id\":..,\"text\":..}) or text (key = id, value = text).")
            .define(OUTPUT_TOPIC_PREFIX, Type.STRING, "streamnlp", Importance.HIGH,
                    "Output topics are <prefix>.embeddings, <prefix>.sentiment, <prefix>.entities and <prefix>.dlq.")
            .define(MODEL_NAME, Type.STRING, ModelCatalogue.DEFAULT_MODEL, Importance.HIGH,
                    "Encoder from the model catalogue: minilm-l6-q, minilm-l6, bge-small-q, e5-small-q.")
            .define(MODEL_MAX_LENGTH, Type.INT, 256, Range.between(8, TextTokenizer.HARD_MAX_LENGTH), Importance.MEDIUM,
                    "Tokens per text, special tokens included; longer texts are truncated and flagged 'truncated' on the records.")
            .define(MAX_TEXT_BYTES, Type.INT, 100_000, Range.atLeast(1), Importance.MEDIUM,
                    "Texts larger than this many UTF-8 bytes are dead-lettered instead of tokenized.")
            .define(BATCH_MAX_RECORDS, Type.INT, 32, Range.between(1, 4096), Importance.MEDIUM,
                    "A micro-batch closes when it holds this many texts. 1 turns batching off.")
            .define(BATCH_MAX_TOKENS, Type.INT, 8192, Range.atLeast(TextTokenizer.HARD_MAX_LENGTH), Importance.MEDIUM,
                    "A micro-batch closes before its padded size (texts x longest text, in tokens) would pass this budget; bounds encoder memory.")
            .define(BATCH_MAX_WAIT_MS, Type.LONG, 50L, Range.atLeast(0), Importance.MEDIUM,
                    "A micro-batch closes this long (wall clock) after its first text arrived, full or not.")
            .define(BATCH_BUCKETING, Type.BOOLEAN, true, Importance.LOW,
                    "Sort each batch by length and pad length buckets separately: less padding. fp32 results are unchanged; int8 encoders quantize per tensor, so batch composition moves their vectors slightly (cosine ~0.99).")
            .define(INFERENCE_INTRA_OP_THREADS, Type.INT, 0, Range.atLeast(0), Importance.MEDIUM,
                    "ONNX Runtime threads per encoder call. 0 = cores / num.stream.threads (at least 1), so threads x intra-op <= cores.")
            .define(INFERENCE_BATCH_INVARIANT, Type.BOOLEAN, false, Importance.LOW,
                    "Run each text through the encoder in its own call, so its outputs never depend on its batch mates: int8 encoders quantize activations per tensor, so batched, a vector moves by cosine ~0.006 with the other texts (fp32 ones by < 1e-4). Costs ~20% of encoder throughput with e5-small-q on 2 cores; Kafka, state-store and head work stay batched. The replay command turns it on.")
            .define(NUM_STREAM_THREADS, Type.INT, 1, Range.atLeast(1), Importance.MEDIUM,
                    "Kafka Streams threads in this instance; each has its own encoder session.")
            .define(PROCESSING_GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
                    ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), Importance.MEDIUM,
                    "exactly_once_v2 (default) or at_least_once.")
            .define(STATE_DIR, Type.STRING, Path.of(System.getProperty("java.io.tmpdir"), "streamnlp-state").toString(),
                    Importance.MEDIUM, "Directory of the RocksDB state stores (pending batches, result cache).")
            .define(CACHE_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Serve texts enriched before (same normal form, model and head versions) from the result cache instead of the encoder. Routes events through the <application.id>-by-text topic so that identical texts meet in one task.")
            .define(CACHE_MAX_ENTRIES, Type.LONG, 100_000L, Range.atLeast(1), Importance.LOW,
                    "Most result-cache entries per task (about 1.7 KB each with a 384-d vector, off-heap in RocksDB; about 100 bytes each of heap for the index).")
            .define(CACHE_MAX_BYTES, Type.LONG, 256L * 1024 * 1024, Range.atLeast(1), Importance.LOW,
                    "Most bytes of result-cache entries per task.")
            .define(CACHE_TTL_MS, Type.LONG, 7L * 24 * 3600 * 1000, Range.atLeast(1), Importance.LOW,
                    "Age (from admission) after which a cache entry is no longer served and is purged.")
            .define(ACCOUNTING_LOG_INTERVAL_S, Type.INT, 60, Range.atLeast(1), Importance.LOW,
                    "How often (seconds) to log, per input partition, records in / enriched / dead-lettered / pending, when they changed.")
            .define(METRICS_PORT, Type.INT, 9464, Range.between(-1, 65535), Importance.MEDIUM,
                    "HTTP port of the operations endpoint: Prometheus metrics on /metrics, liveness on /health/live, "
                            + "readiness on /health/ready. 0 picks a free port (tests); -1 turns the endpoint off.")
            .define(LIVE_ENABLED, Type.BOOLEAN, true, Importance.LOW,
                    "Serve the live page at http://<host>:<metrics.port>/ (records in/out/dead-lettered per second, batch size, "
                            + "encoder time, latency, cache hit rate, sentiment mix, top entities, and a tail of the latest records "
                            + "with text excerpts), aggregated in process in bounded memory. false: no page and none of its work. "
                            + "Needs the operations endpoint (metrics.port >= 0).")
            .define(LOG_FORMAT, Type.STRING, "text", ValidString.in("text", "json"), Importance.LOW,
                    "Log line format: text, or json (one JSON object per line, for log shippers). Read by logback "
                            + "at startup from the environment (STREAMNLP_LOG_FORMAT) or -Dstreamnlp.log.format.");

    public StreamNlpConfig(Map<String, ?> settings) {
        super(DEFINITION, settings, false);
        ModelCatalogue.byName(getString(MODEL_NAME)); // fail fast with the list of valid names
        inputTopics();
    }

    public List<InputTopic> inputTopics() {
        return getList(INPUT_TOPICS).stream()
                .map(entry -> InputTopic.parse(entry, getString(INPUT_FORMAT)))
                .toList();
    }

    /** Whether this instance serves the live page (when its operations endpoint runs). */
    public boolean liveEnabled() {
        return getBoolean(LIVE_ENABLED);
    }

    /** The topic that routes accepted events by text, so identical texts meet in one task's cache. */
    public String byTextTopic() {
        return getString(APPLICATION_ID) + "-by-text";
    }

    public OutputTopics outputTopics() {
        return OutputTopics.withPrefix(getString(OUTPUT_TOPIC_PREFIX));
    }

    /** ONNX Runtime threads per call; 0 means share the cores evenly among stream threads. */
    public int intraOpThreads() {
        int configured = getInt(INFERENCE_INTRA_OP_THREADS);
        if (configured > 0) {
            return configured;
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors() / getInt(NUM_STREAM_THREADS));
    }

    /** Settings for the registry client: the Confluent-named keys, as given. */
    public Map<String, Object> registrySettings() {
        Map<String, Object> settings = new HashMap<>();
        originals().forEach((key, value) -> {
            if (key.startsWith("schema.registry.") || key.startsWith("basic.auth.")) {
                settings.put(key, value);
            }
        });
        settings.put(SCHEMA_REGISTRY_URL, getString(SCHEMA_REGISTRY_URL));
        return settings;
    }

    /** Kafka Streams properties: ours, then every {@code kafka.*} pass-through (which wins). */
    public Properties streamsProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, getString(APPLICATION_ID));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, getString(BOOTSTRAP_SERVERS));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, getString(PROCESSING_GUARANTEE));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(NUM_STREAM_THREADS));
        props.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR));
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        // Unexpected errors in a stage dead-letter the input record instead of stopping the app.
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, outputTopics().deadLetters());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringProcessingExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // A stream thread runs every batch of one poll before it polls again: bound that work so a
        // thread never passes max.poll.interval.ms (default 300 s) even with the longest texts.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG),
                MAX_POLL_BATCHES * getInt(BATCH_MAX_RECORDS));
        props.putAll(originalsWithPrefix(KAFKA_PREFIX, true));
        return props;
    }

    /** Admin client settings (topic creation in the CLI and tests). */
    public Map<String, Object> adminProperties() {
        Map<String, Object> props = new HashMap<>(originalsWithPrefix(KAFKA_PREFIX, true));
        props.keySet().removeIf(key -> key.startsWith("producer.") || key.startsWith("consumer.")
                || key.startsWith("main.consumer.") || key.startsWith("restore.consumer.")
                || key.startsWith("global.consumer."));
        props.put("bootstrap.servers", getString(BOOTSTRAP_SERVERS));
        return props;
    }

    /** Markdown table of every setting, for the README. */
    public static String documentation() {
        StringBuilder out = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
        for (ConfigDef.ConfigKey key : DEFINITION.configKeys().values()) {
            Object def = key.hasDefault() ? key.defaultValue : "(required)";
            if (def instanceof List<?> list) {
                def = String.join(",", list.stream().map(String::valueOf).toList());
            }
            if (key.name.equals(STATE_DIR)) {
                def = "<java.io.tmpdir>/streamnlp-state";
            }
            out.append("| `").append(key.name).append("` | `").append(def).append("` | ")
                    .append(key.documentation).append(" |\n");
        }
        return out.toString();
    }
}
