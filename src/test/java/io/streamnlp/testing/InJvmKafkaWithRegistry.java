package io.streamnlp.testing;

/**
 * A {@link KafkaTestCluster} (a KRaft broker in this JVM) and the JVM-wide Apicurio Registry of
 * {@link TestRegistry}. Closing it stops the broker; the registry lives until the JVM exits, shared
 * with the other tests, which isolate themselves by subject (topic) names.
 */
public final class InJvmKafkaWithRegistry implements KafkaWithRegistry {

    private final KafkaTestCluster kafka;
    private final String registryUrl;

    private InJvmKafkaWithRegistry(KafkaTestCluster kafka, String registryUrl) {
        this.kafka = kafka;
        this.registryUrl = registryUrl;
    }

    /** Starts the broker, then the registry if this JVM has not started it yet. */
    public static InJvmKafkaWithRegistry start() throws Exception {
        KafkaTestCluster kafka = KafkaTestCluster.start();
        try {
            return new InJvmKafkaWithRegistry(kafka, TestRegistry.url());
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String registryUrl() {
        return registryUrl;
    }

    @Override
    public String description() {
        return "in-JVM KRaft broker + Apicurio Registry (ccompat API)";
    }

    @Override
    public void close() {
        kafka.close();
    }
}
