package io.streamnlp.local;

import java.nio.file.Path;

/**
 * The embedded default: a Kafka broker in this JVM and an Apicurio Registry child process, both on
 * free loopback ports. What the demo runs on; closes both.
 */
public final class LocalStack implements AutoCloseable {

    private final LocalKafkaBroker broker;
    private final ApicurioRegistry registry;

    private LocalStack(LocalKafkaBroker broker, ApicurioRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    public static LocalStack start(Path apicurioHome) {
        ApicurioRegistry registry = ApicurioRegistry.start(apicurioHome);
        try {
            return new LocalStack(LocalKafkaBroker.start(), registry);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.ccompatUrl();
    }

    @Override
    public void close() {
        broker.close();
        registry.close();
    }
}
