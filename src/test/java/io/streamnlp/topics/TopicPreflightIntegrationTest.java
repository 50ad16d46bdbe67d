package io.streamnlp.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Topics at start, on a broker that does not auto-create topics (like most production clusters) and
 * refuses to let clients create topics under {@code refused.} (a creation policy, as a locked-down
 * cluster has). Missing outputs are created and records flow; otherwise the {@code run} command ends
 * within seconds, exit code 2, with one ERROR line naming each topic and the setting to change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicPreflightIntegrationTest {

    private static final Duration EXIT_LIMIT = Duration.ofSeconds(30);

    private KafkaTestCluster kafka;
    private Path workDir;

    @BeforeAll
    void startBroker() throws Exception {
        workDir = Files.createTempDirectory("preflight-it");
        kafka = KafkaTestCluster.start(Map.of("create.topic.policy.class.name", RefuseOutputTopicsPolicy.class.getName()));
    }

    @AfterAll
    void stopBroker() {
        kafka.close();
    }

    private Map<String, String> settings(String name, String input, String prefix) {
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url());
        settings.put(StreamNlpConfig.APPLICATION_ID, "preflight-" + name);
        settings.put(StreamNlpConfig.INPUT_TOPICS, input + ":text");
        settings.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, prefix);
        settings.put(StreamNlpConfig.STATE_DIR, workDir.resolve(name).toString());
        settings.put(StreamNlpConfig.METRICS_PORT, "-1");
        return settings;
    }

    @Test
    void missingOutputsAreCreatedLikeTheWidestInputAndRecordsFlow() throws Exception {
        kafka.createTopics(List.of("created.in"), 3);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 6; i++) {
                producer.send(new ProducerRecord<>("created.in", "id-" + i, "Order " + i + " arrived in Oslo on time."));
            }
        }
        try (StreamNlpApplication app = new StreamNlpApplication(
                ConfigLoader.load(null, Map.of(), settings("created", "created.in", "created")))) {
            app.start();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                var described = admin.describeTopics(List.of("created.embeddings", "created.sentiment", "created.entities",
                        "created.dlq")).allTopicNames().get();
                assertThat(described.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(3));
            }
            assertThat(TopicReader.readAllBytes(kafka.bootstrapServers(), "created.embeddings", 6, Duration.ofSeconds(120)))
                    .hasSize(6);
            assertThat(TopicReader.readAllBytes(kafka.bootstrapServers(), "created.entities", 6, Duration.ofSeconds(60)))
                    .hasSize(6);
        }
    }

    @Test
    void withCreationOffAMissingOutputEndsTheRunNamingItAndTheSetting() throws Exception {
        kafka.createTopics(List.of("nocreate.in"), 1);
        Map<String, String> settings = settings("nocreate", "nocreate.in", "nocreate");
        settings.put(StreamNlpConfig.TOPICS_CREATE, "false");
        String error = runExpectingExit(settings, "nocreate");
        assertThat(error).contains("nocreate.embeddings", "nocreate.sentiment", "nocreate.entities", "nocreate.dlq",
                "topics.create=true");
    }

    @Test
    void creationRefusedByTheClusterEndsTheRunNamingEachTopic() throws Exception {
        kafka.createTopics(List.of("refusing.in"), 1);
        String error = runExpectingExit(settings("refused", "refusing.in", "refused.out"), "refused");
        assertThat(error).contains("Cannot create output topic(s)", "refused.out.embeddings", "refused.out.dlq",
                "PolicyViolationException", "CREATE");
    }

    @Test
    void aMissingInputTopicEndsTheRunNamingIt() throws Exception {
        String error = runExpectingExit(settings("noinput", "no.such.input", "noinput"), "noinput");
        assertThat(error).contains("no.such.input", "input.topics");
    }

    /** Runs {@code run} in a child JVM; asserts exit code 2 within the limit; returns its ERROR line. */
    private String runExpectingExit(Map<String, String> settings, String name) throws Exception {
        Path log = ChildApp.newLog(workDir, name);
        ChildApp child = ChildApp.start(settings, log);
        long started = System.nanoTime();
        int exit = child.awaitExit(Duration.ofSeconds(120));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        List<String> errors = Files.readAllLines(log).stream().filter(line -> line.contains(" ERROR ")).toList();
        assertThat(exit).as("exit code, see %s", log).isEqualTo(2);
        assertThat(errors).as("ERROR lines of %s", log).hasSize(1);
        // The checks run before the model loads: JVM start, config, two admin calls.
        assertThat(took).as("time to exit").isLessThan(EXIT_LIMIT);
        return errors.getFirst();
    }
}
