package io.streamnlp.bytext;

import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.ingest.InputTopic;
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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
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
    private final ScheduledExecutorService purger = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "by-text-purger");
        thread.setDaemon(true);
        return thread;
    });

    public ByTextTopic(StreamNlpConfig config) {
        this.admin = Admin.create(config.adminProperties());
        this.topic = config.byTextTopic();
        this.groupId = config.applicationId();
    }

    /** Creates the topic if it is missing; warns if it has fewer partitions than the inputs. */
    public void ensure(List<InputTopic> inputs) {
        int partitions = 1;
        try {
            Map<String, TopicDescription> described = admin.describeTopics(inputs.stream().map(InputTopic::name).toList())
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            for (TopicDescription description : described.values()) {
                partitions = Math.max(partitions, description.partitions().size());
            }
            Map<String, String> settings = Map.of("cleanup.policy", "delete", "retention.ms", "-1");
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()).configs(settings)))
                    .all().get(30, TimeUnit.SECONDS);
            LOG.info("Created {} with {} partition(s)", topic, partitions);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create " + topic + " (the result cache routes events through it;"
                        + " create it, or grant topic creation, or set cache.enabled=false): " + e.getCause().getMessage(), e);
            }
            checkPartitions(partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating " + topic, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Timed out creating " + topic + " (is Kafka reachable?)", e);
        }
        purger.scheduleWithFixedDelay(this::purgeConsumed, PURGE_INTERVAL.toMillis(), PURGE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void checkPartitions(int wanted) {
        int existing;
        try {
            existing = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
        } catch (Exception e) {
            LOG.warn("Could not describe {}: {}", topic, e.toString());
            return;
        }
        if (existing < wanted) {
            LOG.warn("{} has {} partition(s), fewer than the widest input topic ({}): the cache stage runs at most {} "
                    + "task(s) in parallel", topic, existing, wanted, existing);
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
        } catch (Exception e) {
            // Only housekeeping: the next round tries again.
            LOG.debug("Could not purge consumed records of {}: {}", topic, e.toString());
        }
    }

    @Override
    public void close() {
        purger.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
