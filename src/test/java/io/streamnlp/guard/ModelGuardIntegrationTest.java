package io.streamnlp.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.app.StartupFailedException;
import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingModel;
import io.streamnlp.testing.ChildApp;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * No mixed vector spaces on a real broker and registry: the first start on a prefix records its
 * encoder in the compacted {@code <prefix>.models}; a start with another encoder on that prefix is
 * refused (in-JVM, and as the {@code run} command: exit 2, one ERROR line) unless
 * {@code model.change=allow}, which records the new one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelGuardIntegrationTest {

    private KafkaTestCluster kafka;
    private SchemaRegistryClient registry;
    private Path workDir;

    @BeforeAll
    void start() throws Exception {
        workDir = Files.createTempDirectory("guard-it");
        kafka = KafkaTestCluster.start();
        kafka.createTopics(List.of("guard.in"), 1);
        registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()));
    }

    @AfterAll
    void stop() {
        registry.close();
        kafka.close();
    }

    private Map<String, String> settings(String name, String prefix, String model) {
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url());
        settings.put(StreamNlpConfig.APPLICATION_ID, "guard-" + name);
        settings.put(StreamNlpConfig.INPUT_TOPICS, "guard.in:text");
        settings.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, prefix);
        settings.put(StreamNlpConfig.MODEL_NAME, model);
        settings.put(StreamNlpConfig.STATE_DIR, workDir.resolve(name).toString());
        settings.put(StreamNlpConfig.METRICS_PORT, "-1");
        return settings;
    }

    private static void startAndClose(Map<String, String> settings) {
        new StreamNlpApplication(ConfigLoader.load(null, Map.of(), settings)).close();
    }

    private List<EmbeddingModel> records(String prefix, int expected) {
        return GuardRecords.encoders(kafka.bootstrapServers(), registry, prefix, expected);
    }

    @Test
    void aSecondEncoderOnAPrefixIsRefusedUnlessTheChangeIsAllowed() throws Exception {
        startAndClose(settings("first", "vectors", "minilm-l6-q"));
        List<EmbeddingModel> recorded = records("vectors", 1);
        assertThat(recorded).singleElement().satisfies(model -> {
            assertThat(model.getModel()).isEqualTo("minilm-l6-q");
            assertThat(model.getFingerprint()).hasSize(32);
            assertThat(model.getDimension()).isEqualTo(384);
            assertThat(model.getApplicationId()).isEqualTo("guard-first");
        });
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            var topic = admin.describeTopics(List.of("vectors.models")).allTopicNames().get().get("vectors.models");
            assertThat(topic.partitions()).hasSize(1);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "vectors.models");
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }

        // The same encoder again (another instance, another application id): nothing new is recorded.
        startAndClose(settings("again", "vectors", "minilm-l6-q"));
        assertThat(records("vectors", 1)).hasSize(1);

        assertThatThrownBy(() -> startAndClose(settings("other", "vectors", "e5-small-q")))
                .isInstanceOf(StartupFailedException.class)
                .hasMessageContaining("Output prefix 'vectors' holds vectors of minilm-l6-q")
                .hasMessageContaining("e5-small-q")
                .hasMessageContaining("replay --output-prefix")
                .hasMessageContaining("model.change=allow");
        assertThat(records("vectors", 1)).as("a refused start records nothing").hasSize(1);

        // Another prefix takes another encoder without a word.
        startAndClose(settings("new-prefix", "vectors-e5", "e5-small-q"));
        assertThat(records("vectors-e5", 1)).extracting(EmbeddingModel::getModel).containsExactly("e5-small-q");

        Map<String, String> allowed = settings("allowed", "vectors", "e5-small-q");
        allowed.put(StreamNlpConfig.MODEL_CHANGE, "allow");
        startAndClose(allowed);
        assertThat(records("vectors", 2)).extracting(EmbeddingModel::getModel).containsExactly("minilm-l6-q", "e5-small-q");
        // Now e5 is the prefix's encoder, and minilm is the one refused.
        assertThatThrownBy(() -> startAndClose(settings("back", "vectors", "minilm-l6-q")))
                .isInstanceOf(StartupFailedException.class).hasMessageContaining("holds vectors of e5-small-q");
    }

    @Test
    void theDefaultGraphIsFusedOnANewPrefixAndStaysPackagedWhereThePrefixHoldsPackagedVectors() {
        EncoderSpec spec = ModelCatalogue.byName("minilm-l6-q");
        // A prefix written by a release before model.graph=auto (the packaged graph was the only one).
        Map<String, String> before = settings("graph-before", "upgraded", "minilm-l6-q");
        before.put(StreamNlpConfig.MODEL_GRAPH, "packaged");
        startAndClose(before);
        assertThat(records("upgraded", 1)).extracting(EmbeddingModel::getFingerprint)
                .containsExactly(Encoder.fingerprintOf(spec, EncoderGraph.PACKAGED));

        // The upgrade, on the default: it keeps the packaged graph, and the guard finds the same encoder.
        try (StreamNlpApplication upgraded = new StreamNlpApplication(ConfigLoader.load(null, Map.of(),
                settings("graph-after", "upgraded", "minilm-l6-q")))) {
            assertThat(upgraded.config().modelGraph()).isEqualTo(EncoderGraph.PACKAGED);
        }
        assertThat(records("upgraded", 1)).as("nothing new recorded").hasSize(1);

        // A new prefix gets the fused graph, and records its fingerprint.
        try (StreamNlpApplication fresh = new StreamNlpApplication(ConfigLoader.load(null, Map.of(),
                settings("graph-fresh", "fresh-graph", "minilm-l6-q")))) {
            assertThat(fresh.config().modelGraph()).isEqualTo(EncoderGraph.FUSED);
        }
        assertThat(records("fresh-graph", 1)).extracting(EmbeddingModel::getFingerprint)
                .containsExactly(Encoder.fingerprintOf(spec, EncoderGraph.FUSED));

        // An encoder without a fused graph (the fp32 one) runs its packaged graph.
        try (StreamNlpApplication fp32 = new StreamNlpApplication(ConfigLoader.load(null, Map.of(),
                settings("graph-fp32", "fp32-graph", "minilm-l6")))) {
            assertThat(fp32.config().modelGraph()).isEqualTo(EncoderGraph.PACKAGED);
        }
    }

    @Test
    void anOutputSetWithoutVectorsIsNotGuarded() {
        Map<String, String> sentimentOnly = settings("moods", "moods", "minilm-l6-q");
        sentimentOnly.put(StreamNlpConfig.OUTPUTS, "sentiment");
        startAndClose(sentimentOnly);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).doesNotContain("moods.models").contains("moods.sentiment");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theRunCommandRefusesAnotherEncoderWithOneErrorLineAndExitCode2() throws Exception {
        startAndClose(settings("cli-first", "cli", "minilm-l6-q"));
        Path log = ChildApp.newLog(workDir, "cli-refused");
        ChildApp child = ChildApp.start(settings("cli-refused", "cli", "e5-small-q"), log);
        int exit = child.awaitExit(Duration.ofSeconds(120));
        List<String> errors = Files.readAllLines(log).stream().filter(line -> line.contains(" ERROR ")).toList();
        assertThat(exit).as("exit code, see %s", log).isEqualTo(2);
        assertThat(errors).as("ERROR lines of %s", log).singleElement().asString()
                .contains("holds vectors of minilm-l6-q", "model.change=allow");
    }
}
