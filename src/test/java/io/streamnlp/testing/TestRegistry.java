package io.streamnlp.testing;

import io.streamnlp.local.ApicurioRegistry;

/**
 * One real Apicurio Registry per test JVM, started on first use and stopped when the JVM exits:
 * starting it costs ~5 s, and every test isolates itself by topic (hence subject) names anyway.
 */
public final class TestRegistry {

    private static ApicurioRegistry registry;

    private TestRegistry() {}

    public static synchronized String url() {
        if (registry == null) {
            ApicurioRegistry started = ApicurioRegistry.start(ApicurioRegistry.defaultHome());
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "apicurio-stop"));
            registry = started;
        }
        return registry.ccompatUrl();
    }
}
