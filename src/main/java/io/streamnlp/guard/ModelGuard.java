package io.streamnlp.guard;

import io.streamnlp.config.OutputFormat;
import io.streamnlp.config.OutputKind;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.ops.AppVersion;
import io.streamnlp.registry.ConfluentAvroDeserializer;
import io.streamnlp.registry.ConfluentAvroSerializer;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingModel;
import io.streamnlp.schema.OutputFormatChoice;
import io.streamnlp.topics.TopicLayout;
import io.streamnlp.topics.TopicPreflight;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
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
import org.apache.kafka.common.errors.InvalidTxnStateException;
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
 * <p>Only prefixes that get vectors are guarded for the encoder ({@link StreamNlpConfig#writesVectors()}).
 *
 * <p>The same record, the same way, holds the prefix's {@code output.format} (key {@value #FORMAT_KEY},
 * value {@link OutputFormatChoice}, registered under {@code <prefix>.models.format-value}), so a consumer
 * never meets Avro and JSON on one topic: a start with the other format is refused unless
 * {@code output.format.change=allow}. A prefix without that record holds Avro when its encoder is recorded
 * or its output topics hold records (every release before {@code output.format} wrote Avro only). The
 * format is guarded on every start that writes JSON or vectors, and on an Avro start whose prefix has a
 * {@code <prefix>.models} topic ({@link #applies()}).
 */
public final class ModelGuard {

    /** The one key of {@code <prefix>.models}. */
    public static final String KEY = "embedding-model";
    /** The key of the prefix's output format in {@code <prefix>.models}. */
    public static final String FORMAT_KEY = "output-format";
    /** Appended to the topic for the format record's registry subject, apart from the encoder record's. */
    static final String FORMAT_SUBJECT_SUFFIX = ".format";

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
        /** Another encoder (or format) was recorded; {@code model.change=allow} (or {@code output.format.change=allow}) let this one replace it. */
        CHANGED
    }

    /** What {@code <prefix>.models} holds: either record may be missing (null). */
    record Recorded(EmbeddingModel model, OutputFormatChoice format) {}

    /** The decision on both records, and what it writes. */
    private record Plan(Verdict model, Verdict format, OutputFormat held) {

        boolean writes() {
            return model != Verdict.SAME || format != Verdict.SAME;
        }

        Verdict overall() {
            if (model == Verdict.CHANGED || format == Verdict.CHANGED) {
                return Verdict.CHANGED;
            }
            return writes() ? Verdict.RECORDED : Verdict.SAME;
        }
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
     * Whether this start is guarded: it writes vectors or JSON, or the prefix has a {@code <prefix>.models}
     * topic (which may record JSON). An Avro start without vectors on a prefix without one creates nothing,
     * as before {@code output.format} existed.
     */
    public boolean applies() {
        if (config.writesVectors() || config.outputFormat() != OutputFormat.AVRO) {
            return true;
        }
        try (Admin admin = Admin.create(config.adminProperties())) {
            return admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Cannot list topics to find {} ({}); not checking the output format of prefix {}", topic, e.toString(),
                    config.outputTopicPrefix());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The fingerprint of the encoder whose vectors the prefix holds, or null: none recorded, or no
     * {@code <prefix>.models} topic yet. Reads only and creates nothing; what {@code model.graph=auto} decides by,
     * before the encoder loads.
     */
    public String recordedFingerprint() {
        try (Admin admin = Admin.create(config.adminProperties())) {
            if (!admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
                return null;
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new io.streamnlp.topics.TopicsUnavailableException("Cannot list topics to find " + topic
                    + ", which model.graph=auto reads: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.streamnlp.topics.TopicsUnavailableException("Interrupted while looking for " + topic, e);
        }
        EmbeddingModel model = recorded().model();
        return model == null ? null : model.getFingerprint();
    }

    /**
     * Checks {@code current} and this instance's {@code output.format} against the prefix's records, and
     * records each when there is none or the change is allowed.
     *
     * @param current the encoder, or null when the outputs carry no vectors (only the format is checked)
     * @throws ModelChangeRefusedException when the prefix holds another encoder's vectors and
     *     {@code model.change} is {@code refuse}
     * @throws OutputFormatChangeRefusedException when the prefix holds records of the other format and
     *     {@code output.format.change} is {@code refuse}
     * @throws io.streamnlp.topics.TopicsUnavailableException when the topic cannot be created or read
     */
    public Verdict check(ModelIdentity current) {
        ensureTopic();
        // The common start (the prefix already holds this encoder, or another one and the change is refused)
        // writes nothing, so it needs no transaction: a plain read decides it, and several replicas starting
        // at once do not fence each other for nothing.
        if (!plan(recorded(), current).writes()) {
            logSame(current);
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
        Recorded recorded = recorded();
        Plan plan = plan(recorded, current);
        if (plan.writes()) {
            record(plan.model() != Verdict.SAME ? current : null, plan.format() != Verdict.SAME, producer);
        }
        String format = config.outputFormat().settingName();
        // A first start records both: one line says so (a newcomer's log stays short).
        boolean bothRecorded = plan.model() == Verdict.RECORDED && plan.format() == Verdict.RECORDED;
        switch (plan.model()) {
            case SAME -> logSame(current);
            case RECORDED -> LOG.info("Recorded {} as the encoder of output prefix {}{} in {}", current.describe(),
                    config.outputTopicPrefix(), bothRecorded ? " (output.format=" + format + ")" : "", topic);
            case CHANGED -> LOG.warn("Output prefix {} held vectors of {}; model.change=allow: it now gets vectors of {}. "
                    + "Vectors of the two encoders are not comparable: consumers must not mix records from before and after "
                    + "this start", config.outputTopicPrefix(), describe(recorded.model()), current.describe());
        }
        switch (plan.format()) {
            case SAME -> { }
            case RECORDED -> {
                if (!bothRecorded) {
                    LOG.info("Recorded output.format={} for output prefix {} in {}", format, config.outputTopicPrefix(), topic);
                }
            }
            case CHANGED -> LOG.warn("Output prefix {} held {} records; output.format.change=allow: it now gets {} records. "
                    + "Consumers of its topics must read both", config.outputTopicPrefix(), plan.held().settingName(), format);
        }
        return plan.overall();
    }

    private void logSame(ModelIdentity current) {
        if (current != null) {
            LOG.info("Output prefix {} holds vectors of {}: the encoder of this instance", config.outputTopicPrefix(),
                    current.describe());
        }
    }

    /** Both decisions on what the prefix holds; throws on a refused change of either. */
    private Plan plan(Recorded recorded, ModelIdentity current) {
        Verdict model = current == null ? Verdict.SAME
                : decide(recorded.model(), current, config.modelChangeAllowed(), config.outputTopicPrefix(), topic);
        OutputFormat held;
        boolean implied = recorded.format() == null;
        if (!implied) {
            held = recordedFormat(recorded.format());
        } else if (recorded.model() != null || outputsHoldRecords()) {
            held = OutputFormat.AVRO;
        } else {
            held = null;
        }
        Verdict format = decideFormat(held, implied, config.outputFormat(), config.outputFormatChangeAllowed(),
                config.outputTopicPrefix(), topic);
        return new Plan(model, format, held);
    }

    /**
     * The recorded format; one this release does not know (a newer release's) is never this instance's: refused,
     * or with {@code output.format.change=allow} null (recorded anew).
     */
    private OutputFormat recordedFormat(OutputFormatChoice recorded) {
        try {
            return OutputFormat.of(recorded.getFormat());
        } catch (IllegalArgumentException e) {
            if (config.outputFormatChangeAllowed()) {
                LOG.warn("Output prefix {} held {} records, a format this release does not write; "
                        + "output.format.change=allow: it now gets {} records", config.outputTopicPrefix(),
                        recorded.getFormat(), config.outputFormat().settingName());
                return null; // recorded anew
            }
            throw new OutputFormatChangeRefusedException("Output prefix '" + config.outputTopicPrefix() + "' holds "
                    + recorded.getFormat() + " records (recorded in " + topic + " by " + recorded.getApplicationId()
                    + ", StreamNLP " + recorded.getAppVersion() + "), a format this release does not write; this instance "
                    + "would write " + config.outputFormat().settingName() + " (output.format). Use a new "
                    + "output.topic.prefix, or set output.format.change=allow to switch this prefix anyway");
        }
    }

    /**
     * The format decision, apart from Kafka.
     *
     * @param held the prefix's format, or null for a new prefix
     * @param implied whether {@code held} is not recorded but inferred (Avro: records written before the format was)
     */
    static Verdict decideFormat(OutputFormat held, boolean implied, OutputFormat current, boolean allowChange,
            String prefix, String topic) {
        if (held == null) {
            return Verdict.RECORDED;
        }
        if (held == current) {
            return Verdict.SAME;
        }
        if (allowChange) {
            return Verdict.CHANGED;
        }
        throw new OutputFormatChangeRefusedException("Output prefix '" + prefix + "' holds " + held.settingName()
                + " records (" + (implied ? "written before the output format was recorded: every earlier release wrote avro"
                        : "recorded in " + topic) + "); this instance would write " + current.settingName() + " (output.format="
                + current.settingName() + "), and a consumer must not meet both formats on one topic. Write "
                + current.settingName() + " to a new output.topic.prefix (re-enrich history there with: streamnlp replay "
                + "--output-prefix <new prefix>), or set output.format.change=allow to switch this prefix anyway");
    }

    /**
     * Whether any output topic of the prefix (every kind, not only the selected ones; not the dead letters)
     * has ever been written: with nothing recorded, those records are Avro.
     */
    private boolean outputsHoldRecords() {
        List<String> names = new ArrayList<>();
        for (OutputKind kind : OutputKind.values()) {
            names.add(config.outputTopics().topic(kind));
        }
        try (Admin admin = Admin.create(config.adminProperties())) {
            var existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            names.retainAll(existing);
            if (names.isEmpty()) {
                return false;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicDescription description : admin.describeTopics(names).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values()) {
                description.partitions().forEach(p -> latest.put(new TopicPartition(description.name(), p.partition()),
                        OffsetSpec.latest()));
            }
            return admin.listOffsets(latest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values().stream()
                    .anyMatch(offsets -> offsets.offset() > 0);
        } catch (ExecutionException | TimeoutException e) {
            throw new io.streamnlp.topics.TopicsUnavailableException("Cannot read the end offsets of the output topics of "
                    + "prefix " + config.outputTopicPrefix() + " (" + e + "): the output-format guard needs them to tell a "
                    + "new prefix from one written before the format was recorded (check DESCRIBE on them and the kafka.* "
                    + "security settings)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.streamnlp.topics.TopicsUnavailableException("Interrupted while reading the output topics of "
                    + "prefix " + config.outputTopicPrefix(), e);
        }
    }

    /**
     * Was this transaction overtaken by another guard's (its producer fenced), anywhere in the cause chain?
     * A producer whose transaction the coordinator aborted for a newer one may also hear "invalid
     * transaction state" on its commit (seen in CI with two guards racing on one prefix): the same event.
     */
    private static boolean fenced(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException
                    || cause instanceof InvalidTxnStateException) {
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

    /** The latest records of {@value #KEY} and {@value #FORMAT_KEY}, each or null; reads the (small) topic to its end. */
    Recorded recorded() {
        Map<String, Object> props = clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        ConfluentAvroDeserializer<EmbeddingModel> values = new ConfluentAvroDeserializer<>(EmbeddingModel.class, registry);
        ConfluentAvroDeserializer<OutputFormatChoice> formats = new ConfluentAvroDeserializer<>(OutputFormatChoice.class,
                registry);
        byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
        byte[] formatKey = FORMAT_KEY.getBytes(StandardCharsets.UTF_8);
        EmbeddingModel latest = null;
        OutputFormatChoice latestFormat = null;
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
                    } else if (Arrays.equals(record.key(), formatKey)) {
                        latestFormat = record.value() == null ? null : formats.deserialize(topic, record.value());
                    }
                }
            }
        }
        return new Recorded(latest, latestFormat);
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /**
     * Writes and commits, in the producer's one transaction, the encoder record (when {@code current} is
     * not null) and this instance's format record (when {@code format}).
     */
    private void record(ModelIdentity current, boolean format, KafkaProducer<byte[], byte[]> producer) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        if (current != null) {
            records.add(new ProducerRecord<>(topic, KEY.getBytes(StandardCharsets.UTF_8), encoderRecord(current)));
        }
        if (format) {
            records.add(new ProducerRecord<>(topic, FORMAT_KEY.getBytes(StandardCharsets.UTF_8), formatRecord()));
        }
        write(records, producer);
    }

    private byte[] formatRecord() {
        OutputFormatChoice value = OutputFormatChoice.newBuilder()
                .setFormat(config.outputFormat().settingName())
                .setApplicationId(config.applicationId())
                .setRecordedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .setAppVersion(AppVersion.get())
                .build();
        // Its own subject: <prefix>.models-value keeps the encoder record's schema alone (and BACKWARD).
        return new ConfluentAvroSerializer<>(OutputFormatChoice.class, registry, false)
                .serialize(topic + FORMAT_SUBJECT_SUFFIX, value);
    }

    private byte[] encoderRecord(ModelIdentity current) {
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
        return new ConfluentAvroSerializer<>(EmbeddingModel.class, registry, false).serialize(topic, value);
    }

    private void write(List<ProducerRecord<byte[], byte[]>> records, KafkaProducer<byte[], byte[]> producer) {
        try {
            producer.beginTransaction();
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            producer.commitTransaction();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.streamnlp.topics.TopicsUnavailableException("Interrupted while writing " + topic, e);
        } catch (ExecutionException e) {
            if (fenced(e.getCause())) {
                throw new KafkaException(e.getCause());
            }
            throw new io.streamnlp.topics.TopicsUnavailableException("Cannot write the guard's record to " + topic + ": "
                    + e.getCause() + " (check WRITE on it and the kafka.* security settings)", e);
        } catch (TimeoutException e) {
            throw new io.streamnlp.topics.TopicsUnavailableException("Cannot write the guard's record to " + topic
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
