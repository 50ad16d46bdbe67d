package io.streamnlp.testing;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** What an operator would look at from outside: how far the application's group has committed. */
public final class PipelineProbe {

    private PipelineProbe() {}

    /** Sum of the group's committed offsets on the topic (0 where nothing is committed yet). */
    public static long committed(String bootstrapServers, String groupId, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    /**
     * Input records the application is done with: committed on the input topic, less those still
     * waiting in its {@code <group>-by-text} topic (the result cache's routing hop), if it has one.
     */
    public static long processed(String bootstrapServers, String groupId, String inputTopic) throws Exception {
        String byText = groupId + "-by-text";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            long input = 0;
            long byTextConsumed = 0;
            for (var entry : offsets.entrySet()) {
                if (entry.getValue() == null) {
                    continue;
                }
                if (entry.getKey().topic().equals(inputTopic)) {
                    input += entry.getValue().offset();
                } else if (entry.getKey().topic().equals(byText)) {
                    byTextConsumed += entry.getValue().offset();
                }
            }
            if (!admin.listTopics().names().get().contains(byText)) {
                return input;
            }
            int partitions = admin.describeTopics(Set.of(byText)).allTopicNames().get().get(byText).partitions().size();
            long byTextWritten = endOffsets(admin, byText, partitions);
            // The by-text log also holds aborted writes of killed instances: never below zero.
            return Math.max(0, input - (byTextWritten - byTextConsumed));
        }
    }

    /** Sum of the latest offsets of a topic's partitions. */
    public static long endOffsets(String bootstrapServers, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            return endOffsets(admin, topic, partitions);
        }
    }

    private static long endOffsets(Admin admin, String topic, int partitions) throws Exception {
        Set<TopicPartition> tps = java.util.stream.IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic, p)).collect(Collectors.toSet());
        return admin.listOffsets(tps.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                .all().get().values().stream().mapToLong(info -> info.offset()).sum();
    }
}
