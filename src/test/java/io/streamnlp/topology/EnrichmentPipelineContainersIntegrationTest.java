package io.streamnlp.topology;

import io.streamnlp.testing.ContainerKafkaWithRegistry;
import io.streamnlp.testing.KafkaWithRegistry;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link EnrichmentPipelineContract} on the {@code apache/kafka} image and Confluent's
 * {@code cp-schema-registry}: proves the pipeline against Confluent's own registry. Skipped (not
 * failed) where there is no Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class EnrichmentPipelineContainersIntegrationTest extends EnrichmentPipelineContract {

    @Override
    protected KafkaWithRegistry startEnvironment() {
        return ContainerKafkaWithRegistry.start();
    }
}
