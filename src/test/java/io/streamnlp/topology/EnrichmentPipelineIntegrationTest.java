package io.streamnlp.topology;

import io.streamnlp.testing.InJvmKafkaWithRegistry;
import io.streamnlp.testing.KafkaWithRegistry;

/** {@link EnrichmentPipelineContract} on a KRaft broker in this JVM and the Apicurio Registry. */
class EnrichmentPipelineIntegrationTest extends EnrichmentPipelineContract {

    @Override
    protected KafkaWithRegistry startEnvironment() throws Exception {
        return InJvmKafkaWithRegistry.start();
    }
}
