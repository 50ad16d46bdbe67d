package io.streamnlp.local;

import io.streamnlp.topics.Topics;
import io.streamnlp.samples.SampleReviews;
import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.OutputKind;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.LabelsRecord;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.schema.TextEvent;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The demo: on the embedded stack, feed the sample reviews as Avro TextEvents, run the pipeline,
 * collect every embedding record and print what came out. The live page is up while it runs; with
 * {@code --keep-running} everything stays up until Ctrl-C, and with {@code --loop} the reviews keep
 * coming at a gentle rate.
 */
public final class DemoRun {

    public static final String INPUT_TOPIC = "streamnlp.reviews";
    private static final int PARTITIONS = 2;

    /**
     * @param keepRunning after the table, leave everything up until {@code waitForStop} returns
     * @param loopPerSecond while kept running, feed the reviews again at this rate (0: do not)
     */
    public record Options(int rows, Duration timeout, boolean keepRunning, double loopPerSecond) {}

    private final PrintStream out;
    private final Options options;

    public DemoRun(PrintStream out, int rows, Duration timeout) {
        this(out, new Options(rows, timeout, false, 0));
    }

    public DemoRun(PrintStream out, Options options) {
        this.out = out;
        this.options = options;
    }

    /**
     * Runs the demo on the given stack; returns the embeddings by id.
     *
     * @param waitForStop called after the report when {@link Options#keepRunning()}, while the
     *     pipeline (and the loop) still run; returns when the user wants to stop
     */
    public Map<String, EmbeddingRecord> run(LocalStack stack, Map<String, String> extraSettings, Runnable waitForStop)
            throws Exception {
        try (DemoStateDir state = DemoStateDir.create()) {
            return run(stack, extraSettings, waitForStop, state);
        }
    }

    private Map<String, EmbeddingRecord> run(LocalStack stack, Map<String, String> extraSettings, Runnable waitForStop,
            DemoStateDir state) throws Exception {
        List<SampleReviews.Review> reviews = SampleReviews.load();
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
        settings.put(StreamNlpConfig.INPUT_TOPICS, INPUT_TOPIC + ":avro");
        settings.put(StreamNlpConfig.APPLICATION_ID, "streamnlp-demo");
        settings.put(StreamNlpConfig.STATE_DIR, state.path().toString());
        settings.putAll(extraSettings);
        StreamNlpConfig config = ConfigLoader.load(null, Map.of(), settings);

        Topics.ensure(config.adminProperties(), List.of(INPUT_TOPIC), PARTITIONS);
        Topics.ensure(config.adminProperties(), config.outputTopics().all(), PARTITIONS);
        out.printf("Broker %s, registry %s%n", stack.bootstrapServers(), stack.registryUrl());

        try (SchemaRegistryClient registry = new SchemaRegistryClient(config.registry())) {
            try (KafkaProducer<String, TextEvent> producer = producer(config, registry)) {
                produce(producer, reviews);
            }
            out.printf("Produced %d sample reviews to %s (Avro, Confluent wire format)%n", reviews.size(), INPUT_TOPIC);
            long started = System.nanoTime();
            try (StreamNlpApplication app = new StreamNlpApplication(config)) {
                app.start();
                String page = app.livePagePort() >= 0 ? "http://localhost:" + app.livePagePort() + "/" : null;
                if (page != null) {
                    out.printf("Live page: %s%s%n", page, options.keepRunning() ? "" : " (while the demo runs; --keep-running keeps it up)");
                }
                Map<String, EmbeddingRecord> embeddings = collect(config, registry, config.outputTopics().embeddings(),
                        EmbeddingRecord.class, EmbeddingRecord::getId, reviews.size());
                Map<String, SentimentRecord> sentiment = collect(config, registry, config.outputTopics().sentiment(),
                        SentimentRecord.class, SentimentRecord::getId, reviews.size());
                Map<String, EntitiesRecord> entities = collect(config, registry, config.outputTopics().entities(),
                        EntitiesRecord.class, EntitiesRecord::getId, reviews.size());
                double seconds = (System.nanoTime() - started) / 1e9;
                out.printf("Received %d embedding, %d sentiment and %d entities records in %.1f s (model load included)%n%n",
                        embeddings.size(), sentiment.size(), entities.size(), seconds);
                DemoReport report = new DemoReport(out, options.rows());
                report.print(reviews, embeddings, sentiment, entities);
                if (config.outputs().contains(OutputKind.LABELS)) {
                    report.printLabels(reviews, collect(config, registry, config.outputTopics().labels(),
                            LabelsRecord.class, LabelsRecord::getId, reviews.size()));
                }
                if (options.keepRunning()) {
                    keepRunning(stack, config, registry, reviews, page, waitForStop);
                }
                return embeddings;
            }
        }
    }

    private void keepRunning(LocalStack stack, StreamNlpConfig config, SchemaRegistryClient registry,
            List<SampleReviews.Review> reviews, String page, Runnable waitForStop) {
        out.printf("%nStill running.%s Kafka bootstrap: %s   Schema Registry: %s%n",
                page == null ? "" : " Live page: " + page + "  ", stack.bootstrapServers(), stack.registryUrl());
        out.printf("Produce to %s (Avro TextEvent). Ctrl-C to stop.%n", INPUT_TOPIC);
        if (options.loopPerSecond() <= 0) {
            waitForStop.run();
            return;
        }
        out.printf("Feeding the %d sample reviews again at %s/s under new ids (--loop); repeats are served from the "
                + "result cache.%n", reviews.size(), rate(options.loopPerSecond()));
        try (SampleFeeder feeder = new SampleFeeder(producer(config, registry), reviews, INPUT_TOPIC, options.loopPerSecond())) {
            feeder.start();
            waitForStop.run();
            feeder.close();
            out.printf("Fed %d more reviews.%n", feeder.sent());
        }
    }

    private static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
    }

    private static KafkaProducer<String, TextEvent> producer(StreamNlpConfig config, SchemaRegistryClient registry) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, new StringSerializer(), AvroSerdes.specific(TextEvent.class, registry, false).serializer());
    }

    private static void produce(KafkaProducer<String, TextEvent> producer, List<SampleReviews.Review> reviews) {
        Instant now = Instant.now();
        for (SampleReviews.Review review : reviews) {
            TextEvent event = TextEvent.newBuilder().setId(review.id()).setText(review.text())
                    .setSource("streamnlp-samples").setEventTime(now).setLanguage("en").build();
            producer.send(new ProducerRecord<>(INPUT_TOPIC, review.id(), event));
        }
        producer.flush();
    }

    private <T extends SpecificRecord> Map<String, T> collect(StreamNlpConfig config, SchemaRegistryClient registry,
            String topic, Class<T> type, Function<T, String> id, int expected) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "streamnlp-demo-reader-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, T> received = new LinkedHashMap<>();
        long deadline = System.nanoTime() + options.timeout().toNanos();
        try (KafkaConsumer<byte[], T> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                AvroSerdes.specific(type, registry, false).deserializer())) {
            consumer.subscribe(List.of(topic));
            int lastReported = 0;
            while (received.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> received.put(id.apply(r.value()), r.value()));
                if (type == EmbeddingRecord.class && (received.size() - lastReported >= 50
                        || (received.size() == expected && lastReported != expected))) {
                    lastReported = received.size();
                    out.printf("  ... %d / %d enriched%n", received.size(), expected);
                }
            }
        }
        if (received.size() < expected) {
            throw new IllegalStateException("Timed out after " + options.timeout().toSeconds() + " s with " + received.size()
                    + " of " + expected + " records on " + topic);
        }
        return received;
    }
}
