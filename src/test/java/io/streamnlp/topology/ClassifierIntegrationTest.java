package io.streamnlp.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.app.StartupFailedException;
import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.heads.ClassifierHead;
import io.streamnlp.heads.HeadFile;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.LabelsRecord;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.testing.TestClassifier;
import io.streamnlp.testing.TestEncoder;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The README's worked example on a real broker and registry: the tickets classifier trained from
 * {@code examples/support-tickets.tsv}, run with {@code classifiers=tickets}; its answer is on each enriched
 * record's labels map and on {@code <prefix>.labels}, keyed like the input. A head whose encoder fingerprint
 * is not the running encoder's stops the start, naming both fingerprints and the setting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClassifierIntegrationTest {

    private static final String INPUT = "tickets.in";
    private static final Map<String, String> TICKETS = new TreeMap<>(Map.of(
            "t-billing", "Hello, you charged my card twice for the same order, I want my money back",
            "t-shipping", "The courier says my package was delivered but it is not here",
            "t-bug", "Every time I press export the app freezes and shows an error",
            "t-account", "I cannot sign in to my account and the password reset email never comes",
            "t-feedback", "Just wanted to say the new version is lovely, great work"));

    private KafkaTestCluster kafka;
    private StreamNlpApplication app;
    private SchemaRegistryClient registry;
    private Map<String, String> settings;

    @BeforeAll
    void start() throws Exception {
        kafka = KafkaTestCluster.start();
        kafka.createTopics(List.of(INPUT), 2);
        settings = new HashMap<>();
        settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url());
        settings.put(StreamNlpConfig.APPLICATION_ID, "classifier-it");
        settings.put(StreamNlpConfig.INPUT_TOPICS, INPUT + ":json");
        settings.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, "tickets");
        settings.put(StreamNlpConfig.OUTPUTS, "enriched,labels");
        settings.put(StreamNlpConfig.CLASSIFIERS, TestClassifier.NAME);
        settings.put(StreamNlpConfig.CLASSIFIER_PATH, TestClassifier.path().toString());
        settings.put(StreamNlpConfig.STATE_DIR, Files.createTempDirectory("classifier-it").toString());
        settings.put(StreamNlpConfig.METRICS_PORT, "-1");
        StreamNlpConfig config = ConfigLoader.load(null, Map.of(), settings);
        registry = new SchemaRegistryClient(config.registry());
        app = new StreamNlpApplication(config);
        app.start();
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        if (registry != null) {
            registry.close();
        }
        kafka.close();
    }

    @Test
    void eachTicketsCategoryIsOnItsEnrichedRecordAndOnTheLabelsTopic() throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (Map.Entry<String, String> ticket : TICKETS.entrySet()) {
                producer.send(new ProducerRecord<>(INPUT, ticket.getKey(),
                        "{\"id\":\"" + ticket.getKey() + "\",\"text\":\"" + ticket.getValue() + "\"}")).get();
            }
        }
        List<ConsumerRecord<byte[], LabelsRecord>> labels = TopicReader.readAll(kafka.bootstrapServers(), "tickets.labels",
                AvroSerdes.specific(LabelsRecord.class, registry, false).deserializer(), TICKETS.size(), Duration.ofSeconds(120));
        Map<String, LabelsRecord> byKey = labels.stream().collect(Collectors.toMap(
                r -> new String(r.key(), StandardCharsets.UTF_8), ConsumerRecord::value));
        assertThat(byKey).containsOnlyKeys(TICKETS.keySet());
        String version = TestClassifier.result().file().version();
        byKey.forEach((key, record) -> {
            var answer = record.getLabels().get(TestClassifier.NAME);
            assertThat(answer.getLabel()).as(key).isEqualTo(key.substring("t-".length()));
            assertThat(answer.getHeadVersion()).isEqualTo(version);
            assertThat(answer.getProbabilities()).containsOnlyKeys("billing", "shipping", "bug", "account", "feedback");
            assertThat(record.getId()).isEqualTo(key);
        });

        List<ConsumerRecord<byte[], EnrichedEvent>> enriched = TopicReader.readAll(kafka.bootstrapServers(),
                "tickets.enriched", AvroSerdes.specific(EnrichedEvent.class, registry, false).deserializer(), TICKETS.size(),
                Duration.ofSeconds(60));
        Map<String, EnrichedEvent> enrichedById = enriched.stream().map(ConsumerRecord::value)
                .collect(Collectors.toMap(EnrichedEvent::getId, Function.identity()));
        assertThat(enrichedById).containsOnlyKeys(TICKETS.keySet());
        enrichedById.forEach((id, record) -> assertThat(record.getLabels()).as(id).isEqualTo(byKey.get(id).getLabels()));
        assertThat(TopicReader.readAllBytes(kafka.bootstrapServers(), "tickets.dlq", 0, Duration.ofSeconds(5))).isEmpty();
        // The classifier was trained on the packaged graph, so model.graph=auto runs that one: it reads its own space.
        assertThat(app.config().modelGraph()).isEqualTo(EncoderGraph.PACKAGED);
    }

    @Test
    void aClassifierTrainedOnAnotherEncoderFingerprintStopsTheStartNamingBothAndTheSetting() throws Exception {
        HeadFile trained = TestClassifier.result().file();
        Map<String, String> meta = new TreeMap<>(trained.meta());
        String foreign = "00000000000000000000000000000000";
        meta.put(ClassifierHead.ENCODER_FINGERPRINT, foreign);
        List<HeadFile.Tensor> tensors = new ArrayList<>();
        trained.tensorNames().forEach(name -> tensors.add(trained.tensor(name)));
        HeadFile other = HeadFile.createNamed(ClassifierHead.KIND, "classifier-" + TestClassifier.NAME, "1", trained.encoder(),
                trained.encoderVersion(), trained.labels(), meta, tensors);
        Path dir = Files.createTempDirectory("foreign-classifier");
        Files.createDirectories(dir.resolve(trained.encoder()));
        Files.write(dir.resolve(trained.encoder()).resolve(ClassifierHead.fileName(TestClassifier.NAME)), other.toBytes());

        Map<String, String> refused = new HashMap<>(settings);
        refused.put(StreamNlpConfig.APPLICATION_ID, "classifier-it-foreign");
        refused.put(StreamNlpConfig.CLASSIFIER_PATH, dir.toString());
        refused.put(StreamNlpConfig.STATE_DIR, Files.createTempDirectory("classifier-it-foreign").toString());
        assertThatThrownBy(() -> new StreamNlpApplication(ConfigLoader.load(null, Map.of(), refused)))
                .isInstanceOf(StartupFailedException.class)
                .hasMessageContaining(foreign)
                // The prefix holds the packaged graph's vectors (the first start's), so model.graph=auto runs that one.
                .hasMessageContaining(TestEncoder.get().fingerprint())
                .hasMessageContaining(StreamNlpConfig.CLASSIFIERS);
    }
}
