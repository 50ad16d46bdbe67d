package io.streamnlp.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.app.StartupFailedException;
import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.CachePlacement;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.registry.InternalAvroSerde;
import io.streamnlp.schema.internal.PendingText;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving a running application from {@code cache.placement=by-text} to {@code partition} on a real
 * broker: an event still waiting in the by-text topic refuses the start (it would never be read
 * again), naming the setting and how to drain it; the default, {@code auto}, finds the topic and
 * keeps the hop (an upgrade from a release whose default was by-text), which drains it; then the
 * partition placement starts, takes no hop and enriches new events. Nothing accepted is lost on the
 * way. And {@code auto} on a fresh application id takes no hop and creates no by-text topic.
 */
class CachePlacementSwitchIntegrationTest {

    private static final String APP = "placement-switch";
    private static final String INPUT = "ps.reviews";
    private static final String PREFIX = "ps";
    private static final String BY_TEXT = APP + "-by-text";

    @TempDir
    Path stateDir;

    @Test
    void anEventWaitingInTheByTextTopicRefusesThePartitionPlacementUntilDrained() throws Exception {
        try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
            kafka.createTopics(List.of(INPUT, BY_TEXT, PREFIX + ".embeddings", PREFIX + ".sentiment", PREFIX + ".entities",
                    PREFIX + ".enriched", PREFIX + ".dlq"), 1);
            // An event the by-text placement accepted and routed, not yet consumed when the instance stopped.
            PendingText waiting = PendingText.newBuilder().setKey(java.nio.ByteBuffer.wrap(bytes("waiting")))
                    .setId("waiting").setText("The battery lasts two full days.").setEventTime(1_700_000_000_000L)
                    .setTimestamp(1_700_000_000_000L).setSourceTopic(INPUT).setSourcePartition(0).setSourceOffset(0)
                    .build();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(BY_TEXT, bytes("by-text-key"),
                        new InternalAvroSerde<>(PendingText.class).serializer().serialize(BY_TEXT, waiting))).get();
            }

            try (StreamNlpApplication app = new StreamNlpApplication(config(kafka, "partition"))) {
                assertThatThrownBy(app::start).isInstanceOf(StartupFailedException.class)
                        .hasMessageContaining("cache.placement=partition").hasMessageContaining(BY_TEXT)
                        .hasMessageContaining("1 unconsumed event").hasMessageContaining("cache.placement=by-text until");
            }

            try (StreamNlpApplication app = new StreamNlpApplication(config(kafka, "auto"))) {
                assertThat(app.config().cachePlacement()).as("auto, where the by-text topic exists")
                        .isEqualTo(CachePlacement.BY_TEXT);
                app.start();
                assertThat(keys(kafka, 1)).containsExactly("waiting");
            }

            try (StreamNlpApplication app = new StreamNlpApplication(config(kafka, "partition"));
                    var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                            new StringSerializer(), new StringSerializer())) {
                app.start();
                assertThat(app.internalTopics()).doesNotContain(BY_TEXT);
                producer.send(new ProducerRecord<>(INPUT, "fresh", "Arrived after the switch; fast and quiet.")).get();
                assertThat(keys(kafka, 2)).as("each event out once, the waiting one before the switch")
                        .containsExactlyInAnyOrder("waiting", "fresh");
            }

            Map<String, String> fresh = new java.util.HashMap<>(config(kafka, "auto").originalsStrings());
            fresh.put(StreamNlpConfig.APPLICATION_ID, "placement-fresh");
            fresh.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, PREFIX + "-fresh");
            try (StreamNlpApplication app = new StreamNlpApplication(ConfigLoader.load(null, Map.of(), fresh))) {
                assertThat(app.config().cachePlacement()).as("auto, on a fresh application id").isEqualTo(CachePlacement.PARTITION);
                app.start();
                assertThat(app.internalTopics()).doesNotContain("placement-fresh-by-text");
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                    assertThat(admin.listTopics().names().get()).as("no by-text topic created").doesNotContain("placement-fresh-by-text");
                }
            }
        }
    }

    private static List<String> keys(KafkaTestCluster kafka, int expected) {
        return TopicReader.readAllBytes(kafka.bootstrapServers(), PREFIX + ".sentiment", expected, Duration.ofSeconds(120))
                .stream().map(ConsumerRecord::key).map(k -> new String(k, StandardCharsets.UTF_8)).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private StreamNlpConfig config(KafkaTestCluster kafka, String placement) {
        return ConfigLoader.load(null, Map.of(), Map.of(
                StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                StreamNlpConfig.APPLICATION_ID, APP,
                StreamNlpConfig.INPUT_TOPICS, INPUT + ":text",
                StreamNlpConfig.OUTPUT_TOPIC_PREFIX, PREFIX,
                StreamNlpConfig.MODEL_NAME, "minilm-l6-q",
                StreamNlpConfig.CACHE_PLACEMENT, placement,
                StreamNlpConfig.METRICS_PORT, "0",
                StreamNlpConfig.STATE_DIR, stateDir.toString()));
    }
}
