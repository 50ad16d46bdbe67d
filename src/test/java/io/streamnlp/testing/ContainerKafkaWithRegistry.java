package io.streamnlp.testing;

import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Apache Kafka's own image ({@code apache/kafka}, single KRaft node) and Confluent's Schema Registry
 * ({@code confluentinc/cp-schema-registry}) in Docker, on a network of their own: what a user runs
 * to prove compatibility with Confluent's registry. Needs a Docker engine; tests that use it are
 * annotated {@code @Testcontainers(disabledWithoutDocker = true)} and skip without one.
 *
 * <p>The broker is configured like {@link KafkaTestCluster}: internal topics with replication
 * factor 1 (so transactions work), 4 partitions for offsets and transaction state, no initial
 * rebalance delay, no auto-created topics. The registry keeps its schemas in the broker (topic
 * {@code _schemas}), reached through a listener advertised under the broker's network alias.
 *
 * <p>Images are pinned (Kafka at the clients' version, as in docker/compose.yaml); {@code -Dcontainers.kafka.image=...} and
 * {@code -Dcontainers.registry.image=...} try others.
 */
public final class ContainerKafkaWithRegistry implements KafkaWithRegistry {

    public static final String KAFKA_IMAGE = System.getProperty("containers.kafka.image", "apache/kafka:4.4.0");
    public static final String REGISTRY_IMAGE =
            System.getProperty("containers.registry.image", "confluentinc/cp-schema-registry:8.0.0");

    /** The broker's listener for the other containers on the network: its alias and a port of its own. */
    private static final String KAFKA_NETWORK_LISTENER = "kafka:19092";
    private static final String REGISTRY_ALIAS = "schema-registry";
    private static final int REGISTRY_PORT = 8081;
    private static final Duration REGISTRY_STARTUP_TIMEOUT = Duration.ofMinutes(2);

    private final Network network;
    private final KafkaContainer kafka;
    private final GenericContainer<?> registry;

    private ContainerKafkaWithRegistry(Network network, KafkaContainer kafka, GenericContainer<?> registry) {
        this.network = network;
        this.kafka = kafka;
        this.registry = registry;
    }

    /**
     * Starts the broker, then the registry, and waits until the registry answers {@code GET
     * /subjects}; sets its global compatibility to BACKWARD like the in-JVM Apicurio one (it is
     * Confluent's default anyway).
     */
    @SuppressWarnings("resource") // closed by close(), or below when the start fails
    public static ContainerKafkaWithRegistry start() {
        Network network = Network.newNetwork();
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE))
                .withNetwork(network)
                .withListener(KAFKA_NETWORK_LISTENER)
                .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "4")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "4")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        GenericContainer<?> registry = new GenericContainer<>(DockerImageName.parse(REGISTRY_IMAGE))
                .withNetwork(network)
                .withNetworkAliases(REGISTRY_ALIAS)
                .withExposedPorts(REGISTRY_PORT)
                .withEnv("SCHEMA_REGISTRY_HOST_NAME", REGISTRY_ALIAS)
                .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:" + REGISTRY_PORT)
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://" + KAFKA_NETWORK_LISTENER)
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR", "1")
                .dependsOn(kafka)
                .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(REGISTRY_STARTUP_TIMEOUT));
        ContainerKafkaWithRegistry started = new ContainerKafkaWithRegistry(network, kafka, registry);
        try {
            kafka.start();
            registry.start();
            try (SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(started.registryUrl()))) {
                client.setCompatibility("BACKWARD");
            }
            return started;
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    @Override
    public String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public String registryUrl() {
        return "http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT);
    }

    @Override
    public String description() {
        return KAFKA_IMAGE + " + " + REGISTRY_IMAGE + " (Docker)";
    }

    /** Stops the registry, then the broker, then removes the network. */
    @Override
    public void close() {
        try {
            registry.stop();
        } finally {
            try {
                kafka.stop();
            } finally {
                network.close();
            }
        }
    }
}
