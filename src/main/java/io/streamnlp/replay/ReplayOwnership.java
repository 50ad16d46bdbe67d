package io.streamnlp.replay;

import io.streamnlp.app.StartupFailedException;
import io.streamnlp.config.StreamNlpConfig;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;

/**
 * A replay's application id must be its own: under a live application's id it would join that
 * application's consumer group (taking its partitions and committing its offsets) and, once
 * finished, delete what it believes are its internal topics and state. An explicit {@code --id} is
 * therefore refused when it is
 *
 * <ul>
 *   <li>the configured {@code application.id}, or
 *   <li>the consumer group of something running now (a group with active members), unless this host
 *       already planned a replay under that id (its own earlier run, whose member may still be in
 *       the group until its session times out), or
 *   <li>on a first run, an idle group that holds committed offsets (an application stopped for now).
 * </ul>
 *
 * A derived id ({@code streamnlp-replay-<hash of the plan>}) is checked against
 * {@code application.id} only: its group's members are hosts running the same plan.
 */
final class ReplayOwnership {

    private static final long TIMEOUT_S = 30;
    private static final Set<GroupState> IDLE = Set.of(GroupState.EMPTY, GroupState.DEAD);

    private ReplayOwnership() {}

    /** Refuses an id that is the configuration's own {@code application.id}; asks nothing of Kafka. */
    static void refuseApplicationId(String id, StreamNlpConfig base) {
        if (id.equals(base.applicationId())) {
            throw new StartupFailedException("--id " + id + " is the application id of the live application "
                    + "(application.id): a replay under it would join its consumer group and then delete its by-text topic, "
                    + "changelogs and state. Choose another --id, or leave --id out", null);
        }
    }

    /**
     * Refuses an explicit id whose consumer group has active members.
     *
     * @throws StartupFailedException naming {@code --id} and what runs under it, or when Kafka does not answer
     */
    static void refuseRunningGroup(Admin admin, String id, StreamNlpConfig base) {
        Optional<GroupListing> group;
        try {
            Collection<GroupListing> groups = admin.listGroups().all().get(TIMEOUT_S, TimeUnit.SECONDS);
            group = groups.stream().filter(g -> g.groupId().equals(id)).findFirst();
        } catch (ExecutionException | TimeoutException e) {
            throw new StartupFailedException("Cannot list the consumer groups on " + base.bootstrapServers() + " to check "
                    + "that --id " + id + " is not a running application's: " + (e.getCause() != null ? e.getCause() : e)
                    + " (check the kafka.* security settings and DESCRIBE on the cluster)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupFailedException("Interrupted while checking --id " + id, e);
        }
        Optional<GroupState> state = group.flatMap(GroupListing::groupState);
        if (group.isEmpty()) {
            return;
        }
        if (state.map(IDLE::contains).orElse(false)) {
            // Nobody runs under it now, but an application stopped for a while (a redeploy) keeps its
            // offsets there: a first run under that id would resume from them and commit over them.
            if (hasCommittedOffsets(admin, id)) {
                throw new StartupFailedException("--id " + id + " is the consumer group of an application that is not "
                        + "running now but has committed offsets there: a replay under it would take over its offsets, "
                        + "by-text topic and changelogs. Choose another --id, or leave --id out", null);
            }
            return;
        }
        throw new StartupFailedException("--id " + id + " is the consumer group of a running application (" + describe(admin, id,
                state) + "): a replay under it would join that group and then delete its by-text topic, changelogs and "
                + "state. Choose another --id, or leave --id out (hosts running the same replay command share its derived id)",
                null);
    }

    private static boolean hasCommittedOffsets(Admin admin, String id) {
        try {
            return !admin.listConsumerGroupOffsets(id).partitionsToOffsetAndMetadata().get(TIMEOUT_S, TimeUnit.SECONDS)
                    .isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            throw new StartupFailedException("Cannot read the committed offsets of group " + id + " to check that --id "
                    + id + " is not another application's: " + (e.getCause() != null ? e.getCause() : e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupFailedException("Interrupted while checking --id " + id, e);
        }
    }

    /** For the refusal: the group's state and its members' client ids, as far as Kafka tells them. */
    private static String describe(Admin admin, String id, Optional<GroupState> state) {
        String described = "group state " + state.map(GroupState::toString).orElse("unknown");
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(Set.of(id)).describedGroups().get(id)
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
            return described + ", " + group.members().size() + " member(s): "
                    + String.join(", ", group.members().stream().map(MemberDescription::clientId).sorted().limit(3).toList())
                    + (group.members().size() > 3 ? ", ..." : "");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return described; // a group of another type (share, streams): its state says enough
        }
    }
}
