package io.streamnlp.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka (combined broker and controller) in this JVM, started from Kafka's
 * released server classes, for the demo. Listens on a free loopback port; replication factors are 1
 * so that transactions (exactly-once) work on one node. Its data lives in a temporary directory that
 * is deleted on close.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
    /** Partitions of __consumer_offsets and of __transaction_state: few, as one node needs few. */
    private static final int COORDINATOR_TOPIC_PARTITIONS = 4;

    private final Path dataDir;
    private final KafkaConfig config;
    private final String bootstrapServers;
    private KafkaRaftServer server;

    private LocalKafkaBroker(Path dataDir, KafkaConfig config, KafkaRaftServer server, String bootstrapServers) {
        this.dataDir = dataDir;
        this.config = config;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    public static LocalKafkaBroker start() {
        try {
            Path dataDir = Files.createTempDirectory("streamnlp-kafka-");
            int brokerPort = freePort();
            int controllerPort = freePort();
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("log.dirs", dataDir.toString());
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", String.valueOf(COORDINATOR_TOPIC_PARTITIONS));
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", String.valueOf(COORDINATOR_TOPIC_PARTITIONS));
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
                    .run();

            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + brokerPort;
            LocalKafkaBroker broker = new LocalKafkaBroker(dataDir, config, server, bootstrap);
            broker.awaitReady(Duration.ofSeconds(60));
            LOG.info("Local Kafka broker ready at {}", bootstrap);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the local Kafka broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the local Kafka broker: " + e.getMessage(), e);
        }
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            createCoordinatorTopics(admin, timeout);
            awaitLeaders(admin, deadline);
        }
    }

    /**
     * Creates the offsets and transaction-state topics before any client runs. Left to the broker,
     * they are created on the first coordinator lookup, and every retried lookup that arrives before
     * the new topic reaches the broker's metadata cache asks the controller again and logs a
     * TOPIC_ALREADY_EXISTS warning, even with one client. The configs are the ones the broker's
     * coordinators would give them.
     */
    private static void createCoordinatorTopics(Admin admin, Duration timeout) throws Exception {
        List<NewTopic> topics = List.of(
                new NewTopic(Topic.GROUP_METADATA_TOPIC_NAME, COORDINATOR_TOPIC_PARTITIONS, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                                TopicConfig.COMPRESSION_TYPE_CONFIG, "producer")),
                new NewTopic(Topic.TRANSACTION_STATE_TOPIC_NAME, COORDINATOR_TOPIC_PARTITIONS, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                                TopicConfig.COMPRESSION_TYPE_CONFIG, "uncompressed",
                                TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false")));
        for (var result : admin.createTopics(topics).values().values()) {
            try {
                result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e; // existing is fine: a restart keeps its data
                }
            }
        }
    }

    /** Waits until the broker serves every partition of the coordinator topics. */
    private static void awaitLeaders(Admin admin, long deadlineNanos) throws Exception {
        List<String> names = List.of(Topic.GROUP_METADATA_TOPIC_NAME, Topic.TRANSACTION_STATE_TOPIC_NAME);
        while (true) {
            try {
                boolean served = admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS).values()
                        .stream()
                        .allMatch(description -> description.partitions().stream().allMatch(p -> p.leader() != null));
                if (served) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException("The local broker did not elect leaders for " + names);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Stops the node, waits {@code downtime}, and starts it again on the same ports with the same
     * data, as a rolling restart or a crash-and-reboot looks to clients.
     */
    public void restart(Duration downtime) throws Exception {
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Local Kafka broker stopped; restarting in {} ms", downtime.toMillis());
        Thread.sleep(downtime.toMillis());
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        awaitReady(Duration.ofSeconds(60));
        LOG.info("Local Kafka broker back at {}", bootstrapServers);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    static int freePort() throws IOException {
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
            LOG.warn("Could not delete {}", dataDir, e);
        }
    }
}
