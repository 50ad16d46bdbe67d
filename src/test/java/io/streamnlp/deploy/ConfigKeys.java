package io.streamnlp.deploy;

import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Which {@code STREAMNLP_*} environment variables mean something to StreamNLP, so that the compose
 * file, the image and the Kubernetes manifests cannot set a misspelled one that the app would
 * silently ignore. A variable is known when it is
 * <ul>
 *   <li>read by the launcher or the logging setup itself (found in {@code bin/streamnlp} and
 *       {@code logback.xml}, e.g. {@code STREAMNLP_JAVA_OPTS}), or
 *   <li>turned by {@link ConfigLoader} into a key that {@link StreamNlpConfig#DEFINITION} defines
 *       (the registry client's Confluent names included), or into {@code kafka.<name>} where
 *       {@code <name>} (optionally with a Kafka Streams client prefix) is a Kafka Streams,
 *       consumer, producer or admin setting.
 * </ul>
 */
final class ConfigKeys {

    private static final Pattern ENV_NAME = Pattern.compile("STREAMNLP_[A-Z0-9_]+");
    private static final List<String> CLIENT_PREFIXES = List.of(
            "main.consumer.", "restore.consumer.", "global.consumer.", "consumer.", "producer.", "admin.");

    private ConfigKeys() {}

    /**
     * The config key the app derives from an environment variable, exactly as ConfigLoader does
     * (loading it alone, with its value, also checks the value against the key's type).
     */
    static String keyOf(String envName, String value) {
        Set<String> keys = ConfigLoader.load(null, Map.of(envName, value), Map.of()).originals().keySet();
        if (keys.size() != 1) {
            throw new AssertionError(envName + " is not read by ConfigLoader (keys: " + keys + ")");
        }
        return keys.iterator().next();
    }

    /** Every problem of an environment: unknown variables, as {@link #problem} says. */
    static List<String> problems(Map<String, String> environment) {
        return environment.entrySet().stream()
                .filter(e -> e.getKey().startsWith(ConfigLoader.ENV_PREFIX))
                .map(e -> problem(e.getKey(), e.getValue()))
                .flatMap(Optional::stream)
                .toList();
    }

    /** Empty when the variable is known; otherwise why not. */
    static Optional<String> problem(String envName, String value) {
        if (!envName.startsWith(ConfigLoader.ENV_PREFIX)) {
            return Optional.of(envName + " does not start with " + ConfigLoader.ENV_PREFIX);
        }
        if (launcherVariables().contains(envName)) {
            return Optional.empty();
        }
        String key = keyOf(envName, value);
        if (StreamNlpConfig.DEFINITION.names().contains(key)) {
            return Optional.empty();
        }
        if (key.startsWith(StreamNlpConfig.KAFKA_PREFIX)) {
            String name = key.substring(StreamNlpConfig.KAFKA_PREFIX.length());
            for (String prefix : CLIENT_PREFIXES) {
                if (name.startsWith(prefix)) {
                    name = name.substring(prefix.length());
                    break;
                }
            }
            return kafkaClientKeys().contains(name) ? Optional.empty()
                    : Optional.of(envName + " -> " + key + ": '" + name + "' is no Kafka Streams/consumer/producer/admin setting");
        }
        return Optional.of(envName + " -> " + key + ": not a StreamNLP setting (bin/streamnlp config-doc lists them),"
                + " not kafka.*, and not read by bin/streamnlp or logback.xml");
    }

    /** Variables that bin/streamnlp or logback.xml read directly (not config keys). */
    static Set<String> launcherVariables() {
        Set<String> names = new TreeSet<>();
        for (Path file : List.of(Repo.ROOT.resolve("bin/streamnlp"), Repo.ROOT.resolve("src/main/resources/logback.xml"))) {
            Matcher matcher = ENV_NAME.matcher(read(file));
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        return names;
    }

    static Set<String> kafkaClientKeys() {
        Set<String> names = new HashSet<>(StreamsConfig.configDef().names());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
