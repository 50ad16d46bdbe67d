package io.streamnlp.topics;

import java.util.Map;

/**
 * How StreamNLP creates an output topic that is missing.
 *
 * @param partitions partitions of a new topic; 0 = as many as the widest input topic
 * @param replicationFactor replicas of a new topic; -1 = the broker's {@code default.replication.factor}
 * @param configs topic-level settings of a new topic (e.g. {@code retention.ms})
 */
public record TopicLayout(int partitions, short replicationFactor, Map<String, String> configs) {

    public static final int WIDEST_INPUT = 0;
    public static final short BROKER_DEFAULT = -1;
}
