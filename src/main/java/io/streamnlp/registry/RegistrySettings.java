package io.streamnlp.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.types.Password;

/**
 * Where the Schema Registry is and how to talk to it.
 *
 * <p>Holds secrets (basic-auth user info, store passwords), so {@link #toString()} masks them: this
 * object ends up in startup logs.
 *
 * @param url base url of the Confluent-compatible API, without a trailing slash (e.g.
 *     {@code http://localhost:8081} or Apicurio's {@code http://host:port/apis/ccompat/v7})
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or null for none
 * @param trustStore store of the CAs to trust over TLS, or null for the JVM default
 * @param keyStore client certificate for mutual TLS, or null for none
 * @param requestTimeout limit on connecting and on each request
 * @param cacheCapacity entries kept in each of the client's schema/id caches
 * @param retryBudget how long one call keeps retrying an unreachable or overloaded registry (with
 *     exponential backoff) before it gives up; keep it well under the Streams transaction timeout
 */
public record RegistrySettings(
        URI url,
        String basicAuthUserInfo,
        StoreSettings trustStore,
        StoreSettings keyStore,
        Duration requestTimeout,
        int cacheCapacity,
        Duration retryBudget) {

    public static final String URL_CONFIG = "schema.registry.url";
    public static final String CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    public static final String USER_INFO_CONFIG = "basic.auth.user.info";
    public static final String USER_INFO_ALIAS_CONFIG = "schema.registry.basic.auth.user.info";
    public static final String TRUSTSTORE_LOCATION_CONFIG = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD_CONFIG = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE_CONFIG = "schema.registry.ssl.truststore.type";
    public static final String KEYSTORE_LOCATION_CONFIG = "schema.registry.ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD_CONFIG = "schema.registry.ssl.keystore.password";
    public static final String KEYSTORE_TYPE_CONFIG = "schema.registry.ssl.keystore.type";
    public static final String REQUEST_TIMEOUT_CONFIG = "schema.registry.request.timeout.ms";
    /** Confluent's name for the size of its serializers' schema caches. */
    public static final String CACHE_CAPACITY_CONFIG = "max.schemas.per.subject";
    public static final String RETRY_BUDGET_CONFIG = "schema.registry.retry.max.ms";

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_CACHE_CAPACITY = 1000;
    public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofSeconds(5);
    public static final String DEFAULT_STORE_TYPE = "PKCS12";

    private static final String HIDDEN = "[hidden]";

    public RegistrySettings {
        url = validUrl(url);
        if (basicAuthUserInfo != null && !basicAuthUserInfo.contains(":")) {
            // Do not echo the value: it may be a password pasted on its own.
            throw new IllegalArgumentException("basic auth user info must have the form user:password");
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive, got " + requestTimeout);
        }
        Objects.requireNonNull(retryBudget, "retryBudget");
        if (cacheCapacity <= 0) {
            throw new IllegalArgumentException("cache capacity must be positive, got " + cacheCapacity);
        }
    }

    /** Plain HTTP(S) without auth, default timeout and cache capacity. */
    public static RegistrySettings of(String url) {
        return new RegistrySettings(
                parseUrl(url), null, null, null, DEFAULT_REQUEST_TIMEOUT, DEFAULT_CACHE_CAPACITY, DEFAULT_RETRY_BUDGET);
    }

    /** The same settings with basic auth ({@code user:password}). */
    public RegistrySettings withBasicAuth(String userInfo) {
        return new RegistrySettings(url, userInfo, trustStore, keyStore, requestTimeout, cacheCapacity, retryBudget);
    }

    /**
     * Reads the Confluent serializer keys (see the {@code *_CONFIG} constants). Values may be
     * strings, numbers or Kafka {@link Password}s, as in a Kafka client or Streams config.
     */
    public static RegistrySettings fromConfig(Map<String, ?> config) {
        String url = string(config, URL_CONFIG);
        if (url == null) {
            throw new IllegalArgumentException("missing " + URL_CONFIG);
        }
        return new RegistrySettings(
                parseUrl(url),
                userInfo(config),
                store(config, TRUSTSTORE_LOCATION_CONFIG, TRUSTSTORE_PASSWORD_CONFIG, TRUSTSTORE_TYPE_CONFIG),
                store(config, KEYSTORE_LOCATION_CONFIG, KEYSTORE_PASSWORD_CONFIG, KEYSTORE_TYPE_CONFIG),
                requestTimeout(config),
                cacheCapacity(config),
                retryBudget(config));
    }

    @Override
    public String toString() {
        return "RegistrySettings[url=" + url
                + ", basicAuthUserInfo=" + (basicAuthUserInfo == null ? "none" : HIDDEN)
                + ", trustStore=" + (trustStore == null ? "JVM default" : trustStore)
                + ", keyStore=" + (keyStore == null ? "none" : keyStore)
                + ", requestTimeout=" + requestTimeout
                + ", cacheCapacity=" + cacheCapacity + ", retryBudget=" + retryBudget + "]";
    }

    /**
     * A key or trust store file.
     *
     * @param password store password (also used for the private key), or null for none
     * @param type {@code PKCS12}, {@code JKS}, ...
     */
    public record StoreSettings(Path location, String password, String type) {
        public StoreSettings {
            Objects.requireNonNull(location, "location");
            type = type == null || type.isBlank() ? DEFAULT_STORE_TYPE : type;
        }

        @Override
        public String toString() {
            return "StoreSettings[location=" + location
                    + ", password=" + (password == null ? "none" : HIDDEN)
                    + ", type=" + type + "]";
        }
    }

    /**
     * Parses a {@value #URL_CONFIG} value: exactly one url (the constructor checks its scheme, host
     * and that it embeds no credentials). Error messages never quote the url's user info.
     */
    public static URI parseUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(URL_CONFIG + " is empty");
        }
        if (url.contains(",")) {
            throw new IllegalArgumentException(
                    URL_CONFIG + " lists several urls; this client talks to exactly one: " + url);
        }
        try {
            return new URI(url.trim());
        } catch (URISyntaxException e) {
            // The parser's message quotes the input, which may embed user:password@.
            throw new IllegalArgumentException(
                    URL_CONFIG + " is not a valid url (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
    }

    private static URI validUrl(URI url) {
        Objects.requireNonNull(url, "url");
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    URL_CONFIG + " must not embed credentials (user:password@host); use " + USER_INFO_CONFIG);
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(
                    URL_CONFIG + " must be an http:// or https:// url, got " + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException(URL_CONFIG + " has no host: " + url);
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException(URL_CONFIG + " must not have a query or fragment: " + url);
        }
        String text = url.toString();
        return text.endsWith("/") ? URI.create(text.replaceAll("/+$", "")) : url;
    }

    private static String userInfo(Map<String, ?> config) {
        String source = string(config, CREDENTIALS_SOURCE_CONFIG);
        if (source != null && !source.equalsIgnoreCase("USER_INFO")) {
            throw new IllegalArgumentException(
                    CREDENTIALS_SOURCE_CONFIG + "=" + source + " is not supported; use USER_INFO");
        }
        String userInfo = string(config, USER_INFO_CONFIG);
        return userInfo != null ? userInfo : string(config, USER_INFO_ALIAS_CONFIG);
    }

    private static StoreSettings store(
            Map<String, ?> config, String locationKey, String passwordKey, String typeKey) {
        String location = string(config, locationKey);
        if (location == null) {
            return null;
        }
        return new StoreSettings(Path.of(location), string(config, passwordKey), string(config, typeKey));
    }

    private static Duration retryBudget(Map<String, ?> config) {
        String value = string(config, RETRY_BUDGET_CONFIG);
        if (value == null) {
            return DEFAULT_RETRY_BUDGET;
        }
        try {
            return Duration.ofMillis(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(RETRY_BUDGET_CONFIG + " must be a number of milliseconds, got " + value);
        }
    }

    private static Duration requestTimeout(Map<String, ?> config) {
        String millis = string(config, REQUEST_TIMEOUT_CONFIG);
        return millis == null
                ? DEFAULT_REQUEST_TIMEOUT
                : Duration.ofMillis(number(REQUEST_TIMEOUT_CONFIG, millis));
    }

    private static int cacheCapacity(Map<String, ?> config) {
        String capacity = string(config, CACHE_CAPACITY_CONFIG);
        return capacity == null
                ? DEFAULT_CACHE_CAPACITY
                : Math.toIntExact(number(CACHE_CAPACITY_CONFIG, capacity));
    }

    private static long number(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + value + "'");
        }
    }

    /** The value as text; null when absent or blank. */
    private static String string(Map<String, ?> config, String key) {
        Object value = config.get(key);
        // Password.toString() is "[hidden]" by design; the secret is only in value().
        String text = value instanceof Password password ? password.value() : Objects.toString(value, null);
        return text == null || text.isBlank() ? null : text.trim();
    }
}
