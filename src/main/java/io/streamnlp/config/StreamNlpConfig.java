package io.streamnlp.config;

import io.streamnlp.batching.BatchSettings;
import io.streamnlp.budget.RecordBudget;
import io.streamnlp.cache.CacheSettings;
import io.streamnlp.deadletter.DeadLetteringProcessingExceptionHandler;
import io.streamnlp.deadletter.LoudProductionExceptionHandler;
import io.streamnlp.inference.CustomModel;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.LongTextPolicy;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.inference.TextTokenizer;
import io.streamnlp.ingest.InputFormat;
import io.streamnlp.ingest.InputLimits;
import io.streamnlp.ingest.InputTopic;
import io.streamnlp.language.LanguageDetector;
import io.streamnlp.language.LanguageSettings;
import io.streamnlp.language.UnsupportedLanguagePolicy;
import io.streamnlp.model.HeadPlan;
import io.streamnlp.topics.TopicLayout;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.state.BoundedRocksDbMemory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.EnumSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
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
    public static final String INPUT_TOPICS = "input.topics";
    public static final String INPUT_FORMAT = "input.format";
    public static final String OUTPUT_TOPIC_PREFIX = "output.topic.prefix";
    public static final String OUTPUTS = "outputs";
    public static final String ENRICHED_INCLUDE_TEXT = "enriched.include.text";
    public static final String ENRICHED_INCLUDE_EMBEDDING = "enriched.include.embedding";
    public static final String OUTPUT_HEADERS = "output.headers";
    public static final String CORRELATION_ID_HEADER = "correlation.id.header";
    public static final String MODEL_NAME = "model.name";
    public static final String MODEL_PATH = "model.path";
    public static final String MODEL_MAX_LENGTH = "model.max.length";
    public static final String MODEL_CHANGE = "model.change";
    public static final String LONG_TEXT_MODE = "long.text.mode";
    public static final String LONG_TEXT_STRIDE = "long.text.stride";
    public static final String LONG_TEXT_MAX_WINDOWS = "long.text.max.windows";
    public static final String MAX_TEXT_BYTES = "max.text.bytes";
    public static final String MAX_RECORD_BYTES = "max.record.bytes";
    public static final String BATCH_MAX_RECORDS = "batch.max.records";
    public static final String BATCH_MAX_TOKENS = "batch.max.tokens";
    public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";
    public static final String BATCH_BUCKETING = "batch.bucketing";
    public static final String INFERENCE_INTRA_OP_THREADS = "inference.intra.op.threads";
    public static final String INFERENCE_PARALLEL_CALLS = "inference.parallel.calls";
    public static final String INFERENCE_BATCH_INVARIANT = "inference.batch.invariant";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String STATE_DIR = "state.dir";
    public static final String STATE_MEMORY_BYTES = BoundedRocksDbMemory.MEMORY_BYTES_CONFIG;
    public static final String ACCOUNTING_LOG_INTERVAL_S = "accounting.log.interval.s";
    public static final String CACHE_ENABLED = "cache.enabled";
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

    /** The only {@code basic.auth.credentials.source} the registry client supports (any case; unset means it too). */
    private static final String USER_INFO_SOURCE = "USER_INFO";

    /**
     * The default {@link #MAX_RECORD_BYTES}: {@code 2.2 x 450,000 + 1 KiB} is within Kafka's default
     * {@code max.request.size} of 1,048,576 (see {@link #BY_TEXT_GROWTH}).
     */
    static final int DEFAULT_MAX_RECORD_BYTES = 450_000;

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

    public static final ConfigDef DEFINITION = new Definitions()
            .group(GROUP_KAFKA)
            .define(APPLICATION_ID, Type.STRING, "streamnlp", null, Importance.HIGH, Width.MEDIUM, "Application id",
                    "Kafka Streams application id: consumer group, prefix of internal topics. Instances with the same id share the work.")
            .define(BOOTSTRAP_SERVERS, Type.STRING, "localhost:9092", null, Importance.HIGH, Width.LONG, "Bootstrap servers",
                    "Kafka bootstrap servers.")
            .define(NUM_STREAM_THREADS, Type.INT, 1, Range.atLeast(1), Importance.MEDIUM, Width.SHORT, "Stream threads",
                    "Kafka Streams threads in this instance; each has its own encoder session.")
            .define(PROCESSING_GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
                    ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), Importance.MEDIUM,
                    Width.MEDIUM, "Processing guarantee",
                    "exactly_once_v2 (default) or at_least_once.")
            .define(STATE_DIR, Type.STRING, Path.of(System.getProperty("java.io.tmpdir"), "streamnlp-state").toString(),
                    null, Importance.MEDIUM, Width.LONG, "State directory",
                    "Directory of the RocksDB state stores (pending batches, result cache).")
            .define(STATE_MEMORY_BYTES, Type.LONG, BoundedRocksDbMemory.DEFAULT_MEMORY_BYTES,
                    Range.atLeast(BoundedRocksDbMemory.MIN_MEMORY_BYTES), Importance.MEDIUM, Width.SHORT, "State memory (bytes)",
                    "Off-heap bytes for all RocksDB state stores of this instance together, whatever its number of tasks: one "
                            + "shared block cache with a strict limit, holding index and filter blocks too, to which the memtables "
                            + "are charged (at most a quarter of it). The default, 512 MiB, fits the shipped 4 GiB pod: 2 GiB heap "
                            + "(-Xmx2g) + about 1 GiB ONNX Runtime and JVM native memory + this leaves about 0.5 GiB headroom. "
                            + "Result-cache entries beyond it stay on disk.")
            .group(GROUP_INPUT)
            .define(INPUT_TOPICS, Type.LIST, "streamnlp.text", null, Importance.HIGH, Width.LONG, "Input topics",
                    "Input topics, each 'topic' or 'topic:format' with format avro, json or text; a topic without one uses input.format.")
            .define(INPUT_FORMAT, Type.STRING, "avro", ValidString.in(inputFormatNames()), Importance.MEDIUM,
                    Width.SHORT, "Input format",
                    "Default input format: avro (TextEvent, Confluent wire format), json ({\"id\":..,\"text\":..}) or text (key = id, value = text).")
            .define(MAX_TEXT_BYTES, Type.INT, 100_000, Range.atLeast(1), Importance.MEDIUM, Width.SHORT, "Max text bytes",
                    "Texts larger than this many UTF-8 bytes are dead-lettered instead of tokenized.")
            .define(MAX_RECORD_BYTES, Type.INT, DEFAULT_MAX_RECORD_BYTES, Range.atLeast(1), Importance.MEDIUM, Width.SHORT,
                    "Max record bytes",
                    "Input records larger than this (key, value and headers, as Kafka counts them) are dead-lettered "
                            + "(reason too-large) before they are parsed. The by-text record built from one is at most "
                            + "about 2.2 times its size, so the default keeps it within Kafka's default max.request.size "
                            + "(1,048,576); a larger value needs kafka.producer.max.request.size (and the topics' "
                            + "max.message.bytes) raised to match, or the start is refused.")
            .group(GROUP_MODEL)
            .define(MODEL_NAME, Type.STRING, ModelCatalogue.DEFAULT_MODEL, null, Importance.HIGH, Width.MEDIUM, "Model",
                    "Encoder from the model catalogue: minilm-l6-q, minilm-l6, bge-small-q, e5-small-q.")
            .define(MODEL_PATH, Type.STRING, "", null, Importance.HIGH, Width.LONG, "Model path",
                    "Your own encoder instead of model.name: a directory with model.onnx, tokenizer.json and model.properties "
                            + "(name, version, pooling, hidden.size, query.prefix, max.length), and heads/ if trained by "
                            + "'streamnlp train --model-path'. Without heads it serves outputs=embeddings only. See the README, "
                            + "'Your own encoder'.")
            .define(MODEL_MAX_LENGTH, Type.INT, 256, Range.between(8, TextTokenizer.HARD_MAX_LENGTH), Importance.MEDIUM,
                    Width.SHORT, "Max length",
                    "Tokens per encoder pass (one window), special tokens included; longer texts are encoded in windows or truncated (long.text.mode).")
            .define(LONG_TEXT_MODE, Type.STRING, "window", ValidString.in("window", "truncate"), Importance.MEDIUM,
                    Width.SHORT, "Long text mode",
                    "What a text longer than model.max.length becomes: window (default): overlapping windows of at most "
                            + "model.max.length tokens, in the same micro-batches and token budget, their entities merged with "
                            + "offsets into the whole text, their vectors and sentiment probabilities averaged by length; "
                            + "truncate: its head only. Records say how many windows were used and whether the text was truncated.")
            .define(LONG_TEXT_STRIDE, Type.INT, 0, Range.atLeast(0), Importance.LOW, Width.SHORT, "Long text overlap",
                    "Tokens of text that two neighbouring windows share; 0 = a quarter of model.max.length. Must be less than "
                            + "model.max.length.")
            .define(LONG_TEXT_MAX_WINDOWS, Type.INT, 32, Range.atLeast(1), Importance.LOW, Width.SHORT, "Long text max windows",
                    "Most windows per text (and at most batch.max.tokens / model.max.length, so one text fits one batch); "
                            + "a text that needs more is encoded in this many and flagged truncated.")
            .define(MODEL_CHANGE, Type.STRING, "refuse", ValidString.in("refuse", "allow"), Importance.MEDIUM, Width.SHORT,
                    "Model change",
                    "refuse (default): a start whose encoder (fingerprint of its files, pooling and prefix) differs from the one "
                            + "recorded in <prefix>.models for this output prefix stops with an error, so one output set never "
                            + "mixes two vector spaces; allow: start anyway and record the new encoder. See the README, 'Changing the model'.")
            .define(INFERENCE_PARALLEL_CALLS, Type.INT, 0, Range.atLeast(0), Importance.MEDIUM, Width.SHORT,
                    "Parallel encoder calls",
                    "Encoder calls one stream thread runs at once, each on a slice of its micro-batch (texts of similar length), "
                            + "each in its own session. 0 = cores / (num.stream.threads x inference.intra.op.threads), at least 1. "
                            + "Several single-threaded calls keep the cores busier than one call split over them "
                            + "(docs/BENCHMARKS.md, levers).")
            .define(INFERENCE_INTRA_OP_THREADS, Type.INT, 0, Range.atLeast(0), Importance.MEDIUM, Width.SHORT,
                    "Intra-op threads",
                    "ONNX Runtime threads per encoder call. 0 = 1 when inference.parallel.calls is 0 too, else "
                            + "cores / (num.stream.threads x inference.parallel.calls), at least 1; so stream threads x "
                            + "parallel calls x intra-op threads <= cores.")
            .define(LANGUAGE_DETECT, Type.BOOLEAN, true, null, Importance.MEDIUM, Width.SHORT, "Language identification",
                    "Identify every text's language before the encoder (detectedLanguage and languageConfidence on every "
                            + "output) and apply language.unsupported.policy to texts the task heads were not trained for. "
                            + "false: no identification, every text analysed as English-trained heads see it.")
            .define(LANGUAGE_CANDIDATES, Type.LIST, String.join(",", LanguageSettings.DEFAULT_CANDIDATES),
                    languageCandidatesValidator(), Importance.MEDIUM, Width.LONG, "Candidate languages",
                    "ISO 639-1 codes of the languages the detector tells apart (at least two). A text in another language "
                            + "is reported as the nearest candidate; each candidate costs detection time and memory.")
            .define(LANGUAGE_ACCURACY, Type.STRING, "high", ValidString.in("high", "low"), Importance.LOW, Width.SHORT,
                    "Language detection accuracy",
                    "high: all of the detector's n-gram models (1 to 5); low: trigrams only, less memory and time per "
                            + "text, weaker below about 120 characters.")
            .define(LANGUAGE_MIN_CONFIDENCE, Type.DOUBLE, LanguageSettings.DEFAULT_MIN_CONFIDENCE, Range.between(0.0, 1.0),
                    Importance.LOW, Width.SHORT, "Language min confidence",
                    "A text whose detected language has a lower probability than this counts as the heads' language "
                            + "(analysed as any text): an ambiguous text is not skipped.")
            .define(LANGUAGE_MIN_LENGTH, Type.INT, LanguageSettings.DEFAULT_MIN_LENGTH, Range.atLeast(0), Importance.LOW,
                    Width.SHORT, "Language min length",
                    "A text with fewer letters than this counts as the heads' language (analysed as any text): a short "
                            + "text is not skipped on a guess.")
            .define(LANGUAGE_UNSUPPORTED_POLICY, Type.STRING, "skip", ValidString.in(UnsupportedLanguagePolicy.settingValues()),
                    Importance.MEDIUM, Width.SHORT, "Unsupported language policy",
                    "What happens to a text whose language is none of the task heads' (the model card's list; a custom "
                            + "model's heads.languages): skip = the embedding is written, sentiment and entities are marked "
                            + "skipReason=language-not-supported instead of guessed; enrich = analysed like any text; "
                            + "dead-letter = to the dead-letter topic, reason unsupported-language, with its original bytes.")
            .group(GROUP_BATCHING)
            .define(BATCH_MAX_RECORDS, Type.INT, 32, Range.between(1, 4096), Importance.MEDIUM, Width.SHORT,
                    "Max records per batch",
                    "A micro-batch closes when it holds this many texts. 1 turns batching off.")
            .define(BATCH_MAX_TOKENS, Type.INT, 8192, Range.atLeast(TextTokenizer.HARD_MAX_LENGTH), Importance.MEDIUM,
                    Width.SHORT, "Max tokens per batch",
                    "A micro-batch closes before its padded size (texts x longest text, in tokens) would pass this budget; bounds encoder memory.")
            .define(BATCH_MAX_WAIT_MS, Type.LONG, 20L, Range.atLeast(0), Importance.MEDIUM, Width.SHORT, "Max batch wait (ms)",
                    "A micro-batch closes this long (wall clock) after its first text arrived, full or not. 20 ms: under load batches fill up first; at half load a longer wait only adds latency (bench --levers).")
            .define(BATCH_BUCKETING, Type.BOOLEAN, true, null, Importance.LOW, Width.SHORT, "Length bucketing",
                    "Sort each batch by length and pad length buckets separately: less padding. fp32 results are unchanged; int8 encoders quantize per tensor, so batch composition moves their vectors slightly (cosine ~0.99).")
            .define(INFERENCE_BATCH_INVARIANT, Type.BOOLEAN, false, null, Importance.LOW, Width.SHORT, "Batch invariant",
                    "Run each text through the encoder in its own call, so its outputs never depend on its batch mates: int8 encoders quantize activations per tensor, so batched, a vector moves by cosine ~0.006 with the other texts (fp32 ones by < 1e-4). Costs ~20% of encoder throughput with e5-small-q on 2 cores; Kafka, state-store and head work stay batched. The replay command turns it on.")
            .group(GROUP_CACHE)
            .define(CACHE_ENABLED, Type.BOOLEAN, true, null, Importance.MEDIUM, Width.SHORT, "Result cache",
                    "Serve texts enriched before (same normal form, model and head versions) from the result cache instead of the encoder. Routes events through the <application.id>-by-text topic so that identical texts meet in one task.")
            .define(CACHE_MAX_ENTRIES, Type.LONG, 100_000L, Range.atLeast(1), Importance.LOW, Width.SHORT, "Max cache entries",
                    "Most result-cache entries per task (about 1.7 KB each with a 384-d vector, off-heap in RocksDB; about 100 bytes each of heap for the index).")
            .define(CACHE_MAX_BYTES, Type.LONG, 256L * 1024 * 1024, Range.atLeast(1), Importance.LOW, Width.SHORT,
                    "Max cache bytes",
                    "Most bytes of result-cache entries per task.")
            .define(CACHE_TTL_MS, Type.LONG, 7L * 24 * 3600 * 1000, Range.atLeast(1), Importance.LOW, Width.SHORT,
                    "Cache TTL (ms)",
                    "Age (from admission) after which a cache entry is no longer served and is purged.")
            .define(BY_TEXT_PARTITIONS, Type.INT, 0, Range.atLeast(0), Importance.LOW, Width.SHORT, "By-text partitions",
                    "Partitions of the <application.id>-by-text topic (the result cache's hop); 0 = as many as the widest "
                            + "input topic when it is created. Checked at every start against the existing topic: a change "
                            + "needs the topic drained and re-created (see the README, 'Changing the by-text partitions').")
            .define(BY_TEXT_RETENTION_MS, Type.LONG, 7L * 24 * 3600 * 1000, Range.atLeast(-1), Importance.LOW, Width.SHORT,
                    "By-text retention (ms)",
                    "Safety retention of the <application.id>-by-text topic. Consumed records are purged every minute "
                            + "(the purge needs the DeleteRecords permission; failures are logged and counted in "
                            + "streamnlp_by_text_purge_failures); this bound keeps the topic finite if purging fails. An event "
                            + "that waits longer than this (the application down that long) is lost: keep it above your "
                            + "longest outage. -1 = unlimited.")
            .group(GROUP_REGISTRY)
            .define(SCHEMA_REGISTRY_URL, Type.STRING, "http://localhost:8081", null, Importance.HIGH, Width.LONG,
                    "Registry URL",
                    "Confluent-compatible Schema Registry base URL (for Apicurio: http://host:port/apis/ccompat/v7). "
                            + "Exactly one http:// or https:// url, without credentials in it (use basic.auth.user.info).")
            .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, null, credentialsSource(), Importance.LOW, Width.SHORT,
                    "Basic auth credentials source",
                    "Where the registry's basic-auth credentials come from: USER_INFO (any case), i.e. basic.auth.user.info. "
                            + "Unset means the same; Confluent's other sources (URL, SASL_INHERIT) are not supported.")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, null, Importance.MEDIUM, Width.MEDIUM, "Basic auth user info",
                    "user:password for HTTP basic auth against the registry; unset: no auth. A secret: masked, never logged.")
            .define(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, Type.PASSWORD, null, null, Importance.LOW, Width.MEDIUM,
                    "Basic auth user info (alias)",
                    "Alias of basic.auth.user.info (the prefixed name some clients use), read when that one is unset. A secret.")
            .define(SCHEMA_REGISTRY_TRUSTSTORE_LOCATION, Type.STRING, null, null, Importance.MEDIUM, Width.LONG,
                    "Trust store location",
                    "Trust store file of the CAs to trust for an https:// registry; unset: the JVM's default trust store.")
            .define(SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, null, Importance.MEDIUM, Width.MEDIUM,
                    "Trust store password",
                    "Password of the trust store; unset: none. A secret.")
            .define(SCHEMA_REGISTRY_TRUSTSTORE_TYPE, Type.STRING, RegistrySettings.DEFAULT_STORE_TYPE, null, Importance.LOW,
                    Width.SHORT, "Trust store type",
                    "Format of the trust store file: PKCS12, JKS, ...")
            .define(SCHEMA_REGISTRY_KEYSTORE_LOCATION, Type.STRING, null, null, Importance.MEDIUM, Width.LONG,
                    "Key store location",
                    "Key store file with the client certificate and key for mutual TLS with the registry; unset: no client certificate.")
            .define(SCHEMA_REGISTRY_KEYSTORE_PASSWORD, Type.PASSWORD, null, null, Importance.MEDIUM, Width.MEDIUM,
                    "Key store password",
                    "Password of the key store, also used for its private key; unset: none. A secret.")
            .define(SCHEMA_REGISTRY_KEYSTORE_TYPE, Type.STRING, RegistrySettings.DEFAULT_STORE_TYPE, null, Importance.LOW,
                    Width.SHORT, "Key store type",
                    "Format of the key store file: PKCS12, JKS, ...")
            .define(SCHEMA_REGISTRY_REQUEST_TIMEOUT_MS, Type.LONG, RegistrySettings.DEFAULT_REQUEST_TIMEOUT.toMillis(),
                    Range.atLeast(1), Importance.LOW, Width.SHORT, "Registry request timeout (ms)",
                    "Limit (ms) on connecting to the registry and on each request to it.")
            .define(MAX_SCHEMAS_PER_SUBJECT, Type.INT, RegistrySettings.DEFAULT_CACHE_CAPACITY, Range.atLeast(1),
                    Importance.LOW, Width.SHORT, "Registry client cache capacity",
                    "Entries kept in each of the registry client's schema and id caches (Confluent's name for it).")
            .define(SCHEMA_REGISTRY_RETRY_MAX_MS, Type.LONG, RegistrySettings.DEFAULT_RETRY_BUDGET.toMillis(),
                    Range.atLeast(0), Importance.LOW, Width.SHORT, "Registry retry budget (ms)",
                    "How long (ms) one registry lookup keeps retrying an unreachable or overloaded registry, with exponential "
                            + "backoff, before it gives up; keep it well under the Kafka Streams transaction timeout.")
            .group(GROUP_OUTPUT)
            .define(OUTPUT_TOPIC_PREFIX, Type.STRING, "streamnlp", null, Importance.HIGH, Width.MEDIUM, "Output topic prefix",
                    "Output topics are <prefix>.<output> for each of outputs, and <prefix>.dlq.")
            .define(OUTPUTS, Type.LIST, OutputKind.names(), outputsValidator(), Importance.HIGH, Width.LONG, "Outputs",
                    "Which outputs to write, each to <prefix>.<name>: any of " + OutputKind.names().replace(",", ", ")
                            + ". A task head runs only if a selected output carries its result: with outputs=embeddings "
                            + "neither the sentiment nor the NER head runs.")
            .define(ENRICHED_INCLUDE_TEXT, Type.BOOLEAN, false, null, Importance.MEDIUM, Width.SHORT, "Enriched: text",
                    "Put the event's text on <prefix>.enriched records (field text), so consumers can cut the entity spans out "
                            + "of it without the input topic.")
            .define(ENRICHED_INCLUDE_EMBEDDING, Type.BOOLEAN, true, null, Importance.MEDIUM, Width.SHORT,
                    "Enriched: embedding",
                    "Put the embedding on <prefix>.enriched records (field embedding); false leaves it null (smaller records).")
            .define(OUTPUT_HEADERS, Type.LIST, "traceparent,tracestate", null, Importance.MEDIUM, Width.LONG,
                    "Output headers",
                    "Headers of the input record copied onto every output record of its event (through the by-text hop "
                            + "and the result cache): by default the W3C trace context, so a trace follows the event; empty "
                            + "copies none. Dead letters keep all of the input's headers.")
            .define(CORRELATION_ID_HEADER, Type.STRING, "", null, Importance.LOW, Width.MEDIUM, "Correlation id header",
                    "The name of a header your producers set to correlate an event across systems (e.g. x-correlation-id): "
                            + "copied onto the outputs like output.headers. Empty: none.")
            .define(TOPICS_CREATE, Type.BOOLEAN, true, null, Importance.MEDIUM, Width.SHORT, "Create topics",
                    "Create missing output topics (embeddings, sentiment, entities, dead letters) at start. With false, "
                            + "or when the cluster refuses (ACLs, policy), a missing output topic stops the start with an error "
                            + "naming it. Input topics are never created: a missing one always stops the start.")
            .define(OUTPUT_TOPIC_PARTITIONS, Type.INT, 0, Range.atLeast(0), Importance.LOW, Width.SHORT,
                    "Output topic partitions",
                    "Partitions of the output topics StreamNLP creates; 0 = as many as the widest input topic.")
            .define(OUTPUT_TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) -1, null, Importance.LOW, Width.SHORT,
                    "Output topic replication factor",
                    "Replication factor of the output topics StreamNLP creates; -1 = the broker's default.replication.factor.")
            .group(GROUP_OPERATIONS)
            .define(METRICS_PORT, Type.INT, 9464, Range.between(-1, 65535), Importance.MEDIUM, Width.SHORT, "Metrics port",
                    "HTTP port of the operations endpoint: Prometheus metrics on /metrics, liveness on /health/live, "
                            + "readiness on /health/ready. 0 picks a free port (tests); -1 turns the endpoint off.")
            .define(METRICS_BIND_ADDRESS, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.LOW, Width.MEDIUM,
                    "Metrics bind address",
                    "Address of this host the operations endpoint listens on: 0.0.0.0 (all interfaces) is what Kubernetes "
                            + "probes and Prometheus scrapes need; 127.0.0.1 keeps the endpoint, the live page included, "
                            + "to this host. An IP address or a host name.")
            .define(ACCOUNTING_LOG_INTERVAL_S, Type.INT, 60, Range.atLeast(1), Importance.LOW, Width.SHORT,
                    "Accounting log interval (s)",
                    "How often (seconds) to log, per input partition, records in / enriched / dead-lettered / pending, when they changed.")
            .define(LIVE_ENABLED, Type.BOOLEAN, true, null, Importance.LOW, Width.SHORT, "Live page",
                    "Serve the live page at http://<host>:<metrics.port>/ (records in/out/dead-lettered per second, batch size, "
                            + "encoder time, latency, cache hit rate, sentiment mix, top entities, and a tail of the latest records "
                            + "with text excerpts), aggregated in process in bounded memory. false: no page and none of its work. "
                            + "Needs the operations endpoint (metrics.port >= 0).")
            .define(LOG_FORMAT, Type.STRING, "text", ValidString.in("text", "json"), Importance.LOW, Width.SHORT, "Log format",
                    "Log line format: text, or json (one JSON object per line, for log shippers). Read by logback "
                            + "at startup from the environment (STREAMNLP_LOG_FORMAT) or -Dstreamnlp.log.format.")
            .define(MAX_THREAD_REPLACEMENTS, Type.INT, 5, Range.atLeast(0), Importance.LOW, Width.SHORT,
                    "Max thread replacements",
                    "A stream thread that fails for a reason that is not a record's (broker, registry, encoder) is replaced "
                            + "and resumes from the last commit; after this many replacements within "
                            + "thread.replacement.window.ms the instance stops with a non-zero exit code instead of looping.")
            .define(THREAD_REPLACEMENT_WINDOW_MS, Type.LONG, 600_000L, Range.atLeast(1), Importance.LOW, Width.SHORT,
                    "Thread replacement window (ms)", "The window over which max.thread.replacements counts.")
            .define(THREAD_REPLACEMENT_BACKOFF_MS, Type.LONG, 1_000L, Range.atLeast(0), Importance.LOW, Width.SHORT,
                    "Thread replacement backoff (ms)",
                    "Wait before the first replacement of a failed stream thread; doubled for each further one in the "
                            + "window (at most 60 s), so a failing dependency is not hammered.")
            .build();

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
        return RecordBudget.ofStreamsConfig(originalsWithPrefix(KAFKA_PREFIX, true));
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
                batchInvariant(), longTextPolicy());
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
                getString(LANGUAGE_ACCURACY).equals("low"), getDouble(LANGUAGE_MIN_CONFIDENCE), getInt(LANGUAGE_MIN_LENGTH),
                UnsupportedLanguagePolicy.ofSetting(getString(LANGUAGE_UNSUPPORTED_POLICY)));
    }

    private static ConfigDef.Validator languageCandidatesValidator() {
        return (name, value) -> {
            @SuppressWarnings("unchecked")
            List<String> codes = (List<String>) value;
            try {
                LanguageDetector.check(codes);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        };
    }

    // --- Cache ---

    public boolean cacheEnabled() {
        return getBoolean(CACHE_ENABLED);
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

    /**
     * The registry client's settings, from the typed values: {@code basic.auth.user.info} wins over its
     * alias {@code schema.registry.basic.auth.user.info}; blank values count as unset, as in
     * {@link RegistrySettings#fromConfig(Map)}, which reads the same keys from a raw map.
     *
     * @throws IllegalArgumentException when the url or the user info is malformed (the message
     *     never quotes a secret)
     */
    public RegistrySettings registry() {
        String userInfo = secret(BASIC_AUTH_USER_INFO);
        if (userInfo == null) {
            userInfo = secret(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO);
        }
        return new RegistrySettings(
                RegistrySettings.parseUrl(getString(SCHEMA_REGISTRY_URL)),
                userInfo,
                store(SCHEMA_REGISTRY_TRUSTSTORE_LOCATION, SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD, SCHEMA_REGISTRY_TRUSTSTORE_TYPE),
                store(SCHEMA_REGISTRY_KEYSTORE_LOCATION, SCHEMA_REGISTRY_KEYSTORE_PASSWORD, SCHEMA_REGISTRY_KEYSTORE_TYPE),
                Duration.ofMillis(getLong(SCHEMA_REGISTRY_REQUEST_TIMEOUT_MS)),
                getInt(MAX_SCHEMAS_PER_SUBJECT),
                Duration.ofMillis(getLong(SCHEMA_REGISTRY_RETRY_MAX_MS)));
    }

    private RegistrySettings.StoreSettings store(String locationKey, String passwordKey, String typeKey) {
        String location = blankToNull(getString(locationKey));
        if (location == null) {
            return null;
        }
        return new RegistrySettings.StoreSettings(Path.of(location), secret(passwordKey), blankToNull(getString(typeKey)));
    }

    /** The secret's value; null when unset or blank. Only ever handed to the registry client. */
    private String secret(String key) {
        Password password = getPassword(key);
        return password == null ? null : blankToNull(password.value());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
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
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, numStreamThreads());
        props.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR));
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        // Unexpected errors in a stage dead-letter the input record instead of stopping the app.
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, outputTopics().deadLetters());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringProcessingExceptionHandler.class);
        // A record the producer refuses (too large, say) is one loud ERROR line naming the setting, then a failed thread.
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, LoudProductionExceptionHandler.class);
        enableProcessingExceptionHandlerOnGlobalThread(props);
        // A stream thread runs every batch of one poll before it polls again: bound that work so a
        // thread never passes max.poll.interval.ms (default 300 s) even with the longest texts.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG),
                MAX_POLL_BATCHES * getInt(BATCH_MAX_RECORDS));
        props.putAll(BoundedRocksDbMemory.streamsProperties(stateMemoryBytes())); // one bounded pool for all stores
        props.putAll(LATENCY_DEFAULTS);
        if (processingGuarantee().startsWith("exactly_once")) {
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, EXACTLY_ONCE_COMMIT_INTERVAL_MS);
        }
        props.putAll(originalsWithPrefix(KAFKA_PREFIX, true)); // kafka.* overrides all of the above
        return props;
    }

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

    /** Admin client settings (topic creation in the CLI and tests). */
    public Map<String, Object> adminProperties() {
        Map<String, Object> props = new HashMap<>(originalsWithPrefix(KAFKA_PREFIX, true));
        props.keySet().removeIf(key -> key.startsWith("producer.") || key.startsWith("consumer.")
                || key.startsWith("main.consumer.") || key.startsWith("restore.consumer.")
                || key.startsWith("global.consumer."));
        props.put("bootstrap.servers", bootstrapServers());
        return props;
    }

    // --- Documentation ---

    /**
     * Markdown reference of every setting, for the README: per group (in {@link #DEFINITION}'s order),
     * a {@code ### <group>} heading and a table of its keys. Secrets never show a default.
     */
    public static String documentation() {
        Map<String, List<ConfigDef.ConfigKey>> byGroup = new LinkedHashMap<>();
        DEFINITION.groups().forEach(group -> byGroup.put(group, new ArrayList<>()));
        for (ConfigDef.ConfigKey key : DEFINITION.configKeys().values()) {
            byGroup.get(key.group).add(key);
        }
        StringBuilder out = new StringBuilder();
        byGroup.forEach((group, keys) -> {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append("### ").append(group).append("\n\n| key | default | meaning |\n|---|---|---|\n");
            keys.stream().sorted(Comparator.comparingInt(key -> key.orderInGroup)).forEach(key -> out
                    .append("| `").append(key.name).append("` | ").append(defaultCell(key)).append(" | ")
                    .append(key.documentation.replace("|", "\\|")).append(" |\n"));
        });
        return out.toString();
    }

    /** The default column: empty for secrets and for settings that are unset by default. */
    private static String defaultCell(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (key.type == Type.PASSWORD || key.defaultValue == null) {
            return "";
        }
        Object def = key.defaultValue;
        if (def instanceof List<?> list) {
            def = String.join(",", list.stream().map(String::valueOf).toList());
        }
        if (key.name.equals(STATE_DIR)) {
            def = "<java.io.tmpdir>/streamnlp-state";
        }
        return "`" + def + "`";
    }

    /** The lower-case names of {@link InputFormat}, as {@code input.format} and {@code topic:format} take them. */
    private static String[] inputFormatNames() {
        return Arrays.stream(InputFormat.values())
                .map(format -> format.name().toLowerCase(Locale.ROOT))
                .toArray(String[]::new);
    }

    /** A non-empty list of known output names, none twice. */
    private static ConfigDef.Validator outputsValidator() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) value;
            if (names == null || names.isEmpty()) {
                throw new ConfigException(name, value, "select at least one of " + OutputKind.names());
            }
            Set<OutputKind> seen = EnumSet.noneOf(OutputKind.class);
            for (String output : names) {
                OutputKind kind;
                try {
                    kind = OutputKind.of(output);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
                if (!seen.add(kind)) {
                    throw new ConfigException(name, value, "'" + output.trim() + "' is listed twice");
                }
            }
        }, () -> "a non-empty list of " + OutputKind.names());
    }

    /** As {@link RegistrySettings#fromConfig(Map)} accepts it: unset, blank or USER_INFO in any case. */
    private static ConfigDef.Validator credentialsSource() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            String source = (String) value;
            if (source != null && !source.isBlank() && !source.trim().equalsIgnoreCase(USER_INFO_SOURCE)) {
                throw new ConfigException(name, value, "not supported; use " + USER_INFO_SOURCE + " (or leave it unset)");
            }
        }, () -> USER_INFO_SOURCE + " (any case), or unset");
    }

    /** Defines keys group by group, numbering them within their group in the order defined. */
    private static final class Definitions {
        private final ConfigDef definition = new ConfigDef();
        private String group;
        private int order;

        Definitions group(String name) {
            group = name;
            order = 0;
            return this;
        }

        Definitions define(String name, Type type, Object defaultValue, ConfigDef.Validator validator,
                Importance importance, Width width, String displayName, String documentation) {
            definition.define(name, type, defaultValue, validator, importance, documentation, group, ++order, width,
                    displayName);
            return this;
        }

        ConfigDef build() {
            return definition;
        }
    }
}
