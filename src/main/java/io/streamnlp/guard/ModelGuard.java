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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
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
 * <p>Only prefixes that get vectors are guarded ({@link StreamNlpConfig#writesVectors()}).
 */
public final class ModelGuard {

    /** The one key of {@code <prefix>.models}. */
    public static final String KEY = "embedding-model";

    private static final Logger LOG = LoggerFactory.getLogger(ModelGuard.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

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
        EmbeddingModel recorded = recorded();
        Verdict verdict = decide(recorded, current, config.modelChangeAllowed(), config.outputTopicPrefix(), topic);
        switch (verdict) {
            case SAME -> LOG.info("Output prefix {} holds vectors of {}: the encoder of this instance", config.outputTopicPrefix(),
                    current.describe());
            case RECORDED -> {
                record(current);
                LOG.info("Recorded {} as the encoder of output prefix {} in {}", current.describe(),
                        config.outputTopicPrefix(), topic);
            }
            case CHANGED -> {
                record(current);
                LOG.warn("Output prefix {} held vectors of {}; model.change=allow: it now gets vectors of {}. Vectors of the "
                        + "two encoders are not comparable: consumers must not mix records from before and after this start",
                        config.outputTopicPrefix(), describe(recorded), current.describe());
            }
        }
        return verdict;
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

    private void record(ModelIdentity current) {
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
        Map<String, Object> props = clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        byte[] bytes = new ConfluentAvroSerializer<>(EmbeddingModel.class, registry, false).serialize(topic, value);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, KEY.getBytes(StandardCharsets.UTF_8), bytes))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.streamnlp.topics.TopicsUnavailableException("Interrupted while writing " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new io.streamnlp.topics.TopicsUnavailableException("Cannot write the encoder record to " + topic + ": "
                    + e + " (check WRITE on it and the kafka.* security settings)", e);
        }
    }

    /** The admin settings (bootstrap, kafka.* security) serve the guard's one consumer and one producer too. */
    private Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(config.adminProperties());
        props.keySet().removeIf(key -> key.startsWith("admin."));
        return props;
    }
}
