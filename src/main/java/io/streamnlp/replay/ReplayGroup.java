package io.streamnlp.replay;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.schema.internal.PendingText;
import io.streamnlp.topology.TopologyNames;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * Completion across the replay's group, not only on this host. Several hosts may run the same replay
 * (the same command derives the same id, hence one group); the committed offsets are the group's,
 * but an instance can query only its own pending-batch stores, and a text another host holds in its
 * store is committed as read and not yet enriched. So a host may call the replay finished, and delete
 * its internal topics, only when it provably holds all of it: its own stream threads run every task
 * (their active tasks cover every source and by-text partition), and the group has no other member
 * (none that a rebalance could give a task to, or that still needs the internal topics).
 *
 * <p>When the group's offsets are all read and this host's store is empty but it is not alone, one
 * member stays to finish (the first by client id) and the others hand their part over: they close and
 * leave the group, their tasks move to the one that stays, which restores their stores and finishes.
 */
final class ReplayGroup {

    /** Where this host stands once everything the group committed is read and its own store is empty. */
    enum Standing {
        /** It runs every task and is the group's only member: the replay is finished, and its to clean up. */
        ALONE,
        /** Others are in the group, and it is the one to stay and finish: poll again. */
        STAY,
        /** Others are in the group and one of them finishes: this host closes and leaves. */
        HAND_OFF
    }

    private ReplayGroup() {}

    /**
     * Where this host stands; {@link Standing#ALONE} only if it still is after its stores were queried
     * once more (a task that moved here between the two looks is then in the query).
     *
     * @param inputs the plan's partitions and the by-text topic's: together, every task of the replay
     */
    static Standing standing(Admin admin, String id, StreamNlpApplication app, Set<TopicPartition> inputs)
            throws Exception {
        Standing standing = look(admin, id, app.streams(), inputs);
        if (standing != Standing.ALONE) {
            return standing;
        }
        return nothingPending(app) ? look(admin, id, app.streams(), inputs) : Standing.STAY;
    }

    /** No text waits in a micro-batch of this instance's tasks (interactive query on its pending-batch stores). */
    static boolean nothingPending(StreamNlpApplication app) {
        try {
            var store = app.streams().store(StoreQueryParameters.fromNameAndType(TopologyNames.PENDING_STORE,
                    QueryableStoreTypes.<Long, PendingText>keyValueStore()));
            try (KeyValueIterator<Long, PendingText> all = store.all()) {
                return !all.hasNext();
            }
        } catch (RuntimeException e) {
            return false; // stores migrating or not ready: ask again
        }
    }

    /** Closes Kafka Streams and leaves the group now, so that its tasks move to the member that stays. */
    static void leave(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)));
    }

    private static Standing look(Admin admin, String id, KafkaStreams streams, Set<TopicPartition> inputs) throws Exception {
        Set<ThreadMetadata> threads = streams.metadataForLocalThreads();
        Set<String> ours = threads.stream().map(ThreadMetadata::consumerClientId).collect(Collectors.toSet());
        Set<TopicPartition> running = new HashSet<>();
        threads.forEach(t -> t.activeTasks().forEach(task -> running.addAll(task.topicPartitions())));
        List<MemberDescription> members = List.copyOf(admin.describeConsumerGroups(Set.of(id)).describedGroups().get(id)
                .get(30, TimeUnit.SECONDS).members());
        boolean others = members.stream().anyMatch(m -> !ours.contains(m.clientId()));
        if (!others) {
            return running.containsAll(inputs) ? Standing.ALONE : Standing.STAY; // a rebalance still to come
        }
        String first = members.stream().map(MemberDescription::clientId).min(Comparator.naturalOrder()).orElseThrow();
        return ours.contains(first) ? Standing.STAY : Standing.HAND_OFF;
    }
}
