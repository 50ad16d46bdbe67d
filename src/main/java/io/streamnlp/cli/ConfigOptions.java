package io.streamnlp.cli;

import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Flags shared by the commands that build a configuration: file, then environment, then flags. */
final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Properties file with StreamNLP settings.")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any setting, e.g. --set batch.max.records=64 or --set kafka.security.protocol=SSL (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--registry-url", description = "Schema Registry URL (Confluent-compatible API).")
    String registryUrl;

    @Option(names = "--model", description = "Encoder name: e5-small-q (default), minilm-l6-q, minilm-l6, bge-small-q.")
    String model;

    /** The flags as settings; named flags win over --set. */
    Map<String, String> overrides() {
        Map<String, String> overrides = new LinkedHashMap<>(settings);
        putIfSet(overrides, StreamNlpConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        putIfSet(overrides, StreamNlpConfig.SCHEMA_REGISTRY_URL, registryUrl);
        putIfSet(overrides, StreamNlpConfig.MODEL_NAME, model);
        return overrides;
    }

    StreamNlpConfig load(Map<String, String> extra) {
        Map<String, String> overrides = new LinkedHashMap<>(extra);
        overrides.putAll(overrides());
        return ConfigLoader.load(file, System.getenv(), overrides);
    }

    private static void putIfSet(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
