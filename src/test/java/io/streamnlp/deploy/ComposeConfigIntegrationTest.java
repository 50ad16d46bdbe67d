package io.streamnlp.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.ingest.InputFormat;
import io.streamnlp.ingest.InputTopic;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The environment docker/compose.yaml gives the streamnlp service, run for real: loaded the way the
 * container loads it (ConfigLoader, environment layer) with only the addresses replaced by the
 * in-JVM broker's and registry's (and a temporary state dir, any free metrics port). The topics
 * are the ones compose's kafka-init creates. The app must reach RUNNING, pass the image's
 * HEALTHCHECK command, serve /metrics, and enrich one event of each input topic end to end.
 */
class ComposeConfigIntegrationTest {

    @TempDir
    Path stateDir;

    @Test
    void composeEnvironmentRunsThePipeline() throws Exception {
        Map<String, String> composeEnv = ComposeFileTest.COMPOSE.environment(ComposeFileTest.APP);
        try (KafkaTestCluster kafka = KafkaTestCluster.start();
                SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()))) {
            kafka.createTopics(ComposeFileTest.initTopics(), ComposeFileTest.initPartitions());

            StreamNlpConfig config = ConfigLoader.load(null, composeEnv, Map.of(
                    StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                    StreamNlpConfig.STATE_DIR, stateDir.toString(),
                    StreamNlpConfig.METRICS_PORT, "0"));
            // Everything else is compose's.
            assertThat(config.applicationId()).isEqualTo(composeEnv.get("STREAMNLP_APPLICATION_ID"));
            assertThat(config.modelName()).isEqualTo(composeEnv.get("STREAMNLP_MODEL_NAME"));
            List<InputTopic> inputs = config.inputTopics();
            assertThat(inputs).extracting(InputTopic::format).contains(InputFormat.values());

            try (StreamNlpApplication app = new StreamNlpApplication(config)) {
                app.start();
                awaitRunning(app);
                assertThat(runHealthCheck(app.metricsPort())).as("the image's HEALTHCHECK command").isZero();
                HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.metricsPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(metrics.statusCode()).isEqualTo(200);

                Map<String, String> textById = produceOneEventPerInput(kafka, registry, inputs);
                String bootstrap = kafka.bootstrapServers();
                var out = config.outputTopics();
                var embeddings = TopicReader.readAll(bootstrap, out.embeddings(),
                        AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), textById.size(), Duration.ofSeconds(120));
                var sentiment = TopicReader.readAll(bootstrap, out.sentiment(),
                        AvroSerdes.specific(SentimentRecord.class, registry, false).deserializer(), textById.size(), Duration.ofSeconds(60));
                var entities = TopicReader.readAll(bootstrap, out.entities(),
                        AvroSerdes.specific(EntitiesRecord.class, registry, false).deserializer(), textById.size(), Duration.ofSeconds(60));

                assertThat(embeddings).extracting(r -> r.value().getId()).containsExactlyInAnyOrderElementsOf(textById.keySet());
                assertThat(embeddings).allSatisfy(r -> {
                    assertThat(r.value().getModel()).isEqualTo(composeEnv.get("STREAMNLP_MODEL_NAME"));
                    assertThat(r.value().getVector()).hasSize(r.value().getDimension());
                });
                assertThat(sentiment).extracting(r -> r.value().getId()).containsExactlyInAnyOrderElementsOf(textById.keySet());
                assertThat(entities).extracting(r -> r.value().getId()).containsExactlyInAnyOrderElementsOf(textById.keySet());
                assertThat(entities).allSatisfy(r -> r.value().getEntities().forEach(e ->
                        assertThat(textById.get(r.value().getId()).substring(e.getStart(), e.getEnd())).isEqualTo(e.getText())));
                assertThat(TopicReader.readAllBytes(bootstrap, out.deadLetters(), 0, Duration.ofSeconds(1))).isEmpty();
            }
        }
    }

    private static void awaitRunning(StreamNlpApplication app) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (app.streams().state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(app.health().ready()).isTrue();
    }

    /** docker/Dockerfile's HEALTHCHECK command, run here with the app's metrics port. */
    private static int runHealthCheck(int port) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(DockerfileTest.healthCheckCommand()).redirectErrorStream(true);
        builder.environment().put("STREAMNLP_METRICS_PORT", String.valueOf(port));
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        process.getInputStream().transferTo(output);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        if (process.exitValue() != 0) {
            System.err.println("HEALTHCHECK output: " + output.toString(StandardCharsets.UTF_8));
        }
        return process.exitValue();
    }

    /** One event per input topic, in that topic's format; returns text by id. */
    private static Map<String, String> produceOneEventPerInput(KafkaTestCluster kafka, SchemaRegistryClient registry,
            List<InputTopic> inputs) {
        Map<String, String> textById = new HashMap<>();
        Map<String, Object> props = Map.of("bootstrap.servers", kafka.bootstrapServers(), "enable.idempotence", true);
        var avro = AvroSerdes.specific(TextEvent.class, registry, false).serializer();
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (InputTopic input : inputs) {
                String id = "compose-" + input.name();
                String text = "Anna from Berlin loved the new " + input.name() + " feature at Acme Corp.";
                byte[] value = switch (input.format()) {
                    case AVRO -> avro.serialize(input.name(), TextEvent.newBuilder().setId(id).setText(text).setSource("compose").build());
                    case JSON -> ("{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
                    case TEXT -> text.getBytes(StandardCharsets.UTF_8);
                };
                producer.send(new ProducerRecord<>(input.name(), id, value));
                textById.put(id, text);
            }
        }
        return textById;
    }
}
