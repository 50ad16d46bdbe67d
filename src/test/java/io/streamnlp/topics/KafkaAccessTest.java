package io.streamnlp.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

/** Each refusal of a secured cluster is explained on one line naming the setting or the grant to fix. */
class KafkaAccessTest {

    private static final String BROKER = "broker:9093";

    @Test
    void refusedCredentialsNameTheJaasConfig() {
        assertThat(KafkaAccess.explain(new SaslAuthenticationException("Authentication failed during authentication due "
                + "to invalid credentials with SASL mechanism SCRAM-SHA-512"), BROKER, "list topics"))
                .startsWith("Kafka at broker:9093 rejected the SASL credentials")
                .contains("kafka.sasl.jaas.config", "kafka.sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void aFailedHandshakeNamesTheStoresWithTheRootCause() {
        SslAuthenticationException failed = new SslAuthenticationException("SSL handshake failed",
                new SSLHandshakeException("PKIX path building failed"));
        assertThat(KafkaAccess.explain(failed, BROKER, "list topics"))
                .contains("PKIX path building failed", "kafka.ssl.truststore.location", "kafka.ssl.keystore.location");
    }

    @Test
    void refusedGrantsNameTheResource() {
        assertThat(KafkaAccess.explain(new TopicAuthorizationException(Set.of("reviews")), BROKER, "list topics"))
                .contains("denies this client's principal access to topic(s) reviews", "README, Kafka security");
        assertThat(KafkaAccess.explain(new GroupAuthorizationException("no", "streamnlp"), BROKER, "x"))
                .contains("READ on group streamnlp");
        assertThat(KafkaAccess.explain(new TransactionalIdAuthorizationException("no"), BROKER, "x"))
                .contains("WRITE on its transactional ids");
        assertThat(KafkaAccess.explain(new ClusterAuthorizationException("no"), BROKER, "create topics"))
                .contains("an operation on the cluster (create topics)");
    }

    @Test
    void anythingElseKeepsItsMessage() {
        assertThat(KafkaAccess.explain(new IllegalStateException("boom"), BROKER, "list topics"))
                .isEqualTo("Cannot list topics on broker:9093: boom (check the kafka.* security settings and ACLs)");
    }
}
