package io.streamnlp.guard;

import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.ops.AppVersion;
import io.streamnlp.registry.ConfluentAvroDeserializer;
import io.streamnlp.registry.ConfluentAvroSerializer;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingModel;
import io.streamnlp.topics.TopicLayout;
import io.streamnlp.topics.TopicPreflight;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No mixed vector spaces: the encoder whose vectors an output prefix holds is recorded in the
 * compacted topic {@code <prefix>.models} (one partition, key {@value #KEY}, value
 * {@link EmbeddingModel}, registered under {@code <prefix>.models-value}). At start, before Kafka
 * Streams runs, the instance compares its encoder's fingerprint with the recorded one:
 *
 * <ul>
 *   <li>nothing recorded (a new prefix): it records its own;
 *   <li>the same fingerprint: nothing to do (a new name or version for the same files changes nothing);
 *   <li>another fingerprint: the start stops with a message naming both encoders and the way out (a new
 *       prefix and a replay), unless {@code model.change=allow}, which records the new encoder and
 *       logs a warning.
 * </ul>
 *
 * <p>The read, the decision and the write are one step across instances: each check runs under the
 * prefix's transactional id ({@link #transactionalId()}), and a check overtaken by another's (its
 * producer fenced) is void and starts over. Of two instances starting at once on a new prefix with
 * different encoders, exactly one records its own and the other is refused; with the same encoder,
 * both start and one record is written. The prefix's principal therefore needs WRITE and DESCRIBE on
 * that transactional id besides READ and WRITE on the topic.
 *
 * <p>Only prefixes that get vectors are guarded ({@link StreamNlpConfig#writesVectors()}).
 */
public final class ModelGuard {

    /** The one key of {@code <prefix>.models}. */
    public static final String KEY = "embedding-model";

    private static final Logger LOG = LoggerFactory.getLogger(ModelGuard.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** Checks overtaken by another instance's before this one gives up (see {@link #check}). */
    private static final int MAX_ATTEMPTS = 10;

    /** What the start found. */
    public enum Verdict {
        /** Nothing was recorded; this encoder now is. */
        RECORDED,
        /** The recorded encoder is this one. */
        SAME,
        /** Another encoder was recorded; {@code model.change=allow} let this one replace it. */
        CHANGED
    }

    private final StreamNlpConfig config;
    private final SchemaRegistryClient registry;
    private final String topic;

    public ModelGuard(StreamNlpConfig config, SchemaRegistryClient registry) {
        this.config = config;
        this.registry = registry;
        this.topic = config.outputTopics().models();
    }

    /**
     * Checks {@code current} against the prefix's record, and records it when there is none or the
     * change is allowed.
     *
     * @throws ModelChangeRefusedException when the prefix holds another encoder's vectors and
     *     {@code model.change} is {@code refuse}
     * @throws io.streamnlp.topics.TopicsUnavailableException when the topic cannot be created or read
     */
    public Verdict check(ModelIdentity current) {
        ensureTopic();
        // The common start (the prefix already holds this encoder, or another one and the change is refused)
        // writes nothing, so it needs no transaction: a plain read decides it, and several replicas starting
        // at once do not fence each other for nothing.
        if (decide(recorded(), current, config.modelChangeAllowed(), config.outputTopicPrefix(), topic) == Verdict.SAME) {
            LOG.info("Output prefix {} holds vectors of {}: the encoder of this instance", config.outputTopicPrefix(),
                    current.describe());
            return Verdict.SAME;
        }
        for (int attempt = 1; ; attempt++) {
            try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
                return checkOnce(current, producer);
            } catch (RuntimeException e) {
                if (!fenced(e)) {
                    throw e;
                }
                // Another instance started its own check of this prefix while ours ran: its decision may
                // rest on a topic that ours changes, so ours is void and starts over from a fresh read.
                if (attempt == MAX_ATTEMPTS) {
                    throw new io.streamnlp.topics.TopicsUnavailableException("Cannot record the encoder of output prefix "
                            + config.outputTopicPrefix() + " in " + topic + ": " + MAX_ATTEMPTS + " tries were each "
                            + "overtaken by another instance starting on the same prefix; start the instances one at a time", e);
                }
                LOG.info("Another instance checked output prefix {} at the same time; checking again ({})",
                        config.outputTopicPrefix(), e.toString());
                backOff(attempt);
            }
        }
    }

    /**
     * One read-decide-write, made atomic by the transactional id of the prefix ({@link #transactionalId()}):
     * {@code initTransactions} fences every other guard of the prefix that is between its own read and
     * its commit, and aborts what it may have written. So a record commits only if no other guard
     * started a check after this one's read: of two instances starting at once on a new prefix, one
     * records its encoder and the other, starting over, reads it (and refuses, or finds it the same).
     */
    private Verdict checkOnce(ModelIdentity current, KafkaProducer<byte[], byte[]> producer) {
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            if (fenced(e)) {
                throw e;
            }
            throw new io.streamnlp.topics.TopicsUnavailableException("Cannot open a transaction on " + topic
                    + " (transactional id " + transactionalId() + "): " + e + " (the guard records the encoder in a "
                    + "transaction: check WRITE and DESCRIBE on that transactional id and the kafka.* security settings)", e);
        }
        EmbeddingModel recorded = recorded();
        Verdict verdict = decide(recorded, current, config.modelChangeAllowed(), config.outputTopicPrefix(), topic);
        if (verdict != Verdict.SAME) {
            record(current, producer);
        }
        switch (verdict) {
            case SAME -> LOG.info("Output prefix {} holds vectors of {}: the encoder of this instance", config.outputTopicPrefix(),
                    current.describe());
            case RECORDED -> LOG.info("Recorded {} as the encoder of output prefix {} in {}", current.describe(),
                    config.outputTopicPrefix(), topic);
            case CHANGED -> LOG.warn("Output prefix {} held vectors of {}; model.change=allow: it now gets vectors of {}. "
                    + "Vectors of the two encoders are not comparable: consumers must not mix records from before and after "
                    + "this start", config.outputTopicPrefix(), describe(recorded), current.describe());
        }
        return verdict;
    }

    /** Was this transaction overtaken by another guard's (its producer fenced), anywhere in the cause chain? */
    private static boolean fenced(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private static void backOff(int attempt) {
        try {
            // Exponential and jittered, so instances that keep overtaking each other (a read takes about a
            // second) fall out of step: 0.05-0.2 s, then up to 0.4, 0.8, ... 5 s.
            long most = Math.min(5_000L, 100L << Math.min(attempt, 6));
            Thread.sleep(ThreadLocalRandom.current().nextLong(50, most + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.streamnlp.topics.TopicsUnavailableException("Interrupted while checking the encoder of "
                    + "output prefix", e);
        }
    }

    /**
     * {@code streamnlp-guard-<prefix>.models}: one per prefix, shared by every instance and every
     * application id writing to it, which is what makes the guards of one prefix fence each other.
     */
    String transactionalId() {
        return "streamnlp-guard-" + topic;
    }

    private KafkaProducer<byte[], byte[]> transactionalProducer() {
        Map<String, Object> props = clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TIMEOUT.toMillis());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, TIMEOUT.toMillis());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The guard's decision, apart from Kafka. */
    static Verdict decide(EmbeddingModel recorded, ModelIdentity current, boolean allowChange, String prefix,
            String topic) {
        if (recorded == null) {
            return Verdict.RECORDED;
        }
        if (recorded.getFingerprint().equals(current.fingerprint())) {
            return Verdict.SAME;
        }
        if (allowChange) {
            return Verdict.CHANGED;
        }
        throw new ModelChangeRefusedException("Output prefix '" + prefix + "' holds vectors of " + describe(recorded)
                + ", recorded in " + topic + " on " + recorded.getRecordedAt() + " by " + recorded.getApplicationId()
                + "; this instance would write vectors of " + current.describe() + ", which are not comparable with them. "
                + "Write them to a new output.topic.prefix (re-embed history there with: streamnlp replay --output-prefix "
                + "<new prefix> --model " + current.name() + "), or set model.change=allow to switch this prefix anyway");
    }

    private static String describe(EmbeddingModel model) {
        return model.getModel() + " (" + model.getModelVersion() + ", " + model.getDimension() + "-d, fingerprint "
                + model.getFingerprint() + ")";
    }

    private void ensureTopic() {
        TopicLayout layout = new TopicLayout(1, config.outputTopicLayout().replicationFactor(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try (Admin admin = Admin.create(config.adminProperties())) {
            new TopicPreflight(admin, TIMEOUT, config.bootstrapServers())
                    .ensure(List.of(), List.of(topic), config.createTopics(), StreamNlpConfig.TOPICS_CREATE, layout);
            warnUnlessCompacted(admin);
        }
    }

    /** A delete-policy topic would lose the record after its retention, and with it the guard. */
    private void warnUnlessCompacted(Admin admin) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config described = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(resource);
            ConfigEntry policy = described == null ? null : described.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                LOG.warn("{} is not compacted (cleanup.policy={}): its record may be deleted by retention, and with it the "
                        + "model-change guard of this prefix. Set cleanup.policy=compact on it", topic,
                        policy == null ? "?" : policy.value());
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Cannot read the configuration of {} ({}); not checking that it is compacted", topic, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The latest record of {@value #KEY}, or null; reads the (small) topic to its end. */
    EmbeddingModel recorded() {
        Map<String, Object> props = clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        ConfluentAvroDeserializer<EmbeddingModel> values = new ConfluentAvroDeserializer<>(EmbeddingModel.class, registry);
        byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
        EmbeddingModel latest = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!reached(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new io.streamnlp.topics.TopicsUnavailableException("Cannot read " + topic + " to its end within "
                            + TIMEOUT.toSeconds() + " s (check the kafka.* security settings and READ on it)", null);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (Arrays.equals(record.key(), key)) {
                        latest = record.value() == null ? null : values.deserialize(topic, record.value());
                    }
                }
            }
        }
        return latest;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** Writes and commits the record in the producer's transaction. */
    private void record(ModelIdentity current, KafkaProducer<byte[], byte[]> producer) {
        EmbeddingModel value = EmbeddingModel.newBuilder()
                .setModel(current.name())
                .setModelVersion(current.version())
                .setFingerprint(current.fingerprint())
                .setDimension(current.dimension())
                .setPooling(current.pooling())
                .setTextPrefix(current.textPrefix())
                .setApplicationId(config.applicationId())
                .setRecordedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .setAppVersion(AppVersion.get())
                .build();
        byte[] bytes = new ConfluentAvroSerializer<>(EmbeddingModel.class, registry, false).serialize(topic, value);
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, KEY.getBytes(StandardCharsets.UTF_8), bytes))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            producer.commitTransaction();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.streamnlp.topics.TopicsUnavailableException("Interrupted while writing " + topic, e);
        } catch (ExecutionException e) {
            if (fenced(e.getCause())) {
                throw new KafkaException(e.getCause());
            }
            throw new io.streamnlp.topics.TopicsUnavailableException("Cannot write the encoder record to " + topic + ": "
                    + e.getCause() + " (check WRITE on it and the kafka.* security settings)", e);
        } catch (TimeoutException e) {
            throw new io.streamnlp.topics.TopicsUnavailableException("Cannot write the encoder record to " + topic
                    + " within " + TIMEOUT.toSeconds() + " s (check WRITE on it and the kafka.* security settings)", e);
        }
    }

    /** The admin settings (bootstrap, kafka.* security) serve the guard's one consumer and one producer too. */
    private Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(config.adminProperties());
        props.keySet().removeIf(key -> key.startsWith("admin."));
        return props;
    }
}
