package io.streamnlp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.registry.RegistrySettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

/** The registry settings as typed {@link StreamNlpConfig} entries and {@link StreamNlpConfig#registry()}. */
class RegistryConfigTest {

    private static final String SECRET = "alice:s3cret-7f2a";
    private static final String STORE_SECRET = "store-pw-91bd";

    private static final List<String> SECRETS = List.of(
            StreamNlpConfig.BASIC_AUTH_USER_INFO, StreamNlpConfig.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO,
            StreamNlpConfig.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD, StreamNlpConfig.SCHEMA_REGISTRY_KEYSTORE_PASSWORD);

    private static StreamNlpConfig config(Map<String, String> settings) {
        return new StreamNlpConfig(settings);
    }

    @Test
    void everyRegistryKeyIsDefinedInTheRegistryGroup() {
        List<String> keys = List.of(RegistrySettings.URL_CONFIG, RegistrySettings.CREDENTIALS_SOURCE_CONFIG,
                RegistrySettings.USER_INFO_CONFIG, RegistrySettings.USER_INFO_ALIAS_CONFIG,
                RegistrySettings.TRUSTSTORE_LOCATION_CONFIG, RegistrySettings.TRUSTSTORE_PASSWORD_CONFIG,
                RegistrySettings.TRUSTSTORE_TYPE_CONFIG, RegistrySettings.KEYSTORE_LOCATION_CONFIG,
                RegistrySettings.KEYSTORE_PASSWORD_CONFIG, RegistrySettings.KEYSTORE_TYPE_CONFIG,
                RegistrySettings.REQUEST_TIMEOUT_CONFIG, RegistrySettings.CACHE_CAPACITY_CONFIG,
                RegistrySettings.RETRY_BUDGET_CONFIG);
        for (String key : keys) {
            assertThat(StreamNlpConfig.DEFINITION.configKeys()).containsKey(key);
            assertThat(StreamNlpConfig.DEFINITION.configKeys().get(key).group).as(key)
                    .isEqualTo(StreamNlpConfig.GROUP_REGISTRY);
        }
        assertThat(StreamNlpConfig.DEFINITION.configKeys().values())
                .filteredOn(key -> StreamNlpConfig.GROUP_REGISTRY.equals(key.group))
                .extracting(key -> key.name).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void defaultsAreTheClientDefaults() {
        RegistrySettings settings = config(Map.of()).registry();
        assertThat(settings).isEqualTo(RegistrySettings.of("http://localhost:8081"));
        assertThat(settings.basicAuthUserInfo()).isNull();
        assertThat(settings.trustStore()).isNull();
        assertThat(settings.keyStore()).isNull();
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.cacheCapacity()).isEqualTo(1000);
        assertThat(settings.retryBudget()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void secretsArePasswordsAndStayMasked() {
        for (String key : SECRETS) {
            assertThat(StreamNlpConfig.DEFINITION.configKeys().get(key).type).as(key).isEqualTo(Type.PASSWORD);
        }
        StreamNlpConfig config = config(Map.of(
                StreamNlpConfig.BASIC_AUTH_USER_INFO, SECRET,
                StreamNlpConfig.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION, "/etc/ssl/registry-trust.p12",
                StreamNlpConfig.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD, STORE_SECRET,
                StreamNlpConfig.SCHEMA_REGISTRY_KEYSTORE_LOCATION, "/etc/ssl/client.jks",
                StreamNlpConfig.SCHEMA_REGISTRY_KEYSTORE_PASSWORD, STORE_SECRET,
                StreamNlpConfig.SCHEMA_REGISTRY_KEYSTORE_TYPE, "JKS"));
        assertThat(config.values().get(StreamNlpConfig.BASIC_AUTH_USER_INFO)).isInstanceOf(Password.class);
        assertThat(config.values().toString()).doesNotContain(SECRET).doesNotContain(STORE_SECRET);

        RegistrySettings settings = config.registry();
        assertThat(settings.basicAuthUserInfo()).isEqualTo(SECRET);
        assertThat(settings.trustStore().location()).isEqualTo(Path.of("/etc/ssl/registry-trust.p12"));
        assertThat(settings.trustStore().password()).isEqualTo(STORE_SECRET);
        assertThat(settings.trustStore().type()).isEqualTo("PKCS12");
        assertThat(settings.keyStore().type()).isEqualTo("JKS");
        assertThat(settings.toString()).doesNotContain(SECRET).doesNotContain(STORE_SECRET).contains("[hidden]");
    }

    @Test
    void documentationShowsNoSecretDefault() {
        String doc = StreamNlpConfig.documentation();
        for (String key : SECRETS) {
            assertThat(doc).contains("| `" + key + "` |  | ");
        }
    }

    @Test
    void theAliasIsReadWhenTheConfluentKeyIsUnset() {
        assertThat(config(Map.of(StreamNlpConfig.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, SECRET)).registry()
                .basicAuthUserInfo()).isEqualTo(SECRET);
        assertThat(config(Map.of(StreamNlpConfig.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, SECRET,
                StreamNlpConfig.BASIC_AUTH_USER_INFO, "bob:other")).registry().basicAuthUserInfo())
                .isEqualTo("bob:other");
        // Blank counts as unset, as in RegistrySettings.fromConfig.
        assertThat(config(Map.of(StreamNlpConfig.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, SECRET,
                StreamNlpConfig.BASIC_AUTH_USER_INFO, " ")).registry().basicAuthUserInfo())
                .isEqualTo(SECRET);
    }

    @Test
    void credentialsSourceAcceptsWhatTheClientSupports() {
        for (String source : List.of("USER_INFO", "user_info", " User_Info ", "")) {
            assertThat(config(Map.of(StreamNlpConfig.BASIC_AUTH_CREDENTIALS_SOURCE, source,
                    StreamNlpConfig.BASIC_AUTH_USER_INFO, SECRET)).registry().basicAuthUserInfo())
                    .as(source).isEqualTo(SECRET);
        }
        for (String source : List.of("URL", "SASL_INHERIT")) {
            assertThatThrownBy(() -> config(Map.of(StreamNlpConfig.BASIC_AUTH_CREDENTIALS_SOURCE, source)))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("USER_INFO");
        }
    }

    @Test
    void numbersAreTypedAndBounded() {
        RegistrySettings settings = config(Map.of(
                StreamNlpConfig.SCHEMA_REGISTRY_REQUEST_TIMEOUT_MS, "2500",
                StreamNlpConfig.MAX_SCHEMAS_PER_SUBJECT, "64",
                StreamNlpConfig.SCHEMA_REGISTRY_RETRY_MAX_MS, "0")).registry();
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(settings.cacheCapacity()).isEqualTo(64);
        assertThat(settings.retryBudget()).isZero();
        assertThatThrownBy(() -> config(Map.of(StreamNlpConfig.SCHEMA_REGISTRY_REQUEST_TIMEOUT_MS, "0")))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> config(Map.of(StreamNlpConfig.MAX_SCHEMAS_PER_SUBJECT, "0")))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> config(Map.of(StreamNlpConfig.SCHEMA_REGISTRY_RETRY_MAX_MS, "-1")))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> config(Map.of(StreamNlpConfig.SCHEMA_REGISTRY_REQUEST_TIMEOUT_MS, "ten")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void typedAndRawParsingAgree() {
        Map<String, String> settings = new HashMap<>(Map.of(
                StreamNlpConfig.SCHEMA_REGISTRY_URL, "https://registry.example:8081/apis/ccompat/v7/",
                StreamNlpConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                StreamNlpConfig.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, SECRET,
                StreamNlpConfig.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION, "/etc/ssl/trust.p12",
                StreamNlpConfig.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD, STORE_SECRET,
                StreamNlpConfig.SCHEMA_REGISTRY_KEYSTORE_LOCATION, "/etc/ssl/client.jks",
                StreamNlpConfig.SCHEMA_REGISTRY_KEYSTORE_TYPE, "JKS",
                StreamNlpConfig.SCHEMA_REGISTRY_REQUEST_TIMEOUT_MS, "3000",
                StreamNlpConfig.MAX_SCHEMAS_PER_SUBJECT, "50",
                StreamNlpConfig.SCHEMA_REGISTRY_RETRY_MAX_MS, "1500"));
        RegistrySettings typed = config(settings).registry();
        assertThat(typed).isEqualTo(RegistrySettings.fromConfig(settings));
        assertThat(typed.url()).isEqualTo(URI.create("https://registry.example:8081/apis/ccompat/v7"));
        assertThat(config(Map.of()).registry())
                .isEqualTo(RegistrySettings.fromConfig(Map.of(StreamNlpConfig.SCHEMA_REGISTRY_URL, "http://localhost:8081")));
    }

    @Test
    void aBadUrlFailsWithoutEchoingCredentials() {
        assertThatThrownBy(() -> config(Map.of(StreamNlpConfig.SCHEMA_REGISTRY_URL, "http://alice:s3cret@registry:8081"))
                .registry())
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> config(Map.of(StreamNlpConfig.BASIC_AUTH_USER_INFO, "justapassword")).registry())
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("justapassword");
    }
}
