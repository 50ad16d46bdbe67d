package io.streamnlp.reliability;

import io.streamnlp.testing.ContainerKafkaWithRegistry;
import io.streamnlp.testing.KafkaWithRegistry;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link PoisonCatalogueContract} on the {@code apache/kafka} image and Confluent's
 * {@code cp-schema-registry}: the dead-letter reasons hold against Confluent's own registry (an
 * unknown schema id, a schema of another subject). Skipped (not failed) where there is no Docker
 * engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class PoisonCatalogueContainersIntegrationTest extends PoisonCatalogueContract {

    @Override
    protected KafkaWithRegistry startEnvironment() {
        return ContainerKafkaWithRegistry.start();
    }
}
