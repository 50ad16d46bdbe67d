package io.streamnlp.bytext;

import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.topics.TopicsUnavailableException;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code <application.id>-by-text} topic, which routes accepted events by text hash to the task
 * that caches that text. Kafka Streams creates and purges the repartition topics of its DSL, but
 * the Processor API has no public way to declare one, so this class does the same two jobs: create
 * it (as many partitions as the widest input topic, so the cache stage keeps the inputs'
 * parallelism; retention unlimited, so an event waits there however long the app is down) and,
 * every minute, delete the records before the application's committed offsets, which are consumed
 * for good (exactly as Streams purges its own repartition topics).
 */
public final class ByTextTopic implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ByTextTopic.class);
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    private final Admin admin;
    private final String topic;
    private final String groupId;
    private final int configuredPartitions;
    private final long retentionMs;
    private final AtomicLong purgeFailures = new AtomicLong();
    private final ScheduledExecutorService purger = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "by-text-purger");
        thread.setDaemon(true);
        return thread;
    });

    public ByTextTopic(StreamNlpConfig config) {
        this.admin = Admin.create(config.adminProperties());
        this.topic = config.byTextTopic();
        this.groupId = config.applicationId();
        this.configuredPartitions = config.byTextPartitions();
        this.retentionMs = config.byTextRetentionMs();
    }

    /**
     * Creates the topic if it is missing, with {@code by.text.partitions} partitions (0: as many as
     * the widest input), or checks the existing one against that setting; then schedules the purge.
     *
     * @throws TopicsUnavailableException when it cannot be created, or exists with another partition
     *     count than {@code by.text.partitions} asks for (the message gives the procedure)
     */
    public void ensure(int widestInput) {
        int wanted = configuredPartitions > 0 ? configuredPartitions : widestInput;
        try {
            Map<String, String> settings = Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(retentionMs));
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(wanted), Optional.empty()).configs(settings)))
                    .all().get(30, TimeUnit.SECONDS);
            LOG.info("Created {} with {} partition(s)", topic, wanted);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TopicAuthorizationException) {
                throw new TopicsUnavailableException("Kafka denies this client's principal CREATE on topic " + topic
                        + " (the result cache routes events through it): grant CREATE, READ, WRITE and DELETE on the topics "
                        + "prefixed " + groupId + "- (README, Kafka security), or set cache.enabled=false", e.getCause());
            }
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new TopicsUnavailableException("Cannot create " + topic + " (the result cache routes events through "
                        + "it): " + e.getCause().getMessage() + ". Create it, or grant topic creation, or set "
                        + "cache.enabled=false", e.getCause());
            }
            checkPartitions(widestInput);
            applyRetention();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicsUnavailableException("Interrupted while creating " + topic, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TopicsUnavailableException("Timed out creating " + topic + " (is Kafka reachable? check "
                    + "bootstrap.servers)", e);
        }
        purger.scheduleWithFixedDelay(this::purgeConsumed, PURGE_INTERVAL.toMillis(), PURGE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** An existing topic gets the configured safety retention (it is ours: nobody else writes it). */
    private void applyRetention() {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("retention.ms", Long.toString(retentionMs)), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Cannot set retention.ms={} on {} (by.text.retention.ms): {}", retentionMs, topic, e.toString());
        }
    }

    /**
     * Whether {@code topic} exists: what {@code cache.placement=auto} is decided by.
     *
     * @throws TopicsUnavailableException when the cluster cannot say within {@code timeout}
     */
    public static boolean exists(Admin admin, String topic, Duration timeout) {
        try {
            return admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).contains(topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicsUnavailableException("Interrupted while looking for " + topic, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new TopicsUnavailableException("Cannot list the topics to find " + topic + " (cache.placement=auto "
                    + "is decided by whether it exists; set cache.placement=partition or by-text to skip this): " + e, e);
        }
    }

    /**
     * Without the hop (the cache off, or placed by partition) whatever still waits in the by-text topic
     * would never be read again: refuse to start until it is drained.
     *
     * @throws TopicsUnavailableException naming the topic, the count and how to drain it
     */
    public static void checkDrained(StreamNlpConfig config) {
        String topic = config.byTextTopic();
        try (Admin admin = Admin.create(config.adminProperties());
                CommittedRecords readable = new CommittedRecords(config.adminProperties())) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.applicationId())
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            long waiting = 0;
            for (var end : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata consumed = committed.get(end.getKey());
                long from = consumed == null ? 0 : consumed.offset();
                if (readable.anyBetween(end.getKey(), from, end.getValue().offset())) {
                    waiting += end.getValue().offset() - from;
                }
            }
            if (waiting > 0) {
                String setting = config.cacheEnabled() ? "cache.placement=" + config.cachePlacement().settingName()
                        : "cache.enabled=false";
                throw new TopicsUnavailableException(setting + ", but " + topic + " still holds up to " + waiting
                        + " unconsumed event(s) that would never be enriched. Run with cache.enabled=true and "
                        + "cache.placement=by-text until the group's lag on " + topic + " is 0 (or its accounting shows "
                        + "pending=0), stop, then start with " + setting, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicsUnavailableException("Interrupted while checking " + topic, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new TopicsUnavailableException("Cannot check " + topic + " for unconsumed events: " + e, e);
        }
    }

    private void checkPartitions(int widestInput) {
        int existing;
        try {
            existing = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
        } catch (Exception e) {
            throw new TopicsUnavailableException("Cannot describe " + topic + ": " + e, e);
        }
        if (configuredPartitions > 0 && existing != configuredPartitions) {
            // The partition of a text is its hash modulo the count: changing it under a running
            // group would split a text's copies over two tasks and strand what waits in the topic.
            throw new TopicsUnavailableException(topic + " has " + existing + " partition(s) but "
                    + "by.text.partitions=" + configuredPartitions + ". To change it: stop every instance, start them "
                    + "again with by.text.partitions=" + existing + " and cache.enabled=true until the group's lag on "
                    + topic + " is 0, stop them, delete " + topic + ", then start with the new value (or set "
                    + "by.text.partitions=0 to keep the existing topic)", null);
        }
        if (existing < widestInput) {
            LOG.warn("{} has {} partition(s), fewer than the widest input topic ({}): the cache stage runs at most {} "
                    + "task(s) in parallel (set by.text.partitions to change it; see the README)", topic, existing,
                    widestInput, existing);
        }
    }

    private void purgeConsumed() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, RecordsToDelete> consumed = new HashMap<>();
            committed.forEach((partition, offset) -> {
                if (partition.topic().equals(topic) && offset != null) {
                    consumed.put(partition, RecordsToDelete.beforeOffset(offset.offset()));
                }
            });
            if (!consumed.isEmpty()) {
                admin.deleteRecords(consumed).all().get(30, TimeUnit.SECONDS);
            }
            if (purgeFailures.get() > 0) {
                LOG.info("Purging consumed records of {} works again", topic);
                purgeFailures.set(0);
            }
        } catch (Exception e) {
            // Housekeeping, so never fatal, but never silent either: the topic keeps records without a
            // time limit, so a purge that keeps failing (no DELETE_RECORDS ACL) makes it grow for ever.
            if (purgeFailures.getAndIncrement() == 0) {
                LOG.warn("Cannot purge consumed records of {} (it will grow until this works; grant the DeleteRecords "
                        + "permission on it): {}", topic, e.toString());
            }
        }
    }

    /** Purge rounds that failed in a row (0 when the last one worked). */
    public long purgeFailures() {
        return purgeFailures.get();
    }

    @Override
    public void close() {
        purger.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
