package io.streamnlp.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.enrich.FaultInjection;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.samples.SampleReviews;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.testing.ChildApp;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The replay command's life cycle on a real broker, as an operator sees it: stopped with SIGTERM it
 * commits, says so and exits 0, and the same command resumes it; once finished it deletes its
 * internal topics and local state (unless {@code --keep-state}); run again it says it already
 * finished and writes nothing, until the source has grown, when the same command is a new replay with
 * a new id; a start that cannot work exits 2, an instance that gives up exits 3.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayLifecycleIntegrationTest {

    private static final Pattern REPLAY_ID = Pattern.compile("Replay id: (\\S+)");
    /** The smallest encoder: these tests are about the replay's life cycle, not its vectors. */
    private static final String MODEL = "minilm-l6-q";

    private KafkaTestCluster kafka;
    private SchemaRegistryClient registry;
    private Path workDir;
    private List<String> samples;

    @BeforeAll
    void start() throws Exception {
        workDir = Files.createTempDirectory("replay-lifecycle-it");
        kafka = KafkaTestCluster.start();
        registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()));
        samples = SampleReviews.load().stream().map(SampleReviews.Review::text).toList();
    }

    @AfterAll
    void stop() {
        registry.close();
        kafka.close();
    }

    private Map<String, String> settings(String name) {
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url());
        settings.put(StreamNlpConfig.STATE_DIR, workDir.resolve(name).toString());
        settings.put(StreamNlpConfig.MODEL_NAME, MODEL);
        return settings;
    }

    private static StreamNlpConfig config(Map<String, String> settings) {
        return ConfigLoader.load(null, Map.of(), settings);
    }

    @Test
    void sigtermStopsTheReplayCleanlyAndTheSameCommandResumesIt() throws Exception {
        int events = 300;
        String source = "sig.in";
        produce(source, 4, 0, events, true);
        Map<String, String> settings = settings("sig");
        // A stopped Kafka Streams member stays in its group until its session times out (45 s by default).
        settings.put("kafka.session.timeout.ms", "10000");
        List<String> command = List.of("--from", source + ":text", "--output-prefix", "sig", "--max-rate", "20");
        ChildApp child = ChildApp.start("replay", command, settings, ChildApp.newLog(workDir, "replay-sigterm"));
        ReplayRunner.Request request = new ReplayRunner.Request(source + ":text", "earliest", "latest", "sig", null, 0);
        StreamNlpConfig config = config(settings);
        String group = ReplayRunner.idOf(request, config);

        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        long read = 0;
        while (read < 60 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(250); // poll interval of the condition "some input committed"
            read = committedInput(group, source);
        }
        assertThat(read).as("committed before the stop, see %s", child.log()).isBetween(60L, (long) events - 1);
        long stopping = System.nanoTime();
        int exit = child.terminate(Duration.ofSeconds(90));
        System.out.printf("SIGTERM to exit: %d ms%n", (System.nanoTime() - stopping) / 1_000_000);
        String log = Files.readString(child.log());
        assertThat(exit).as("exit code, see %s", child.log()).isZero();
        assertThat(log).contains("Replay id: " + group, "Replay " + group + " interrupted: ",
                "run the same command to resume it");
        long committedAtStop = committedInput(group, source);
        assertThat(committedAtStop).as("the close committed what was done").isBetween(read, (long) events - 1);
        assertThat(log).contains(String.format("interrupted: %d of %d records read and committed", committedAtStop, events));

        ReplaySummary resumed = ReplayRunner.run(request, config, null);
        System.out.println(resumed);
        assertThat(resumed.id()).isEqualTo(group);
        assertThat(resumed.outcome()).isEqualTo(ReplaySummary.Outcome.FINISHED);
        assertThat(resumed.in()).as("went on from the interrupted run's commits").isBetween(1L, events - committedAtStop);
        Outputs all = Outputs.read(kafka, registry, "sig", events); // fails on any duplicate
        assertThat(all.embeddings().keySet()).isEqualTo(ids(0, events));
        assertThat(all.sentiment().keySet()).isEqualTo(ids(0, events));
        assertThat(all.entities().keySet()).isEqualTo(ids(0, events));
    }

    @Test
    void aFinishedReplayDeletesItsInternalTopicsAndLocalStateUnlessKept() throws Exception {
        String source = "clean.in";
        produce(source, 2, 0, 30, false);
        Map<String, String> settings = settings("clean");
        // The by-text hop (not the default's partition placement on a fresh replay id): its topic is one to delete.
        settings.put(StreamNlpConfig.CACHE_PLACEMENT, "by-text");
        StreamNlpConfig config = config(settings);
        Path stateDir = config.stateDir();

        ReplaySummary kept = ReplayRunner.run(
                new ReplayRunner.Request(source + ":text", "earliest", "latest", "kept", null, 0, true), config, null);
        assertThat(kept.outcome()).isEqualTo(ReplaySummary.Outcome.FINISHED);
        assertThat(kept.out()).isEqualTo(30);
        assertThat(topicsOf(kept.id())).as("--keep-state").containsExactlyInAnyOrder(kept.id() + "-by-text",
                kept.id() + "-pending-batch-changelog", kept.id() + "-result-cache-changelog");
        assertThat(stateDir.resolve(kept.id())).as("--keep-state").isDirectory();
        assertThat(retentionOf(kept.id() + "-by-text")).as("replayed events keep old timestamps: no time retention")
                .isEqualTo("-1");

        ReplaySummary cleaned = ReplayRunner.run(
                new ReplayRunner.Request(source + ":text", "earliest", "latest", "cleaned", null, 0), config, null);
        assertThat(cleaned.outcome()).isEqualTo(ReplaySummary.Outcome.FINISHED);
        assertThat(cleaned.out()).isEqualTo(30);
        assertThat(cleaned.id()).isNotEqualTo(kept.id());
        assertThat(topicsOf(cleaned.id())).as("internal topics of a finished replay").isEmpty();
        assertThat(stateDir.resolve(cleaned.id())).as("local state of a finished replay").doesNotExist();
        assertThat(topicsOf(kept.id())).as("another replay's topics are not touched").hasSize(3);
        assertThat(Outputs.read(kafka, registry, "cleaned", 30).embeddings().keySet()).isEqualTo(ids(0, 30));
        assertThat(Files.readString(stateDir.resolve("replays").resolve(cleaned.id() + ".properties")))
                .as("the plan keeps its finished flag").contains("finished=true", "finished.records=30");
        ReplaySummary again = ReplayRunner.run(
                new ReplayRunner.Request(source + ":text", "earliest", "latest", "cleaned", null, 0), config, null);
        assertThat(again.outcome()).isEqualTo(ReplaySummary.Outcome.ALREADY_FINISHED);
        assertThat(topicsOf(cleaned.id())).as("a rerun that does nothing creates nothing").isEmpty();
    }

    @Test
    void aFinishedReplayRunAgainDoesNothingUntilTheSourceGrowsThenItIsANewReplay() throws Exception {
        String source = "again.in";
        produce(source, 2, 0, 20, false);
        Map<String, String> settings = settings("again");
        List<String> command = List.of("--from", source + ":text", "--output-prefix", "again");
        ReplayRunner.Request request = new ReplayRunner.Request(source + ":text", "earliest", "latest", "again", null, 0);
        ReplaySummary first = ReplayRunner.run(request, config(settings), null);
        assertThat(first.outcome()).isEqualTo(ReplaySummary.Outcome.FINISHED);
        assertThat(first.in()).isEqualTo(20);
        List<String> outputs = List.of("again.embeddings", "again.sentiment", "again.entities", "again.dlq");
        Map<TopicPartition, Long> written = endOffsets(outputs);

        ChildApp rerun = ChildApp.start("replay", command, settings, ChildApp.newLog(workDir, "replay-rerun"));
        assertThat(rerun.awaitExit(Duration.ofSeconds(120))).as("exit code, see %s", rerun.log()).isZero();
        String rerunLog = Files.readString(rerun.log());
        assertThat(rerunLog).contains("Replay " + first.id() + " already finished: 20 records; nothing to do")
                .doesNotContain("Replay id:", "Loaded encoder", "Kafka Streams state");
        assertThat(endOffsets(outputs)).as("nothing written, not even a transaction marker").isEqualTo(written);

        produce(source, 2, 20, 5, false);
        ChildApp grown = ChildApp.start("replay", command, settings, ChildApp.newLog(workDir, "replay-grown"));
        assertThat(grown.awaitExit(Duration.ofSeconds(240))).as("exit code, see %s", grown.log()).isZero();
        String grownLog = Files.readString(grown.log());
        Matcher id = REPLAY_ID.matcher(grownLog);
        assertThat(id.find()).as("a Replay id line in %s", grown.log()).isTrue();
        assertThat(id.group(1)).as("a new replay").isNotEqualTo(first.id()).startsWith("streamnlp-replay-");
        assertThat(grownLog).contains("new plan: 25 records", "Replay " + id.group(1) + " finished")
                .containsPattern("records in +25\\b");
        // The whole new range: the first 20 events once more, the 5 new ones for the first time.
        Map<String, Long> copies = TopicReader.readAll(kafka.bootstrapServers(), "again.embeddings",
                        AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), 45, Duration.ofSeconds(60))
                .stream().collect(Collectors.groupingBy(r -> r.value().getId(), Collectors.counting()));
        Map<String, Long> expected = new HashMap<>();
        IntStream.range(0, 25).forEach(i -> expected.put("e-" + i, i < 20 ? 2L : 1L));
        assertThat(copies).isEqualTo(expected);
    }

    @Test
    void aStartThatCannotWorkExits2AndAnInstanceThatGivesUpExits3() throws Exception {
        Map<String, String> settings = settings("exits");
        ChildApp missing = ChildApp.start("replay", List.of("--from", "nowhere:text", "--output-prefix", "nowhere"),
                settings, ChildApp.newLog(workDir, "replay-missing"));
        assertThat(missing.awaitExit(Duration.ofSeconds(60))).as("exit code, see %s", missing.log()).isEqualTo(2);
        assertThat(Files.readString(missing.log()))
                .contains("Cannot start: Source topic(s) nowhere do not exist on " + kafka.bootstrapServers() + ": fix --from")
                .doesNotContain("Exception in thread", "Loaded encoder");

        String source = "broken.in";
        produce(source, 1, 0, 3, false);
        settings.put(StreamNlpConfig.MAX_THREAD_REPLACEMENTS, "0");
        ChildApp broken = ChildApp.start("replay", List.of("--from", source + ":text", "--output-prefix", "broken"),
                settings, ChildApp.newLog(workDir, "replay-broken"), List.of("-D" + FaultInjection.ENCODER_PROPERTY + "=true"));
        assertThat(broken.awaitExit(Duration.ofSeconds(180))).as("exit code, see %s", broken.log()).isEqualTo(3);
        assertThat(Files.readString(broken.log())).contains("stopped after a failure", "Stopped after a failure: ",
                "max.thread.replacements=0");
        String id = ReplayRunner.idOf(new ReplayRunner.Request(source + ":text", "earliest", "latest", "broken", null, 0),
                config(settings));
        assertThat(Files.readString(workDir.resolve("exits").resolve("replays").resolve(id + ".properties")))
                .as("a replay that gave up is not finished: the same command resumes it").contains("finished=false");
    }

    /** {@code count} events {@code e-<i>} from {@code first} on, as plain text; creates the topic on the first call. */
    private void produce(String topic, int partitions, int first, int count, boolean distinct) throws Exception {
        if (first == 0) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            }
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = first; i < first + count; i++) {
                // Distinct texts cost an encoder pass each, so a throttled replay is still busy when stopped.
                String text = distinct ? "Review " + i + ": " + samples.get(i % samples.size()) : samples.get(i % samples.size());
                producer.send(new ProducerRecord<>(topic, "e-" + i, text)).get();
            }
        }
    }

    /** Source records the replay's group has committed as read. */
    private long committedInput(String group, String source) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(source) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    /** The topics named {@code <id>-...}: the replay's internal ones. */
    private Set<String> topicsOf(String id) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.listTopics().names().get().stream().filter(t -> t.startsWith(id + "-"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private String retentionOf(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms").value();
        }
    }

    /** Log end offsets (read_uncommitted: transaction markers count) of every partition of the topics. */
    private Map<TopicPartition, Long> endOffsets(List<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().values().forEach(d -> d.partitions()
                    .forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((p, info) -> ends.put(p, info.offset()));
            return ends;
        }
    }

    private static Set<String> ids(int from, int until) {
        return IntStream.range(from, until).mapToObj(i -> "e-" + i).collect(Collectors.toSet());
    }

    /** The three output topics of one replay, by event id; fails on a duplicate. */
    private record Outputs(Map<String, EmbeddingRecord> embeddings, Map<String, SentimentRecord> sentiment,
            Map<String, EntitiesRecord> entities) {

        static Outputs read(KafkaTestCluster kafka, SchemaRegistryClient registry, String prefix, int expected) {
            return new Outputs(
                    byId(read(kafka, prefix + ".embeddings", AvroSerdes.specific(EmbeddingRecord.class, registry, false)
                            .deserializer(), expected), EmbeddingRecord::getId),
                    byId(read(kafka, prefix + ".sentiment", AvroSerdes.specific(SentimentRecord.class, registry, false)
                            .deserializer(), expected), SentimentRecord::getId),
                    byId(read(kafka, prefix + ".entities", AvroSerdes.specific(EntitiesRecord.class, registry, false)
                            .deserializer(), expected), EntitiesRecord::getId));
        }

        private static <V> List<ConsumerRecord<byte[], V>> read(KafkaTestCluster kafka, String topic,
                Deserializer<V> deserializer, int expected) {
            return TopicReader.readAll(kafka.bootstrapServers(), topic, deserializer, expected, Duration.ofSeconds(60));
        }

        private static <V> Map<String, V> byId(List<ConsumerRecord<byte[], V>> records, Function<V, String> id) {
            Map<String, V> byId = new HashMap<>();
            for (var record : records) {
                assertThat(byId.put(id.apply(record.value()), record.value())).as("duplicate %s", id.apply(record.value()))
                        .isNull();
            }
            return byId;
        }
    }
}
