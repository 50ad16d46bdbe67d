package io.streamnlp.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the settings map from three layers, later ones winning: a properties file, environment
 * variables ({@code STREAMNLP_BATCH_MAX_RECORDS=64} sets {@code batch.max.records}; underscores
 * become dots, so {@code STREAMNLP_KAFKA_SECURITY_PROTOCOL} sets {@code kafka.security.protocol}),
 * and explicit overrides (command-line flags).
 */
public final class ConfigLoader {

    public static final String ENV_PREFIX = "STREAMNLP_";

    private ConfigLoader() {}

    public static StreamNlpConfig load(Path file, Map<String, String> environment, Map<String, String> overrides) {
        Map<String, Object> settings = new HashMap<>();
        if (file != null) {
            settings.putAll(readProperties(file));
        }
        settings.putAll(fromEnvironment(environment));
        settings.putAll(overrides);
        return new StreamNlpConfig(settings);
    }

    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> settings = new HashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                settings.put(key, value);
            }
        });
        return settings;
    }

    private static Map<String, String> readProperties(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read config file " + file, e);
        }
        Map<String, String> settings = new HashMap<>();
        props.stringPropertyNames().forEach(name -> settings.put(name, props.getProperty(name).trim()));
        return settings;
    }
}
