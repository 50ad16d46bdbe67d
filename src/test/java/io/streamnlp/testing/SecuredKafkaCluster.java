package io.streamnlp.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft Kafka in this JVM that requires authentication and authorization, as a
 * production cluster does:
 *
 * <ul>
 *   <li>listener {@code SASL_SSL}: TLS (certificate of {@link TestCertificates}' CA) with SASL
 *       SCRAM-SHA-512; principal {@code User:<name>};
 *   <li>listener {@code SSL}: mutual TLS ({@code ssl.client.auth=required}); the principal is the client
 *       certificate's CN ({@code ssl.principal.mapping.rules}), so {@code CN=streamnlp} is {@code User:streamnlp},
 *       the same principal as the SCRAM user of that name. Also the inter-broker listener;
 *   <li>ACLs on ({@code StandardAuthorizer}, nothing allowed without an ACL); super users: {@value #ADMIN}
 *       (the test's own clients), the broker's certificate, and {@code ANONYMOUS}, which only the
 *       PLAINTEXT controller listener yields (no client listener is PLAINTEXT).
 * </ul>
 *
 * <p>The admin's SCRAM credentials are written when the storage is formatted (as {@code kafka-storage
 * format --add-scram} does), so the cluster is usable from its first second; other users are added with
 * the admin client ({@link #addScramUser}). Replication factors are 1, so transactions work on one node.
 */
public final class SecuredKafkaCluster implements AutoCloseable {

    public static final String ADMIN = "admin";
    private static final String BROKER = "broker";
    private static final String MECHANISM = "SCRAM-SHA-512";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final TestCertificates certificates;
    private final String adminPassword;
    private final String saslBootstrap;
    private final String tlsBootstrap;
    private final KafkaRaftServer server;

    private SecuredKafkaCluster(Path dataDir, TestCertificates certificates, String adminPassword, String saslBootstrap,
            String tlsBootstrap, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.certificates = certificates;
        this.adminPassword = adminPassword;
        this.saslBootstrap = saslBootstrap;
        this.tlsBootstrap = tlsBootstrap;
        this.server = server;
    }

    /** Makes a CA and the broker's certificate under {@code dir}, formats the storage and starts the node. */
    public static SecuredKafkaCluster start(Path dir) throws Exception {
        TestCertificates certificates = TestCertificates.create(dir);
        TestCertificates.Store brokerKeys = certificates.broker(BROKER);
        Path dataDir = Files.createTempDirectory(dir, "kafka-data-");
        String adminPassword = "admin-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        int saslPort = freePort();
        int tlsPort = freePort();
        int controllerPort = freePort();

        Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "SASL_SSL://127.0.0.1:" + saslPort + ",SSL://127.0.0.1:" + tlsPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + saslPort + ",SSL://127.0.0.1:" + tlsPort);
        props.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,SSL:SSL,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "SSL");
        // TLS on both client listeners: the broker's certificate; clients' certificates checked against the CA.
        props.put("ssl.keystore.location", brokerKeys.path().toString());
        props.put("ssl.keystore.password", brokerKeys.password());
        props.put("ssl.key.password", brokerKeys.password());
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.truststore.location", certificates.trustStore().path().toString());
        props.put("ssl.truststore.password", certificates.trustStore().password());
        props.put("ssl.truststore.type", "PKCS12");
        props.put("listener.name.ssl.ssl.client.auth", "required");
        props.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT");
        // SCRAM on the SASL listener; the broker itself authenticates nobody over SASL (inter-broker is SSL).
        props.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", MECHANISM);
        props.put("sasl.enabled.mechanisms", MECHANISM);
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("allow.everyone.if.no.acl.found", "false");
        props.put("super.users", "User:" + ADMIN + ";User:" + BROKER + ";User:ANONYMOUS");
        props.put("log.dirs", dataDir.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        KafkaConfig config = new KafkaConfig(props, false);

        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(dataDir.toString()))
                .setMetadataLogDirectory(dataDir.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setScramArguments(List.of(MECHANISM + "=[name=" + ADMIN + ",password=" + adminPassword + "]"))
                .run();

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        SecuredKafkaCluster cluster = new SecuredKafkaCluster(dataDir, certificates, adminPassword,
                "127.0.0.1:" + saslPort, "127.0.0.1:" + tlsPort, server);
        try {
            cluster.awaitReady();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The coordinator topics made before any client runs (as the local broker does), leaders elected. */
    private void awaitReady() throws Exception {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> topics = List.of(new NewTopic("__consumer_offsets", 4, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact", "compression.type", "producer")),
                    new NewTopic("__transaction_state", 4, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact", "compression.type", "uncompressed")));
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!admin.describeTopics(List.of("__consumer_offsets", "__transaction_state")).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values().stream()
                    .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no leaders for the coordinator topics");
                }
                Thread.sleep(20);
            }
        }
    }

    /** Bootstrap servers of the SASL_SSL (SCRAM) listener. */
    public String saslBootstrapServers() {
        return saslBootstrap;
    }

    /** Bootstrap servers of the mutual-TLS listener. */
    public String tlsBootstrapServers() {
        return tlsBootstrap;
    }

    public TestCertificates certificates() {
        return certificates;
    }

    /** Client settings (any Kafka client) for SCRAM user {@code user} on the SASL_SSL listener. */
    public Map<String, Object> saslClient(String user, String password) {
        Map<String, Object> props = trusting(saslBootstrap);
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        props.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        props.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
        return props;
    }

    /** Client settings for the holder of {@code keys} on the mutual-TLS listener. */
    public Map<String, Object> tlsClient(TestCertificates.Store keys) {
        Map<String, Object> props = trusting(tlsBootstrap);
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        props.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keys.path().toString());
        props.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, keys.password());
        props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
        return props;
    }

    /** The super user's client settings (SCRAM over SASL_SSL): what the tests produce and read with. */
    public Map<String, Object> adminClient() {
        return saslClient(ADMIN, adminPassword);
    }

    public Admin admin() {
        return Admin.create(adminClient());
    }

    private Map<String, Object> trusting(String bootstrap) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certificates.trustStore().path().toString());
        props.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, certificates.trustStore().password());
        props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        return props;
    }

    /** The {@code sasl.jaas.config} value of a SCRAM user. */
    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Creates (or updates) a SCRAM-SHA-512 user and waits until the broker knows it. */
    public void addScramUser(String user, String password) throws Exception {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                try {
                    if (!admin.describeUserScramCredentials(List.of(user)).all()
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    // ResourceNotFound until the broker's metadata has the credential
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("SCRAM user " + user + " not visible on the broker");
                }
                Thread.sleep(20);
            }
        }
    }

    /** Adds the ACLs and waits until the broker's authorizer holds them all. */
    public void grant(Collection<AclBinding> acls) throws Exception {
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitAcls(admin, new HashSet<>(acls), true);
        }
    }

    /** Removes exactly these ACLs and waits until the broker's authorizer no longer holds them. */
    public void revoke(Collection<AclBinding> acls) throws Exception {
        try (Admin admin = admin()) {
            admin.deleteAcls(acls.stream().map(AclBinding::toFilter).toList()).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitAcls(admin, new HashSet<>(acls), false);
        }
    }

    private static void awaitAcls(Admin admin, Set<AclBinding> acls, boolean present) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Collection<AclBinding> held = admin.describeAcls(AclBindingFilter.ANY).values()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            boolean settled = present ? held.containsAll(acls) : acls.stream().noneMatch(held::contains);
            if (settled) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ACLs not " + (present ? "in force" : "gone") + ": " + acls);
            }
            Thread.sleep(20);
        }
    }

    /** An ALLOW ACL of {@code principal} (e.g. {@code User:streamnlp}) from any host. */
    public static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern,
            AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    /**
     * What a StreamNLP instance needs, as the README's Kafka security section lists it: READ on each
     * input; on {@code <output.topic.prefix>.} (prefixed: the outputs, the dead-letter topic, the
     * model-change guard's {@code .models}) CREATE, WRITE, READ and DESCRIBE_CONFIGS; on {@code
     * <application.id>-} (prefixed: the by-text topic and the changelogs) CREATE, READ, WRITE, DELETE,
     * DESCRIBE_CONFIGS and ALTER_CONFIGS; READ on the group {@code <application.id>}; WRITE on the
     * transactional ids {@code <application.id>-} (prefixed; exactly-once); WRITE on the model-change
     * guard's transactional id {@code streamnlp-guard-<prefix>.models}.
     */
    public static List<AclBinding> streamNlpAcls(String principal, String applicationId, List<String> inputs,
            String outputPrefix) {
        List<AclBinding> acls = new ArrayList<>();
        inputs.forEach(input -> acls.add(allow(principal, ResourceType.TOPIC, input, PatternType.LITERAL, AclOperation.READ)));
        for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.WRITE, AclOperation.READ,
                AclOperation.DESCRIBE_CONFIGS)) {
            acls.add(allow(principal, ResourceType.TOPIC, outputPrefix + ".", PatternType.PREFIXED, op));
        }
        for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE,
                AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS)) {
            acls.add(allow(principal, ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED, op));
        }
        acls.add(allow(principal, ResourceType.GROUP, applicationId, PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, applicationId + "-", PatternType.PREFIXED,
                AclOperation.WRITE));
        // The model-change guard's read-decide-write transaction (guard.ModelGuard#transactionalId).
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, "streamnlp-guard-" + outputPrefix + ".models",
                PatternType.LITERAL, AclOperation.WRITE));
        return acls;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try {
            Utils.delete(dataDir.toFile());
        } catch (IOException e) {
            // a temporary directory: the OS cleans it
        }
    }
}
