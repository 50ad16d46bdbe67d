package io.streamnlp.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.app.StartupFailedException;
import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.samples.SampleReviews;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.testing.ChildApp;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A replay owns only what it creates, on a real broker: {@code --id} naming a running application
 * (the configured {@code application.id}, or any group with active members) is refused before
 * anything is written, and the live application's topics, offsets and state stay as they were; a
 * replay that finds its by-text topic, its outputs or its state directory already there uses them
 * and deletes only the changelogs it created; two hosts running the same replay finish it once, one
 * of them handing over to the other, which deletes the internal topics only when it holds all of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayOwnershipIntegrationTest {

    private static final String MODEL = "minilm-l6-q";

    private KafkaTestCluster kafka;
    private SchemaRegistryClient registry;
    private Path workDir;
    private List<String> samples;

    @BeforeAll
    void start() throws Exception {
        workDir = Files.createTempDirectory("replay-ownership-it");
        kafka = KafkaTestCluster.start();
        registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()));
        samples = SampleReviews.load().stream().map(SampleReviews.Review::text).toList();
    }

    @AfterAll
    void stop() {
        registry.close();
        kafka.close();
    }

    private Map<String, String> settings(String stateDir) {
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url());
        settings.put(StreamNlpConfig.STATE_DIR, workDir.resolve(stateDir).toString());
        settings.put(StreamNlpConfig.MODEL_NAME, MODEL);
        settings.put(StreamNlpConfig.METRICS_PORT, "-1");
        return settings;
    }

    @Test
    void aReplayUnderARunningApplicationsIdIsRefusedAndTouchesNothingOfIt() throws Exception {
        produce("live.in", 2, 20);
        Map<String, String> live = settings("live");
        live.put(StreamNlpConfig.APPLICATION_ID, "live-app");
        live.put(StreamNlpConfig.INPUT_TOPICS, "live.in:text");
        live.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, "live");
        try (StreamNlpApplication app = new StreamNlpApplication(ConfigLoader.load(null, Map.of(), live))) {
            app.start();
            Set<String> internal = app.internalTopics();
            awaitCondition("the live application running, its internal topics created and its input committed",
                    () -> app.streams().state() == KafkaStreams.State.RUNNING && topics().containsAll(internal)
                            && committed("live-app").keySet().stream().filter(p -> p.topic().equals("live.in"))
                                    .mapToLong(p -> committed("live-app").get(p).offset()).sum() == 20);
            Set<String> topicsBefore = topics();
            Map<TopicPartition, Long> offsetsBefore = inputOffsets("live-app");
            Path liveState = workDir.resolve("live").resolve("live-app");
            assertThat(liveState).isDirectory();

            // 1. The live application's own configuration (same application.id, same state.dir), --id its id.
            StreamNlpConfig sameConfig = ConfigLoader.load(null, Map.of(), live);
            assertThatThrownBy(() -> ReplayRunner.prepare(
                    new ReplayRunner.Request("live.in:text", "earliest", "latest", "replayed", "live-app", 0), sameConfig))
                    .isInstanceOf(StartupFailedException.class)
                    .hasMessageStartingWith("--id live-app is the application id of the live application (application.id)")
                    .hasMessageContaining("Choose another --id, or leave --id out");

            // 2. Another configuration (another host, another application.id): the group's active members refuse it.
            Map<String, String> other = settings("other");
            StreamNlpConfig otherConfig = ConfigLoader.load(null, Map.of(), other);
            assertThatThrownBy(() -> ReplayRunner.prepare(
                    new ReplayRunner.Request("live.in:text", "earliest", "latest", "replayed", "live-app", 0), otherConfig))
                    .isInstanceOf(StartupFailedException.class)
                    .hasMessageStartingWith("--id live-app is the consumer group of a running application (group state Stable, 1 member(s): live-app-")
                    .hasMessageContaining("Choose another --id, or leave --id out");

            // 3. As a command: exit 2, one ERROR line naming --id.
            ChildApp child = ChildApp.start("replay", List.of("--from", "live.in:text", "--output-prefix", "replayed",
                    "--id", "live-app"), other, ChildApp.newLog(workDir, "replay-live-id"));
            assertThat(child.awaitExit(Duration.ofSeconds(120))).as("exit code, see %s", child.log()).isEqualTo(2);
            List<String> errors = Files.readAllLines(child.log()).stream().filter(l -> l.contains(" ERROR ")).toList();
            assertThat(errors).as("ERROR lines of %s", child.log()).singleElement().asString()
                    .contains("Cannot start: --id live-app is the consumer group of a running application");

            assertThat(topics()).as("topics, after the refused replays").isEqualTo(topicsBefore)
                    .doesNotContain("replayed.embeddings");
            assertThat(inputOffsets("live-app")).as("the live group's input offsets").isEqualTo(offsetsBefore);
            assertThat(liveState).as("the live application's state").isDirectory();
            assertThat(workDir.resolve("live").resolve("replays").resolve("live-app.properties")).doesNotExist();
            assertThat(workDir.resolve("other").resolve("replays").resolve("live-app.properties")).doesNotExist();
            assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    @Test
    void aReplayDeletesOnlyTheInternalTopicsItCreated() throws Exception {
        produce("owned.in", 2, 20);
        Map<String, String> settings = settings("owned");
        StreamNlpConfig config = ConfigLoader.load(null, Map.of(), settings);
        String id = "owned-replay";
        // Found before the replay: its by-text topic, its outputs and its state directory.
        List<String> outputs = ReplayRunner.configFor(new ReplayRunner.Request("owned.in:text", "earliest", "latest",
                "pre", id, 0), config, id).outputTopics().all();
        try (Admin admin = admin()) {
            List<NewTopic> found = new java.util.ArrayList<>(List.of(
                    new NewTopic(id + "-by-text", 2, (short) 1).configs(Map.of("retention.ms", "-1"))));
            outputs.forEach(t -> found.add(new NewTopic(t, 2, (short) 1)));
            admin.createTopics(found).all().get();
        }
        Files.createDirectories(config.stateDir().resolve(id));

        ReplaySummary summary = ReplayRunner.run(new ReplayRunner.Request("owned.in:text", "earliest", "latest", "pre", id,
                0), config, null);
        assertThat(summary.outcome()).isEqualTo(ReplaySummary.Outcome.FINISHED);
        assertThat(summary.out()).isEqualTo(20);

        Set<String> topics = topics();
        assertThat(topics).as("found: kept").contains(id + "-by-text").containsAll(outputs);
        assertThat(topics).as("created: deleted").doesNotContain(id + "-pending-batch-changelog",
                id + "-result-cache-changelog");
        assertThat(config.stateDir().resolve(id)).as("a state directory it found").isDirectory();
        assertThat(Files.readString(config.stateDir().resolve("replays").resolve(id + ".properties")))
                .contains("found.topics=" + id + "-by-text", "found.state.dir=true",
                        "created.topics=" + id + "-pending-batch-changelog," + id + "-result-cache-changelog",
                        "finished=true");
    }

    @Test
    void twoHostsRunningTheSameReplayFinishItOnceAndTheOneThatStaysCleansUp() throws Exception {
        int events = 200;
        produce("shared.in", 4, events, true);
        // The same command on two hosts (two state directories, one JVM): one derived id, one group.
        ReplayRunner.Request request = new ReplayRunner.Request("shared.in:text", "earliest", "latest", "shared", null, 8);
        ExecutorService hosts = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ReplaySummary>> runs = new ArrayList<>();
        for (String host : List.of("host-a", "host-b")) {
            StreamNlpConfig config = ConfigLoader.load(null, Map.of(), settings(host));
            runs.add(hosts.submit(() -> {
                go.await();
                return ReplayRunner.run(request, config, null);
            }));
        }
        go.countDown();
        List<ReplaySummary> summaries = new ArrayList<>();
        try {
            for (Future<ReplaySummary> run : runs) {
                summaries.add(run.get(300, TimeUnit.SECONDS));
            }
        } finally {
            hosts.shutdownNow();
        }
        summaries.forEach(System.out::println);
        String id = summaries.get(0).id();
        assertThat(summaries).extracting(ReplaySummary::id).containsOnly(id);
        assertThat(summaries).extracting(ReplaySummary::outcome).as("one stays and finishes, the other hands over")
                .containsExactlyInAnyOrder(ReplaySummary.Outcome.FINISHED, ReplaySummary.Outcome.HANDED_OFF);
        Map<String, Long> copies = TopicReader.readAll(kafka.bootstrapServers(), "shared.embeddings",
                        AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), events,
                        Duration.ofSeconds(60))
                .stream().collect(Collectors.groupingBy(r -> r.value().getId(), Collectors.counting()));
        assertThat(copies).as("every event once").hasSize(events).allSatisfy((event, count) -> assertThat(count).isOne());
        assertThat(topics()).as("the internal topics, deleted once the last member finished")
                .noneMatch(t -> t.startsWith(id + "-"));
        int finisher = summaries.get(0).outcome() == ReplaySummary.Outcome.FINISHED ? 0 : 1;
        assertThat(Files.readString(workDir.resolve(List.of("host-a", "host-b").get(finisher)).resolve("replays")
                .resolve(id + ".properties"))).contains("finished=true");
        assertThat(Files.readString(workDir.resolve(List.of("host-a", "host-b").get(1 - finisher)).resolve("replays")
                .resolve(id + ".properties"))).as("the host that handed over can resume it").contains("finished=false");
    }

    private void produce(String topic, int partitions, int count) throws Exception {
        produce(topic, partitions, count, false);
    }

    /** {@code count} events {@code e-<i>}; distinct texts cost an encoder pass each. */
    private void produce(String topic, int partitions, int count, boolean distinct) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                String text = samples.get(i % samples.size());
                producer.send(new ProducerRecord<>(topic, "e-" + i, distinct ? "Review " + i + ": " + text : text)).get();
            }
        }
    }

    private Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    private Set<String> topics() {
        try (Admin admin = admin()) {
            return new TreeSet<>(admin.listTopics().names().get());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(String group) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    new HashMap<>(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get());
            offsets.values().removeIf(java.util.Objects::isNull);
            return offsets;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The group's committed offsets on live.in (its commit metadata, a timestamp, changes at each commit). */
    private Map<TopicPartition, Long> inputOffsets(String group) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        committed(group).forEach((p, offset) -> {
            if (p.topic().equals("live.in")) {
                offsets.put(p, offset.offset());
            }
        });
        return offsets;
    }

    private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 120 s for %s", what).isLessThan(deadline);
            Thread.sleep(200); // poll interval of the condition
        }
    }
}
