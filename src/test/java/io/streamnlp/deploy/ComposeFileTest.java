package io.streamnlp.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.ingest.InputTopic;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml checked without Docker: the services, StreamNLP's environment (every
 * variable a setting the app knows, the whole of it a valid configuration), and that every address
 * in it (bootstrap servers, registry, Prometheus target) names a service and a port that service
 * listens on. {@link ComposeConfigIntegrationTest} runs the app on that environment.
 */
class ComposeFileTest {

    static final ComposeFile COMPOSE = ComposeFile.load();
    static final String APP = "streamnlp";

    @Test
    void services() {
        assertThat(COMPOSE.serviceNames()).containsExactlyInAnyOrder(
                "kafka", "kafka-init", "schema-registry", "apicurio", APP, "prometheus", "grafana");
        assertThat(COMPOSE.texts("apicurio", "profiles")).containsExactly("apicurio");
        for (String name : COMPOSE.serviceNames()) {
            if (!name.equals("apicurio")) {
                assertThat(COMPOSE.service(name).has("profiles")).as(name + " runs by default").isFalse();
            }
        }
    }

    @Test
    void imagesArePinned() {
        assertThat(image("kafka")).isEqualTo("apache/kafka:" + Repo.pomProperty("kafka.version"));
        assertThat(image("kafka-init")).isEqualTo(image("kafka"));
        assertThat(image("apicurio")).isEqualTo("apicurio/apicurio-registry:" + Repo.pomProperty("apicurio.version"));
        assertThat(image("schema-registry")).matches("confluentinc/cp-schema-registry:\\d+\\.\\d+\\.\\d+");
        assertThat(image("prometheus")).matches("prom/prometheus:v\\d+\\.\\d+\\.\\d+");
        assertThat(image("grafana")).matches("grafana/grafana:\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void streamNlpIsBuiltFromTheDockerfile() {
        JsonNode build = COMPOSE.service(APP).path("build");
        var context = ComposeFile.FILE.getParent().resolve(build.path("context").asText()).normalize();
        assertThat(context).isEqualTo(Repo.ROOT);
        assertThat(context.resolve(build.path("dockerfile").asText())).isEqualTo(DockerfileTest.DOCKERFILE);
    }

    @Test
    void everyStreamNlpVariableIsASettingTheAppKnows() {
        Map<String, String> env = COMPOSE.environment(APP);
        assertThat(env).isNotEmpty();
        assertThat(env.keySet()).allMatch(name -> name.startsWith(ConfigLoader.ENV_PREFIX));
        assertThat(ConfigKeys.problems(env)).isEmpty();
        // And together they are a valid configuration.
        StreamNlpConfig config = ConfigLoader.load(null, env, Map.of());
        assertThat(config.applicationId()).isEqualTo(APP);
        assertThat(config.streamsProperties().getProperty("security.protocol")).isEqualTo("PLAINTEXT");
    }

    @Test
    void bootstrapServersAreTheBrokerServiceOnAnAdvertisedListener() {
        StreamNlpConfig config = config();
        Map<String, String> kafka = COMPOSE.environment("kafka");
        List<String> advertised = Arrays.asList(kafka.get("KAFKA_ADVERTISED_LISTENERS").split(","));
        for (String server : config.bootstrapServers().split(",")) {
            String[] hostPort = server.split(":");
            assertThat(hostPort[0]).isEqualTo("kafka");
            String listener = advertised.stream().filter(l -> l.endsWith("://" + server)).findFirst()
                    .orElseThrow(() -> new AssertionError(server + " is not among " + advertised));
            String name = listener.substring(0, listener.indexOf("://"));
            assertThat(kafka.get("KAFKA_LISTENERS")).contains(name + "://:" + hostPort[1]);
            assertThat(kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"))
                    .contains(name + ":" + config.streamsProperties().getProperty("security.protocol"));
        }
    }

    @Test
    void registryUrlIsTheRegistryServiceAndApicurioIsTheAlternative() {
        URI url = config().registry().url();
        assertThat(url.getHost()).isEqualTo("schema-registry");
        assertThat(COMPOSE.environment("schema-registry").get("SCHEMA_REGISTRY_LISTENERS"))
                .isEqualTo("http://0.0.0.0:" + url.getPort());
        assertThat(COMPOSE.service(APP).path("depends_on").path("schema-registry").path("condition").asText())
                .isEqualTo("service_healthy");
        // The apicurio profile: REGISTRY_URL switches StreamNLP to Apicurio's Confluent-compatible API,
        // on the port the apicurio service publishes.
        assertThat(COMPOSE.interpolatedVariables(APP, "STREAMNLP_SCHEMA_REGISTRY_URL")).containsExactly("REGISTRY_URL");
        assertThat(Repo.read(ComposeFile.FILE))
                .contains("REGISTRY_URL=http://apicurio:8080/apis/ccompat/v7 docker compose -f docker/compose.yaml --profile apicurio up --build");
        assertThat(COMPOSE.texts("apicurio", "ports")).contains("8080:8080");
    }

    @Test
    void initCreatesEveryTopicTheAppReadsAndWrites() {
        StreamNlpConfig config = config();
        List<String> created = initTopics();
        List<String> needed = new ArrayList<>(config.inputTopics().stream().map(InputTopic::name).toList());
        needed.addAll(config.outputTopics().all());
        assertThat(created).containsAll(needed);
        assertThat(COMPOSE.service(APP).path("depends_on").path("kafka-init").path("condition").asText())
                .isEqualTo("service_completed_successfully");
        assertThat(String.join("\n", COMPOSE.texts("kafka-init", "command"))).contains("for topic in $TOPICS");
    }

    @Test
    void prometheusScrapesTheMetricsPortThatIsPublished() {
        String port = String.valueOf(config().metricsPort());
        assertThat(COMPOSE.texts(APP, "ports")).contains(port + ":" + port);
        assertThat(COMPOSE.texts("prometheus", "volumes")).contains("./prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        JsonNode prometheus = Repo.yaml(Repo.DOCKER.resolve("prometheus.yml"));
        JsonNode job = prometheus.path("scrape_configs").get(0);
        assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
        List<String> targets = new ArrayList<>();
        job.path("static_configs").forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText())));
        assertThat(targets).containsExactly(APP + ":" + port);
    }

    @Test
    void stateLivesOnAVolumeAndShutdownHasTimeForABatch() {
        String stateDir = config().stateDir().toString();
        assertThat(stateDir).isEqualTo(DockerfileTest.MODEL.runtime().env().get("STREAMNLP_STATE_DIR"));
        assertThat(COMPOSE.texts(APP, "volumes")).contains("streamnlp-state:" + stateDir);
        assertThat(COMPOSE.root().path("volumes").has("streamnlp-state")).isTrue();
        Duration grace = Duration.parse("PT" + COMPOSE.service(APP).path("stop_grace_period").asText().toUpperCase());
        assertThat(grace).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
    }

    /** The topics kafka-init creates. */
    static List<String> initTopics() {
        return List.of(COMPOSE.environment("kafka-init").get("TOPICS").trim().split("\\s+"));
    }

    static int initPartitions() {
        return Integer.parseInt(COMPOSE.environment("kafka-init").get("PARTITIONS"));
    }

    private static StreamNlpConfig config() {
        return ConfigLoader.load(null, COMPOSE.environment(APP), Map.of());
    }

    private static String image(String service) {
        return COMPOSE.service(service).path("image").asText();
    }
}
