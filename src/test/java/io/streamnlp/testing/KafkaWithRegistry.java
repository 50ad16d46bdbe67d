package io.streamnlp.testing;

import io.streamnlp.topics.Topics;
import java.util.Collection;
import java.util.Map;

/**
 * A Kafka cluster and a Confluent-compatible schema registry, as the end-to-end contract tests see
 * them, whatever runs them: {@link InJvmKafkaWithRegistry} (a KRaft broker in this JVM and the
 * Apicurio Registry from its distribution; what CI runs) or {@link ContainerKafkaWithRegistry}
 * (the {@code apache/kafka} image and Confluent's {@code cp-schema-registry}, when Docker is there).
 *
 * <p>Both are empty when started, use replication factor 1 with transactions working, and do not
 * auto-create topics; the registry's global compatibility is BACKWARD.
 */
public interface KafkaWithRegistry extends AutoCloseable {

    /** Bootstrap servers reachable from this JVM. */
    String bootstrapServers();

    /**
     * Base URL of the registry's Confluent REST API, as {@code RegistrySettings.of} and the
     * {@code schema.registry.url} setting take it (for Apicurio, its {@code /apis/ccompat/v7}).
     */
    String registryUrl();

    /** What runs the broker and the registry, for messages. */
    String description();

    /** Stops what this started (throws no checked exception, and never InterruptedException). */
    @Override
    void close();

    /** Creates those of {@code names} that do not exist yet, replication factor 1. */
    default void createTopics(Collection<String> names, int partitions) {
        Topics.ensure(Map.of("bootstrap.servers", bootstrapServers()), names, partitions);
    }
}
