package io.streamnlp.replay;

import io.streamnlp.bytext.CommittedRecords;
import io.streamnlp.config.StreamNlpConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a replay's group stands against its plan, from the committed offsets: what is read, what
 * is left, and the by-text topic's backlog. Reads only; every call asks the cluster afresh.
 */
final class ReplayOffsets {

    private ReplayOffsets() {
    }

    static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        committed.values().removeIf(java.util.Objects::isNull);
        return committed;
    }

    /**
     * Has the group read every partition to the end of its range? Yes where its committed offset is
     * past the end, or where nothing deliverable lies between the two (only markers or aborted
     * writes: see {@link CommittedRecords}).
     */
    static boolean allRead(Map<TopicPartition, long[]> ranges, Map<TopicPartition, OffsetAndMetadata> committed,
            CommittedRecords readable) {
        for (var entry : ranges.entrySet()) {
            long[] range = entry.getValue();
            OffsetAndMetadata offset = committed.get(entry.getKey());
            long from = offset == null ? range[0] : Math.max(range[0], offset.offset());
            if (from < range[1] && (offset == null || readable.anyBetween(entry.getKey(), from, range[1]))) {
                return false;
            }
        }
        return true;
    }

    static Map<TopicPartition, long[]> asRanges(Map<TopicPartition, Long> ends) {
        Map<TopicPartition, long[]> ranges = new HashMap<>();
        ends.forEach((partition, end) -> ranges.put(partition, new long[] {0, end}));
        return ranges;
    }

    /** Source records the replay has read, per the committed offsets, within the plan's ranges. */
    static long done(ReplayPlan plan, Map<TopicPartition, OffsetAndMetadata> committed) {
        long done = 0;
        for (var entry : plan.ranges().entrySet()) {
            OffsetAndMetadata offset = committed.get(entry.getKey());
            long[] range = entry.getValue();
            done += offset == null ? 0 : Math.max(0, Math.min(offset.offset(), range[1]) - range[0]);
        }
        return done;
    }

    /** Offsets between the group's position and the end of the by-text topic: an upper bound of its backlog. */
    static long backlog(Map<TopicPartition, Long> byTextEnds, Map<TopicPartition, OffsetAndMetadata> committed) {
        long backlog = 0;
        for (var entry : byTextEnds.entrySet()) {
            OffsetAndMetadata consumed = committed.get(entry.getKey());
            backlog += Math.max(0, entry.getValue() - (consumed == null ? 0 : consumed.offset()));
        }
        return backlog;
    }

    /** The end offset of each partition of the by-text topic (the cache's routing hop); none without the hop. */
    static Map<TopicPartition, Long> byTextEnds(Admin admin, StreamNlpConfig config) throws Exception {
        if (!config.byTextHop()) {
            return Map.of();
        }
        String topic = config.byTextTopic();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        try {
            admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        } catch (ExecutionException e) {
            return Map.of(); // not created yet
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((p, info) -> ends.put(p, info.offset()));
        return ends;
    }

    /** The partitions whose tasks together run the whole replay: the plan's and the by-text topic's. */
    static Set<TopicPartition> inputs(ReplayPlan plan, Map<TopicPartition, Long> byTextEnds) {
        Set<TopicPartition> inputs = new java.util.HashSet<>(plan.ranges().keySet());
        inputs.addAll(byTextEnds.keySet());
        return inputs;
    }
}
