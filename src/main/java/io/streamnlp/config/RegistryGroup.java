package io.streamnlp.config;

import static io.streamnlp.config.StreamNlpConfig.BASIC_AUTH_CREDENTIALS_SOURCE;
import static io.streamnlp.config.StreamNlpConfig.BASIC_AUTH_USER_INFO;
import static io.streamnlp.config.StreamNlpConfig.GROUP_REGISTRY;
import static io.streamnlp.config.StreamNlpConfig.MAX_SCHEMAS_PER_SUBJECT;
import static io.streamnlp.config.StreamNlpConfig.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO;
import static io.streamnlp.config.StreamNlpConfig.SCHEMA_REGISTRY_KEYSTORE_LOCATION;
import static io.streamnlp.config.StreamNlpConfig.SCHEMA_REGISTRY_KEYSTORE_PASSWORD;
import static io.streamnlp.config.StreamNlpConfig.SCHEMA_REGISTRY_KEYSTORE_TYPE;
import static io.streamnlp.config.StreamNlpConfig.SCHEMA_REGISTRY_REQUEST_TIMEOUT_MS;
import static io.streamnlp.config.StreamNlpConfig.SCHEMA_REGISTRY_RETRY_MAX_MS;
import static io.streamnlp.config.StreamNlpConfig.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION;
import static io.streamnlp.config.StreamNlpConfig.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD;
import static io.streamnlp.config.StreamNlpConfig.SCHEMA_REGISTRY_TRUSTSTORE_TYPE;
import static io.streamnlp.config.StreamNlpConfig.SCHEMA_REGISTRY_URL;

import io.streamnlp.registry.RegistrySettings;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The {@value StreamNlpConfig#GROUP_REGISTRY} settings: the schema registry client, with the Confluent client's own names.
 */
final class RegistryGroup {

    private static final String USER_INFO_SOURCE = "USER_INFO";

    private RegistryGroup() {
    }

    static void define(ConfigDefinitions definitions) {
        definitions.group(GROUP_REGISTRY);
        definitions.define(SCHEMA_REGISTRY_URL, Type.STRING, "http://localhost:8081", null, Importance.HIGH, Width.LONG,
                "Registry URL",
                "Confluent-compatible Schema Registry base URL (for Apicurio: http://host:port/apis/ccompat/v7). "
                        + "Exactly one http:// or https:// url, without credentials in it (use basic.auth.user.info).");
        definitions.define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, null, credentialsSource(), Importance.LOW, Width.SHORT,
                "Basic auth credentials source",
                "Where the registry's basic-auth credentials come from: USER_INFO (any case), i.e. basic.auth.user.info. "
                        + "Unset means the same; Confluent's other sources (URL, SASL_INHERIT) are not supported.");
        definitions.define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, null, Importance.MEDIUM, Width.MEDIUM, "Basic auth user info",
                "user:password for HTTP basic auth against the registry; unset: no auth. A secret: masked, never logged.");
        definitions.define(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, Type.PASSWORD, null, null, Importance.LOW, Width.MEDIUM,
                "Basic auth user info (alias)",
                "Alias of basic.auth.user.info (the prefixed name some clients use), read when that one is unset. A secret.");
        definitions.define(SCHEMA_REGISTRY_TRUSTSTORE_LOCATION, Type.STRING, null, null, Importance.MEDIUM, Width.LONG,
                "Trust store location",
                "Trust store file of the CAs to trust for an https:// registry; unset: the JVM's default trust store.");
        definitions.define(SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, null, Importance.MEDIUM, Width.MEDIUM,
                "Trust store password",
                "Password of the trust store; unset: none. A secret.");
        definitions.define(SCHEMA_REGISTRY_TRUSTSTORE_TYPE, Type.STRING, RegistrySettings.DEFAULT_STORE_TYPE, null, Importance.LOW,
                Width.SHORT, "Trust store type",
                "Format of the trust store file: PKCS12, JKS, ...");
        definitions.define(SCHEMA_REGISTRY_KEYSTORE_LOCATION, Type.STRING, null, null, Importance.MEDIUM, Width.LONG,
                "Key store location",
                "Key store file with the client certificate and key for mutual TLS with the registry; unset: no client certificate.");
        definitions.define(SCHEMA_REGISTRY_KEYSTORE_PASSWORD, Type.PASSWORD, null, null, Importance.MEDIUM, Width.MEDIUM,
                "Key store password",
                "Password of the key store, also used for its private key; unset: none. A secret.");
        definitions.define(SCHEMA_REGISTRY_KEYSTORE_TYPE, Type.STRING, RegistrySettings.DEFAULT_STORE_TYPE, null, Importance.LOW,
                Width.SHORT, "Key store type",
                "Format of the key store file: PKCS12, JKS, ...");
        definitions.define(SCHEMA_REGISTRY_REQUEST_TIMEOUT_MS, Type.LONG, RegistrySettings.DEFAULT_REQUEST_TIMEOUT.toMillis(),
                Range.atLeast(1), Importance.LOW, Width.SHORT, "Registry request timeout (ms)",
                "Limit (ms) on connecting to the registry and on each request to it.");
        definitions.define(MAX_SCHEMAS_PER_SUBJECT, Type.INT, RegistrySettings.DEFAULT_CACHE_CAPACITY, Range.atLeast(1),
                Importance.LOW, Width.SHORT, "Registry client cache capacity",
                "Entries kept in each of the registry client's schema and id caches (Confluent's name for it).");
        definitions.define(SCHEMA_REGISTRY_RETRY_MAX_MS, Type.LONG, RegistrySettings.DEFAULT_RETRY_BUDGET.toMillis(),
                Range.atLeast(0), Importance.LOW, Width.SHORT, "Registry retry budget (ms)",
                "How long (ms) one registry lookup keeps retrying an unreachable or overloaded registry, with exponential "
                        + "backoff, before it gives up; keep it well under the Kafka Streams transaction timeout.");
    }

    /**
     * The registry client's settings, from the typed values: {@code basic.auth.user.info} wins over its
     * alias {@code schema.registry.basic.auth.user.info}; blank values count as unset, as in
     * {@link RegistrySettings#fromConfig(java.util.Map)}, which reads the same keys from a raw map.
     *
     * @throws IllegalArgumentException when the url or the user info is malformed (the message
     *     never quotes a secret)
     */
    static RegistrySettings settings(AbstractConfig config) {
        String userInfo = secret(config, BASIC_AUTH_USER_INFO);
        if (userInfo == null) {
            userInfo = secret(config, SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO);
        }
        return new RegistrySettings(
                RegistrySettings.parseUrl(config.getString(SCHEMA_REGISTRY_URL)),
                userInfo,
                store(config, SCHEMA_REGISTRY_TRUSTSTORE_LOCATION, SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD,
                        SCHEMA_REGISTRY_TRUSTSTORE_TYPE),
                store(config, SCHEMA_REGISTRY_KEYSTORE_LOCATION, SCHEMA_REGISTRY_KEYSTORE_PASSWORD,
                        SCHEMA_REGISTRY_KEYSTORE_TYPE),
                Duration.ofMillis(config.getLong(SCHEMA_REGISTRY_REQUEST_TIMEOUT_MS)),
                config.getInt(MAX_SCHEMAS_PER_SUBJECT),
                Duration.ofMillis(config.getLong(SCHEMA_REGISTRY_RETRY_MAX_MS)));
    }

    private static RegistrySettings.StoreSettings store(AbstractConfig config, String locationKey, String passwordKey,
            String typeKey) {
        String location = blankToNull(config.getString(locationKey));
        if (location == null) {
            return null;
        }
        return new RegistrySettings.StoreSettings(Path.of(location), secret(config, passwordKey),
                blankToNull(config.getString(typeKey)));
    }

    /** The secret's value; null when unset or blank. Only ever handed to the registry client. */
    private static String secret(AbstractConfig config, String key) {
        Password password = config.getPassword(key);
        return password == null ? null : blankToNull(password.value());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** As {@link RegistrySettings#fromConfig(java.util.Map)} accepts it: unset, blank or USER_INFO in any case. */
    private static ConfigDef.Validator credentialsSource() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            String source = (String) value;
            if (source != null && !source.isBlank() && !source.trim().equalsIgnoreCase(USER_INFO_SOURCE)) {
                throw new ConfigException(name, value, "not supported; use " + USER_INFO_SOURCE + " (or leave it unset)");
            }
        }, () -> USER_INFO_SOURCE + " (any case), or unset");
    }
}
