package io.streamnlp.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.streamnlp.app.StartupFailedException;
import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.deadletter.DeadLetterHeaders;
import io.streamnlp.testing.ChildApp;
import io.streamnlp.testing.SecuredKafkaCluster;
import io.streamnlp.testing.TestCertificates;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * StreamNLP against a Kafka that requires what production clusters require ({@link SecuredKafkaCluster}):
 * TLS with SCRAM-SHA-512 on one listener, mutual TLS on another, ACLs on and nothing allowed without one.
 * Each case has its own principal, application id and topics, and its principal holds exactly the ACLs
 * the README lists ({@link SecuredKafkaCluster#streamNlpAcls}), less the one a failure case takes away.
 *
 * <ul>
 *   <li>with the README's settings, over SCRAM (in this JVM) and over mutual TLS (the {@code run} command
 *       in a child JVM), every event is enriched into every output and a bad record lands in the
 *       dead-letter topic, all written by the application's own principal;
 *   <li>a wrong password, a missing WRITE on an output topic (the {@code run} command), no access to the
 *       group, to the transactional ids, a client certificate the brokers do not trust or a trust store
 *       without the brokers' CA (in this JVM) end
 *       the start within seconds, exit 2, one ERROR line naming the setting or the operation and resource;
 *   <li>a grant revoked while the application runs stops it at once, naming the exception and the topic,
 *       and the event that met it is in no output.
 * </ul>
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredClusterIntegrationTest {

    /** The smallest encoder: this is about the cluster, not the model. */
    private static final String MODEL = "minilm-l6-q";
    private static final int EVENTS = 10;
    private static final Pattern ERROR_LINE = Pattern.compile("^\\S+ ERROR ");
    /** The children log as the shipped command does (logback.xml and its filter), not as the tests do. */
    private static final List<String> PRODUCTION_LOGGING = List.of("-Dlogback.configurationFile=logback.xml");

    private Path workDir;
    private SecuredKafkaCluster kafka;
    private String registry;

    @BeforeAll
    void start() throws Exception {
        workDir = Files.createTempDirectory("secured-cluster-it");
        kafka = SecuredKafkaCluster.start(workDir);
        registry = TestRegistry.url();
    }

    @AfterAll
    void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void scramOverTlsEnrichesEveryEventAndDeadLettersTheBadOne() throws Exception {
        String app = "sec-scram";
        String password = password();
        kafka.addScramUser(app, password);
        prepare(app);

        try (StreamNlpApplication application = new StreamNlpApplication(
                ConfigLoader.load(null, Map.of(), scramSettings(app, app, password)))) {
            application.start();
            assertEnrichedAndDeadLettered(app);
            assertThat(application.failure()).isNotDone();
        }
    }

    @Test
    void aGrantRevokedWhileRunningStopsTheInstanceNamingIt() throws Exception {
        String app = "sec-revoked";
        String password = password();
        kafka.addScramUser(app, password);
        prepare(app);

        try (StreamNlpApplication application = new StreamNlpApplication(
                ConfigLoader.load(null, Map.of(), scramSettings(app, app, password)))) {
            application.start();
            assertEnrichedAndDeadLettered(app);
            kafka.revoke(List.of(SecuredKafkaCluster.allow("User:" + app, ResourceType.TOPIC, app + ".", PatternType.PREFIXED,
                    AclOperation.WRITE)));
            long revoked = System.nanoTime();
            try (var producer = new KafkaProducer<>(kafka.adminClient(), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(app + ".in", app + "-late",
                        "{\"id\": \"" + app + "-late\", \"text\": \"Written after the grant was revoked.\"}"));
            }

            String reason = application.failure().get(60, java.util.concurrent.TimeUnit.SECONDS);
            long tookMs = (System.nanoTime() - revoked) / 1_000_000;
            System.out.printf("[secured-cluster] %s: gave up %d ms after the revocation: %s%n", app, tookMs, reason);
            assertThat(reason).contains("TopicAuthorizationException", app + ".", "README, Kafka security");
            assertThat(tookMs).as("gave up %d ms after the revocation", tookMs).isLessThan(30_000);
            assertThat(TopicReader.readAll(kafka.adminClient(), app + ".sentiment", new ByteArrayDeserializer(), EVENTS + 1,
                    Duration.ofSeconds(5))).as("the late event is not committed").hasSize(EVENTS);
        }
    }

    @Test
    void mutualTlsRunCommandEnrichesEveryEventAndDeadLettersTheBadOne() throws Exception {
        String app = "sec-mtls";
        TestCertificates.Store keys = kafka.certificates().client(app); // CN=sec-mtls: principal User:sec-mtls
        prepare(app);

        Path log = ChildApp.newLog(workDir, app);
        ChildApp child = ChildApp.start("run", List.of(), tlsSettings(app, keys), log, PRODUCTION_LOGGING);
        try {
            child.awaitRunning(Duration.ofSeconds(60));
            assertEnrichedAndDeadLettered(app);
            int exit = child.terminate(Duration.ofSeconds(60));
            String output = Files.readString(log);
            assertThat(exit).as("exit code; log:%n%s", output).isZero();
            assertThat(output.lines().filter(ERROR_LINE.asPredicate())).as("ERROR lines; log:%n%s", output).isEmpty();
            assertThat(output).doesNotContain(keys.password(), kafka.certificates().trustStore().password());
        } finally {
            child.kill();
        }
    }

    @Test
    void aWrongPasswordEndsTheRunCommandWithExit2NamingTheJaasConfig() throws Exception {
        String app = "sec-wrong-password";
        String password = password();
        String wrong = "wrong-" + password();
        kafka.addScramUser(app, password);
        prepare(app);

        Failure failure = runUntilExit(app, scramSettings(app, app, wrong));

        assertThat(failure.exit).as("exit code; log:%n%s", failure.log).isEqualTo(2);
        assertThat(failure.errorLine).contains("Cannot start:", "kafka.sasl.jaas.config", kafka.saslBootstrapServers());
        assertThat(failure.log).doesNotContain(wrong, password);
        assertThat(failure.tookMs).as("the child ran %d ms", failure.tookMs).isLessThan(30_000);
    }

    @Test
    void noWriteOnAnOutputTopicEndsTheRunCommandWithExit2NamingTheAcl() throws Exception {
        String app = "sec-no-write";
        String password = password();
        kafka.addScramUser(app, password);
        prepare(app);
        // Everything granted, and WRITE on the sentiment output denied, as a narrower grant would leave it.
        kafka.grant(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, app + ".sentiment", PatternType.LITERAL),
                new AccessControlEntry("User:" + app, "*", AclOperation.WRITE, AclPermissionType.DENY))));

        Failure failure = runUntilExit(app, scramSettings(app, app, password));

        assertThat(failure.exit).as("exit code; log:%n%s", failure.log).isEqualTo(2);
        assertThat(failure.errorLine).contains("Cannot start:", "WRITE on topic " + app + ".sentiment")
                .doesNotContain(app + ".embeddings", app + ".dlq");
        assertThat(failure.tookMs).as("the child ran %d ms", failure.tookMs).isLessThan(30_000);
        assertThat(committed(app + ".sentiment")).as("nothing written").isZero();
    }

    @Test
    void noAccessToTheGroupEndsTheStartNamingTheGroup() throws Exception {
        String app = "sec-no-group";
        String password = password();
        kafka.addScramUser(app, password);
        prepare(app);
        kafka.revoke(List.of(SecuredKafkaCluster.allow("User:" + app, ResourceType.GROUP, app, PatternType.LITERAL,
                AclOperation.READ)));

        String message = startFailure(scramSettings(app, app, password));

        assertThat(message).contains("READ on group " + app).doesNotContain("on topic");
    }

    @Test
    void noAccessToTheTransactionalIdsEndsTheStartNamingThem() throws Exception {
        String app = "sec-no-txn";
        String password = password();
        kafka.addScramUser(app, password);
        prepare(app);
        kafka.revoke(List.of(SecuredKafkaCluster.allow("User:" + app, ResourceType.TRANSACTIONAL_ID, app + "-",
                PatternType.PREFIXED, AclOperation.WRITE)));

        String message = startFailure(scramSettings(app, app, password));

        assertThat(message).contains("WRITE on transactional ids with prefix " + app + "-").doesNotContain("group");
    }

    @Test
    void aClientCertificateTheBrokersDoNotTrustEndsTheStartNamingTheKeyStore() throws Exception {
        String app = "sec-untrusted-cert";
        prepare(app);
        Path otherDir = Files.createDirectories(workDir.resolve("other-ca"));
        TestCertificates.Store foreign = TestCertificates.create(otherDir).client(app);

        String message = startFailure(tlsSettings(app, foreign));

        assertThat(message).contains("kafka.ssl.keystore.location", kafka.tlsBootstrapServers())
                .doesNotContain(foreign.password());
    }

    @Test
    void aTrustStoreWithoutTheBrokersCaEndsTheStartNamingIt() throws Exception {
        String app = "sec-untrusted-broker";
        String password = password();
        kafka.addScramUser(app, password);
        prepare(app);
        Path otherDir = Files.createDirectories(workDir.resolve("other-trust"));
        TestCertificates.Store otherTrust = TestCertificates.create(otherDir).trustStore();
        Map<String, String> settings = scramSettings(app, app, password);
        settings.put("kafka.ssl.truststore.location", otherTrust.path().toString());
        settings.put("kafka.ssl.truststore.password", otherTrust.password());

        String message = startFailure(settings);

        assertThat(message).contains("kafka.ssl.truststore.location", kafka.saslBootstrapServers())
                .doesNotContain(password, otherTrust.password());
    }

    // --- helpers ---

    private record Failure(int exit, String log, String errorLine, long tookMs) {}

    /** The {@code run} command in a child JVM until it exits by itself; its single ERROR line. */
    private Failure runUntilExit(String app, Map<String, String> settings) throws Exception {
        Path log = ChildApp.newLog(workDir, app);
        long started = System.nanoTime();
        ChildApp child = ChildApp.start("run", List.of(), settings, log, PRODUCTION_LOGGING);
        int exit = child.awaitExit(Duration.ofSeconds(60));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        String output = Files.readString(log);
        List<String> errors = output.lines().filter(ERROR_LINE.asPredicate()).toList();
        assertThat(errors).as("ERROR lines; log:%n%s", output).hasSize(1);
        assertThat(output).as("no stack trace in the log:%n%s", output).doesNotContain("\tat ", "Caused by:");
        System.out.printf("[secured-cluster] %s: exit %d after %d ms (child JVM start included): %s%n", app, exit, tookMs,
                errors.getFirst());
        return new Failure(exit, output, errors.getFirst(), tookMs);
    }

    /** Builds the application in this JVM, which must fail its start checks within seconds; the message. */
    private String startFailure(Map<String, String> settings) {
        long started = System.nanoTime();
        Throwable failed = catchThrowable(() -> new StreamNlpApplication(ConfigLoader.load(null, Map.of(), settings)).close());
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(failed).isInstanceOf(StartupFailedException.class);
        String message = failed.getMessage();
        assertThat(message).doesNotContain("\n");
        assertThat(tookMs).as("the start failed after %d ms: %s", tookMs, message).isLessThan(10_000);
        System.out.printf("[secured-cluster] %s: StartupFailedException after %d ms: %s%n",
                settings.get(StreamNlpConfig.APPLICATION_ID), tookMs, message);
        return message;
    }

    /** The input topic (2 partitions) with EVENTS valid JSON events and one that is not JSON; the app's ACLs. */
    private void prepare(String app) throws Exception {
        String input = app + ".in";
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(input, 2, (short) 1))).all().get();
        }
        try (var producer = new KafkaProducer<>(kafka.adminClient(), new StringSerializer(), new StringSerializer())) {
            for (String id : ids(app)) {
                producer.send(new ProducerRecord<>(input, id,
                        "{\"id\": \"" + id + "\", \"text\": \"Order " + id + " reached Maria in Lisbon on time, well packed.\"}"));
            }
            producer.send(new ProducerRecord<>(input, app + "-bad", "{\"id\": \"" + app + "-bad\", text:"));
        }
        kafka.grant(SecuredKafkaCluster.streamNlpAcls("User:" + app, app, List.of(input), app));
    }

    /** Every event once in each output (read_committed, by key), the bad one in the DLQ as bad-json. */
    private void assertEnrichedAndDeadLettered(String app) {
        Map<String, Long> wanted = ids(app).stream().collect(Collectors.toMap(id -> id, id -> 1L));
        for (String output : List.of("embeddings", "sentiment", "entities", "enriched")) {
            List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(kafka.adminClient(), app + "." + output,
                    new ByteArrayDeserializer(), EVENTS, Duration.ofSeconds(90));
            assertThat(records.stream().collect(Collectors.groupingBy(
                    r -> new String(r.key(), StandardCharsets.UTF_8), Collectors.counting())))
                    .as(output + " by key").isEqualTo(wanted);
        }
        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readAll(kafka.adminClient(), app + ".dlq",
                new ByteArrayDeserializer(), 1, Duration.ofSeconds(30));
        assertThat(dead).singleElement().satisfies(record -> {
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(app + "-bad");
            assertThat(new String(record.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
                    .isEqualTo("bad-json");
        });
    }

    /** Committed records of a topic as the admin reads them (0 when it is empty or missing). */
    private long committed(String topic) {
        return TopicReader.readAll(kafka.adminClient(), topic, new ByteArrayDeserializer(), 0, Duration.ofSeconds(5)).size();
    }

    /** What the README's Kafka security section shows for SCRAM over TLS, plus this case's own names. */
    private Map<String, String> scramSettings(String app, String user, String password) {
        Map<String, String> settings = common(app, kafka.saslBootstrapServers());
        settings.put("kafka.security.protocol", "SASL_SSL");
        settings.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        settings.put("kafka.sasl.jaas.config", SecuredKafkaCluster.jaas(user, password));
        return settings;
    }

    /** What the README shows for mutual TLS: the client's key store beside the trust store. */
    private Map<String, String> tlsSettings(String app, TestCertificates.Store keys) {
        Map<String, String> settings = common(app, kafka.tlsBootstrapServers());
        settings.put("kafka.security.protocol", "SSL");
        settings.put("kafka.ssl.keystore.location", keys.path().toString());
        settings.put("kafka.ssl.keystore.password", keys.password());
        settings.put("kafka.ssl.keystore.type", "PKCS12");
        return settings;
    }

    private Map<String, String> common(String app, String bootstrap) {
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, bootstrap);
        settings.put("kafka.ssl.truststore.location", kafka.certificates().trustStore().path().toString());
        settings.put("kafka.ssl.truststore.password", kafka.certificates().trustStore().password());
        settings.put("kafka.ssl.truststore.type", "PKCS12");
        settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, registry);
        settings.put(StreamNlpConfig.APPLICATION_ID, app);
        settings.put(StreamNlpConfig.INPUT_TOPICS, app + ".in:json");
        settings.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, app);
        settings.put(StreamNlpConfig.STATE_DIR, workDir.resolve(app + "-state").toString());
        settings.put(StreamNlpConfig.METRICS_PORT, "0");
        settings.put(StreamNlpConfig.MODEL_NAME, MODEL);
        return settings;
    }

    private static List<String> ids(String app) {
        return IntStream.range(0, EVENTS).mapToObj(i -> app + "-" + i).collect(Collectors.toCollection(ArrayList::new));
    }

    private static String password() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
