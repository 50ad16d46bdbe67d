package io.streamnlp.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.budget.RecordBudget;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.deadletter.DeadLetterHeaders;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.ingest.IngestProcessor;
import io.streamnlp.ops.Accounting;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.DefaultRecord;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.internals.ByteUtils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The size budget on a real broker, under exactly-once (where one record the producer refuses would
 * abort the transaction of everything beside it): per input format (Avro, JSON, text), values of 0
 * and 1 bytes and records at and just over every limit on the way in: {@code max.record.bytes}, the
 * producer's default {@code max.request.size} (1,048,576, as the producer counts a record) and the
 * broker's default {@code message.max.bytes} (1,048,588, as the broker counts a batch), sent plain
 * and again lz4-compressed, plus a 3 MB compressed record per format (a compressible text, a JSON
 * event with a huge id) that a broker accepts because it compresses to almost nothing, a 3 MB key,
 * and records whose headers weigh more than their bytes (199,000 and 400,000 empty ones). An ordinary
 * event comes between every two of them. Every ordinary event (and the one at {@code max.record.bytes})
 * comes out once on every output; every other record is in the dead-letter topic once, with its
 * reason, its original bytes or (when they cannot fit) their start and its original size, and within
 * {@code max.request.size}; no stream thread is ever replaced and the instance stays live.
 *
 * <p>The test's producer has {@code max.request.size} raised, and the input topics
 * {@code max.message.bytes}, so that what a producer could send reaches the pipeline at all. The
 * second test is the bug this budget's issue opened with: {@code outputs=embeddings} (no head runs)
 * with the live page on.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SizeLimitsIntegrationTest {

    private static final int MAX_RECORD_BYTES = 450_000;
    private static final int PRODUCER_LIMIT = RecordBudget.KAFKA_DEFAULT_MAX_REQUEST_SIZE;
    /** Kafka's default {@code message.max.bytes}: the largest record batch a broker accepts. */
    private static final int BROKER_LIMIT = 1_048_588;
    private static final int HUGE = 3_000_000;
    /** What the test's producers may send, and the input topics accept: well over every size sent. */
    private static final int WIDE = 8 * 1024 * 1024;

    private static final String AVRO = "sizes.avro";
    private static final String JSON = "sizes.json";
    private static final String TEXT = "sizes.text";
    private static final String PREFIX = "sizes";

    private KafkaTestCluster kafka;
    private SchemaRegistryClient registry;
    private Serializer<TextEvent> avroSerializer;

    @BeforeAll
    void startBroker() throws Exception {
        kafka = KafkaTestCluster.start();
        registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()));
        avroSerializer = AvroSerdes.specific(TextEvent.class, registry, false).serializer();
    }

    @AfterAll
    void stopBroker() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** One record sent: what the pipeline must do with it (reason null: it comes out). */
    private record Sent(String topic, String key, byte[] value, boolean compressed, String reason, String label,
            int extraHeaders, int keyBytes) {

        Sent(String topic, String key, byte[] value, boolean compressed, String reason, String label) {
            this(topic, key, value, compressed, reason, label, 0, 0);
        }

        /** The Kafka key: the case's name, or that name padded to {@link #keyBytes}. */
        byte[] kafkaKey() {
            return keyBytes == 0 ? utf8(key) : utf8(key + "k".repeat(keyBytes - key.length()));
        }

        boolean ordinary() {
            return reason == null;
        }

        /** Its trace header, then {@link #extraHeaders} one-letter headers without a value. */
        Headers headers() {
            Headers headers = trace(key);
            for (int i = 0; i < extraHeaders; i++) {
                headers.add("h", null);
            }
            return headers;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Headers trace(String key) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", utf8("trace-" + key));
        return headers;
    }

    /** What {@code max.record.bytes} counts: key, value, and headers as Kafka frames them (lengths included). */
    private static int inputSize(byte[] key, byte[] value, Headers headers) {
        int size = key.length + value.length;
        for (var header : headers) {
            int keyBytes = utf8(header.key()).length;
            size += ByteUtils.sizeOfVarint(keyBytes) + keyBytes + (header.value() == null ? 1
                    : ByteUtils.sizeOfVarint(header.value().length) + header.value().length);
        }
        return size;
    }

    /** The producer's own upper bound, the number it compares with {@code max.request.size}. */
    private static int producerSize(byte[] key, byte[] value, Headers headers) {
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, key,
                value, headers.toArray());
    }

    /** The bytes of an uncompressed batch of this one record: what the broker compares with {@code message.max.bytes}. */
    private static int batchSize(byte[] key, byte[] value, Headers headers) {
        return DefaultRecordBatch.RECORD_BATCH_OVERHEAD + DefaultRecord.sizeInBytes(0, 0L, key.length, value.length,
                headers.toArray());
    }

    /** Per format, a value with a text padded by {@code pad} blanks (and its id). */
    private IntFunction<byte[]> padded(String topic, String id) {
        return switch (topic) {
            case AVRO -> pad -> avroSerializer.serialize(AVRO, TextEvent.newBuilder().setId(id)
                    .setText("Fine cake, friendly host." + " ".repeat(pad)).build());
            case JSON -> pad -> utf8("{\"id\":\"" + id + "\",\"text\":\"Fine coffee, kind staff." + " ".repeat(pad) + "\"}");
            default -> pad -> utf8("Fine tea, quiet room." + " ".repeat(pad));
        };
    }

    /**
     * The value that makes {@code measure} of the record exactly {@code target}: lengths are varints,
     * so the padding is found, not computed (a step or two).
     */
    private static byte[] sized(IntFunction<byte[]> value, ToIntFunction<byte[]> measure, int target) {
        int pad = target - measure.applyAsInt(value.apply(0));
        for (int tries = 0; tries < 6 && pad >= 0; tries++) {
            byte[] candidate = value.apply(pad);
            int size = measure.applyAsInt(candidate);
            if (size == target) {
                return candidate;
            }
            pad += target - size;
        }
        throw new IllegalStateException("no value measures " + target);
    }

    private byte[] ordinaryValue(String topic, String id, int n) {
        String text = "Review " + n + ": the room was quiet and the staff at the front desk were kind to us.";
        return switch (topic) {
            case AVRO -> avroSerializer.serialize(AVRO, TextEvent.newBuilder().setId(id).setText(text).build());
            case JSON -> utf8("{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}");
            default -> utf8(text);
        };
    }

    /** The records of one format, in the order sent: an ordinary event before, between and after the others. */
    private List<Sent> cases(String topic, String format) {
        List<Sent> hostile = new ArrayList<>();
        String malformed = switch (topic) {
            case AVRO -> RejectReason.BAD_AVRO;
            case JSON -> RejectReason.BAD_JSON;
            default -> RejectReason.EMPTY_TEXT;
        };
        hostile.add(new Sent(topic, format + "-0B", new byte[0], false, malformed, "0 B"));
        byte[] oneByte = switch (topic) {
            case AVRO -> new byte[] {0};
            case JSON -> utf8("1");
            default -> utf8("a");
        };
        hostile.add(new Sent(topic, format + "-1B", oneByte, false, topic.equals(TEXT) ? null : malformed, "1 B"));
        for (boolean compressed : new boolean[] {false, true}) {
            String c = compressed ? "-lz4" : "";
            if (!compressed) {
                String at = format + "-at-record-limit";
                hostile.add(new Sent(topic, at, sized(padded(topic, at), v -> inputSize(utf8(at), v, trace(at)),
                        MAX_RECORD_BYTES), false, null, "max.record.bytes"));
                String over = format + "-over-record-limit";
                hostile.add(new Sent(topic, over, sized(padded(topic, over), v -> inputSize(utf8(over), v, trace(over)),
                        MAX_RECORD_BYTES + 1), false, RejectReason.TOO_LARGE, "max.record.bytes + 1"));
            }
            String atProducer = format + "-at-request-limit" + c;
            hostile.add(new Sent(topic, atProducer, sized(padded(topic, atProducer),
                    v -> producerSize(utf8(atProducer), v, trace(atProducer)), PRODUCER_LIMIT), compressed,
                    RejectReason.TOO_LARGE, "max.request.size"));
            String overProducer = format + "-over-request-limit" + c;
            hostile.add(new Sent(topic, overProducer, sized(padded(topic, overProducer),
                    v -> producerSize(utf8(overProducer), v, trace(overProducer)), PRODUCER_LIMIT + 1), compressed,
                    RejectReason.TOO_LARGE, "max.request.size + 1"));
            String atBroker = format + "-at-message-limit" + c;
            hostile.add(new Sent(topic, atBroker, sized(padded(topic, atBroker),
                    v -> batchSize(utf8(atBroker), v, trace(atBroker)), BROKER_LIMIT), compressed,
                    RejectReason.TOO_LARGE, "message.max.bytes"));
            String overBroker = format + "-over-message-limit" + c;
            hostile.add(new Sent(topic, overBroker, sized(padded(topic, overBroker),
                    v -> batchSize(utf8(overBroker), v, trace(overBroker)), BROKER_LIMIT + 1), compressed,
                    RejectReason.TOO_LARGE, "message.max.bytes + 1"));
        }
        // Far over every limit, and a broker takes it all the same: it compresses to a few kilobytes.
        String huge = format + "-3MB-lz4";
        byte[] hugeValue = switch (topic) {
            case JSON -> utf8("{\"id\":\"" + "x".repeat(HUGE) + "\",\"text\":\"Fine coffee, kind staff.\"}");
            case AVRO -> avroSerializer.serialize(AVRO, TextEvent.newBuilder().setId(huge)
                    .setText("A quiet night. ".repeat(HUGE / 15)).build());
            default -> utf8("A quiet night. ".repeat(HUGE / 15));
        };
        hostile.add(new Sent(topic, huge, hugeValue, true, RejectReason.TOO_LARGE, topic.equals(JSON) ? "3 MB id" : "3 MB"));
        // Headers weigh more than their bytes: each has a length or two, in Kafka's record and in the by-text
        // record alike. A quarter-megabyte text with 199,000 empty headers is 450,000 bytes of keys, values
        // and header bytes, yet 850 kB as Kafka counts it, and an ordinary producer sends it.
        String headersHeavy = format + "-199k-headers";
        hostile.add(new Sent(topic, headersHeavy, padded(topic, headersHeavy).apply(249_000), false, RejectReason.TOO_LARGE,
                "199,000 headers", 199_000, 0));
        // So many that even the headers alone are over max.request.size (compressed, a broker takes them).
        String headersOnly = format + "-400k-headers-lz4";
        hostile.add(new Sent(topic, headersOnly, ordinaryValue(topic, headersOnly, 0), true, RejectReason.TOO_LARGE,
                "400,000 headers", 400_000, 0));
        // A key over max.request.size (compressed, again): the dead letter keeps its start and its size.
        String hugeKey = format + "-3MB-key-lz4";
        hostile.add(new Sent(topic, hugeKey, ordinaryValue(topic, hugeKey, 0), true, RejectReason.TOO_LARGE, "3 MB key", 0, HUGE));

        List<Sent> all = new ArrayList<>();
        for (int i = 0; i <= hostile.size(); i++) {
            String id = format + "-ordinary-" + i;
            all.add(new Sent(topic, id, ordinaryValue(topic, id, i), false, null, "ordinary"));
            if (i < hostile.size()) {
                all.add(hostile.get(i));
            }
        }
        return all;
    }

    private void createInputTopics(List<String> names) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            // Wide enough for what a producer with a raised max.request.size sends uncompressed.
            admin.createTopics(names.stream().map(name -> new NewTopic(name, 1, (short) 1)
                    .configs(Map.of("max.message.bytes", Integer.toString(WIDE)))).toList()).all().get();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers, String compression) {
        return new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "max.request.size", WIDE,
                "compression.type", compression), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Test
    void everyRecordAroundEveryLimitIsEnrichedOnceOrDeadLetteredOnceWithinTheBudgetAndNoThreadIsReplaced() throws Exception {
        long started = System.nanoTime();
        createInputTopics(List.of(AVRO, JSON, TEXT));
        List<Sent> sent = new ArrayList<>();
        sent.addAll(cases(AVRO, "avro"));
        sent.addAll(cases(JSON, "json"));
        sent.addAll(cases(TEXT, "text"));
        Map<String, Sent> hostile = new HashMap<>(); // by source topic@offset: a dead letter's key may be cut
        try (var plain = producer(kafka.bootstrapServers(), "none"); var lz4 = producer(kafka.bootstrapServers(), "lz4")) {
            for (Sent record : sent) {
                // One at a time: each record is a batch of its own, the size the cases were measured for.
                long offset = (record.compressed() ? lz4 : plain).send(new ProducerRecord<>(record.topic(), null,
                        record.kafkaKey(), record.value(), record.headers())).get().offset();
                if (!record.ordinary()) {
                    hostile.put(record.topic() + "@" + offset, record);
                }
            }
        }

        Map<String, String> settings = new HashMap<>();
        settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url());
        settings.put(StreamNlpConfig.APPLICATION_ID, "size-limits");
        settings.put(StreamNlpConfig.INPUT_TOPICS, AVRO + ":avro," + JSON + ":json," + TEXT + ":text");
        settings.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, PREFIX);
        settings.put(StreamNlpConfig.STATE_DIR, Files.createTempDirectory("size-limits").toString());
        settings.put(StreamNlpConfig.METRICS_PORT, "0");
        settings.put(StreamNlpConfig.MAX_RECORD_BYTES, Integer.toString(MAX_RECORD_BYTES));
        // The text limit as high as the record limit, so that a record at max.record.bytes is a text that
        // large: the by-text record then carries it twice (text and original value), the widest it gets.
        settings.put(StreamNlpConfig.MAX_TEXT_BYTES, Integer.toString(MAX_RECORD_BYTES));
        // The by-text hop, not the default's partition placement on this fresh id: its records are the widest.
        settings.put(StreamNlpConfig.CACHE_PLACEMENT, "by-text");
        StreamNlpConfig config = ConfigLoader.load(null, Map.of(), settings);
        assertThat(config.processingGuarantee()).isEqualTo("exactly_once_v2");

        List<String> ordinary = sent.stream().filter(Sent::ordinary).map(Sent::key).sorted().toList();
        try (StreamNlpApplication app = new StreamNlpApplication(config)) {
            app.start();
            List<ConsumerRecord<byte[], EmbeddingRecord>> embeddings = TopicReader.readAll(kafka.bootstrapServers(),
                    PREFIX + ".embeddings", AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(),
                    ordinary.size(), Duration.ofSeconds(120));
            assertThat(embeddings.stream().map(r -> r.value().getId()).sorted().toList())
                    .as("every ordinary event once on embeddings, nothing else").isEqualTo(ordinary);
            for (String output : List.of("sentiment", "entities", "enriched")) {
                assertThat(TopicReader.readAllBytes(kafka.bootstrapServers(), PREFIX + "." + output, ordinary.size(),
                        Duration.ofSeconds(60)).stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).sorted().toList())
                        .as("every ordinary event once on %s", output).isEqualTo(ordinary);
            }

            List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readAllBytes(kafka.bootstrapServers(), PREFIX + ".dlq",
                    hostile.size(), Duration.ofSeconds(60));
            assertThat(dead.stream().map(r -> DeadLetterHeaders.read(r.headers(), DeadLetterHeaders.SOURCE_TOPIC) + "@"
                    + DeadLetterHeaders.read(r.headers(), DeadLetterHeaders.SOURCE_OFFSET)).sorted().toList())
                    .as("every other record once in the dead-letter topic").isEqualTo(hostile.keySet().stream().sorted().toList());
            RecordBudget budget = RecordBudget.of(PRODUCER_LIMIT);
            for (ConsumerRecord<byte[], byte[]> letter : dead) {
                Sent original = hostile.get(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC) + "@"
                        + DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.SOURCE_OFFSET));
                String what = original.key() + " (" + original.label() + ")";
                assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.REASON)).as(what).isEqualTo(original.reason());
                assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.STAGE)).as(what).isEqualTo(IngestProcessor.STAGE);
                assertThat(producerSize(letter.key(), letter.value(), letter.headers()))
                        .as("%s: the dead letter within max.request.size", what).isLessThanOrEqualTo(PRODUCER_LIMIT);
                if (original.extraHeaders() > 300_000) {
                    assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.HEADERS_DROPPED))
                            .as("%s: its own headers left out, counted", what).isEqualTo(Integer.toString(original.extraHeaders() + 1));
                    assertThat(letter.headers().lastHeader("trace-id")).as(what).isNull();
                } else {
                    assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.HEADERS_DROPPED)).as(what).isNull();
                    assertThat(DeadLetterHeaders.read(letter.headers(), "trace-id")).as(what).isEqualTo("trace-" + original.key());
                    assertThat(Arrays.stream(letter.headers().toArray()).filter(h -> !h.key().startsWith("streamnlp.")))
                            .as("%s: its own headers kept", what).hasSize(original.extraHeaders() + 1);
                }
                byte[] key = original.kafkaKey();
                if (key.length > PRODUCER_LIMIT) {
                    assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.KEY_TRUNCATED)).as(what)
                            .isEqualTo(Integer.toString(key.length));
                    assertThat(letter.key()).as("%s: the start of its key", what).isEqualTo(Arrays.copyOf(key, letter.key().length));
                    assertThat(budget.valueRoom(letter.key(), letter.headers())).as("%s: the key has what the value leaves", what)
                            .isEqualTo(letter.value().length);
                } else {
                    assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.KEY_TRUNCATED)).as(what).isNull();
                    assertThat(letter.key()).as(what).isEqualTo(key);
                }
                String truncated = DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.VALUE_TRUNCATED);
                if (original.value().length <= MAX_RECORD_BYTES + 1) {
                    assertThat(truncated).as("%s: small enough to carry whole", what).isNull();
                    assertThat(letter.value()).as(what).isEqualTo(original.value());
                } else {
                    assertThat(truncated).as("%s: cut, with its size", what).isEqualTo(Integer.toString(original.value().length));
                    assertThat(letter.value()).as("%s: the start of the original", what)
                            .isEqualTo(Arrays.copyOf(original.value(), letter.value().length));
                    // Cut to fit, not shorter than it must be.
                    assertThat(budget.valueRoom(letter.key(), letter.headers())).as(what)
                            .isEqualTo(Math.max(0, letter.value().length));
                }
                if (RejectReason.TOO_LARGE.equals(original.reason())) {
                    assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE)).as(what)
                            .contains("max.record.bytes=" + MAX_RECORD_BYTES);
                }
            }

            Map<String, Accounting> accounting = Accounting.from(app.streams().metrics());
            for (String topic : List.of(AVRO, JSON, TEXT)) {
                long in = sent.stream().filter(s -> s.topic().equals(topic)).count();
                long out = sent.stream().filter(s -> s.topic().equals(topic) && s.ordinary()).count();
                assertThat(accounting.get(topic + "-0")).as(topic).isEqualTo(new Accounting(topic + "-0", in, out, in - out));
            }
            assertThat(app.telemetry().scrape()).contains("streamnlp_thread_replacements_total")
                    .containsPattern("streamnlp_thread_replacements_total\\{[^}]*\\} 0\\.0");
            assertThat(app.health().live()).isTrue();
            assertThat(get(app.metricsPort(), "/health/live").statusCode()).isEqualTo(200);
        }
        System.out.printf("SizeLimitsIntegrationTest: %d records (%d ordinary, %d dead-lettered) in %.1f s%n", sent.size(),
                ordinary.size(), hostile.size(), (System.nanoTime() - started) / 1e9);
        for (Sent record : sent) {
            if (!record.label().equals("ordinary")) {
                System.out.printf("  %-32s %-22s %9d B %-4s -> %s%n", record.key(), record.label(),
                        producerSize(record.kafkaKey(), record.value(), record.headers()),
                        record.compressed() ? "lz4" : "none", record.ordinary() ? "outputs" : "dlq " + record.reason());
            }
        }
    }

    /**
     * The issue's first bug: with {@code outputs=embeddings} no head runs, and the live page, fed their
     * missing answers, failed every batch. Every event comes out once, nothing is dead-lettered, no
     * thread is replaced, and the live page shows them all.
     */
    @Test
    void embeddingsOnlyWithTheLivePageOnEnrichesEveryEventAndThePageShowsThem() throws Exception {
        String input = "live.in";
        createInputTopics(List.of(input));
        int n = 12;
        List<String> ids = new ArrayList<>();
        try (var producer = producer(kafka.bootstrapServers(), "none")) {
            for (int i = 0; i < n; i++) {
                String id = "live-" + i;
                ids.add(id);
                producer.send(new ProducerRecord<>(input, utf8(id),
                        utf8("Stay " + i + ": Anna at the desk in Leeds was lovely, the breakfast cold."))).get();
            }
        }
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url());
        settings.put(StreamNlpConfig.APPLICATION_ID, "embeddings-live");
        settings.put(StreamNlpConfig.INPUT_TOPICS, input + ":text");
        settings.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, "live");
        settings.put(StreamNlpConfig.OUTPUTS, "embeddings");
        settings.put(StreamNlpConfig.LIVE_ENABLED, "true");
        settings.put(StreamNlpConfig.METRICS_PORT, "0");
        settings.put(StreamNlpConfig.STATE_DIR, Files.createTempDirectory("embeddings-live").toString());
        try (StreamNlpApplication app = new StreamNlpApplication(ConfigLoader.load(null, Map.of(), settings))) {
            app.start();
            assertThat(app.livePagePort()).isPositive();
            List<ConsumerRecord<byte[], EmbeddingRecord>> out = TopicReader.readAll(kafka.bootstrapServers(), "live.embeddings",
                    AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), n, Duration.ofSeconds(120));
            assertThat(out.stream().map(r -> r.value().getId()).sorted().toList()).isEqualTo(ids.stream().sorted().toList());
            assertThat(TopicReader.readAllBytes(kafka.bootstrapServers(), "live.dlq", 0, Duration.ofSeconds(30))).isEmpty();

            JsonNode tail = new ObjectMapper().readTree(get(app.livePagePort(), "/api/tail?n=" + n).body());
            assertThat(tail.get("enriched").asLong()).as("the page counted them").isEqualTo(n);
            List<String> shown = new ArrayList<>();
            tail.get("records").forEach(r -> shown.add(r.get("id").asText()));
            assertThat(shown).as("the page shows them").containsExactlyInAnyOrderElementsOf(ids);

            assertThat(app.telemetry().scrape()).containsPattern("streamnlp_thread_replacements_total\\{[^}]*\\} 0\\.0");
            assertThat(get(app.metricsPort(), "/health/live").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
