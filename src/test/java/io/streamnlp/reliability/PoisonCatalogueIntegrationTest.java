package io.streamnlp.reliability;

import io.streamnlp.testing.InJvmKafkaWithRegistry;
import io.streamnlp.testing.KafkaWithRegistry;

/** {@link PoisonCatalogueContract} on a KRaft broker in this JVM and the Apicurio Registry. */
class PoisonCatalogueIntegrationTest extends PoisonCatalogueContract {

    @Override
    protected KafkaWithRegistry startEnvironment() throws Exception {
        return InJvmKafkaWithRegistry.start();
    }
}
