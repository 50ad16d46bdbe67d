package io.streamnlp.replay;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.bytext.CommittedRecords;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.replay.ReplaySummary.Outcome;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second phase of a replay: runs its Kafka Streams application from the plan's start offsets,
 * watches the group's commits until every partition has passed its end (or a stop, or a failure),
 * then reports and cleans up ({@link ReplayCleanup}).
 */
final class ReplayExecution {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayExecution.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** The task counters of the summary, in its order. */
    private static final List<String> COUNTERS = List.of("records-in-total", "records-out-total", "dead-lettered-total",
            "cache-hits-total", "replay-skipped-total");

    private ReplayExecution() {
    }

    static ReplaySummary execute(ReplayRunner.Planned replay, PrintStream terminal, CountDownLatch stop) throws Exception {
        StreamNlpConfig config = replay.config();
        String id = replay.id();
        ReplayPlan plan = replay.plan();
        LOG.info("{} replay {}: {} records in {} partition(s) (plan {})",
                replay.status() == ReplayRunner.Status.NEW ? "Planned" : "Resuming", id, plan.total(), plan.ranges().size(), replay.planFile());
        try (Admin admin = Admin.create(config.adminProperties())) {
            if (ReplayOffsets.committed(admin, id).keySet().stream().noneMatch(plan.ranges()::containsKey)) {
                Map<TopicPartition, OffsetAndMetadata> start = new LinkedHashMap<>();
                plan.startOffsets().forEach((p, offset) -> start.put(p, new OffsetAndMetadata(offset)));
                admin.alterConsumerGroupOffsets(id, start).all().get(30, TimeUnit.SECONDS);
            }
            int partitions = plan.ranges().keySet().stream().mapToInt(TopicPartition::partition).max().orElse(0) + 1;
            createMissing(admin, config.outputTopics().all(), partitions);

            Throttle throttle = replay.request().maxRecordsPerSecond() > 0
                    ? new Throttle(replay.request().maxRecordsPerSecond()) : null;
            ReplayProgress progress = new ReplayProgress(plan.total(), terminal);
            long started = System.nanoTime();
            Outcome outcome = null;
            String failure = null;
            long[] counts = new long[COUNTERS.size()];
            KafkaStreams streams;
            ReplayStore.Ownership owned = ReplayCleanup.found(admin, replay.store(), replay.stored(),
                    replay.request().id() == null, config.stateDir());
            try (CommittedRecords readable = new CommittedRecords(config.adminProperties());
                    StreamNlpApplication app = new StreamNlpApplication(config, () -> new ReplayGate(plan, throttle))) {
                streams = app.streams();
                owned = ReplayCleanup.created(replay.store(), id, owned, app.internalTopics());
                if (stop.getCount() == 0) {
                    outcome = Outcome.INTERRUPTED; // stopped while the model loaded: nothing started
                } else {
                    app.start();
                }
                while (outcome == null) {
                    failure = app.failure().getNow(null);
                    KafkaStreams.State state = streams.state();
                    if (failure == null && !state.isRunningOrRebalancing() && state != KafkaStreams.State.CREATED) {
                        failure = "Kafka Streams is " + state;
                    }
                    if (failure != null) {
                        outcome = Outcome.GAVE_UP;
                        break;
                    }
                    Map<TopicPartition, OffsetAndMetadata> committed = ReplayOffsets.committed(admin, id);
                    Map<TopicPartition, Long> byTextEnds = ReplayOffsets.byTextEnds(admin, app.config());
                    long backlog = ReplayOffsets.backlog(byTextEnds, committed);
                    boolean read = state == KafkaStreams.State.RUNNING
                            && ReplayOffsets.allRead(plan.ranges(), committed, readable)
                            && ReplayOffsets.allRead(ReplayOffsets.asRanges(byTextEnds), committed, readable)
                            && ReplayGroup.nothingPending(app);
                    // Read by the group and nothing pending here: finished only if this host provably holds all of it.
                    ReplayGroup.Standing standing =
                            read ? ReplayGroup.standing(admin, id, app, ReplayOffsets.inputs(plan, byTextEnds)) : null;
                    boolean finished = standing == ReplayGroup.Standing.ALONE;
                    // The by-text log also holds aborted writes and markers, hence the floor.
                    progress.update(
                            finished ? plan.total() : Math.max(0, ReplayOffsets.done(plan, committed) - backlog), finished);
                    if (finished) {
                        outcome = Outcome.FINISHED;
                    } else if (standing == ReplayGroup.Standing.HAND_OFF) {
                        outcome = Outcome.HANDED_OFF;
                    } else if (stop.await(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                        outcome = Outcome.INTERRUPTED;
                    }
                }
                if (outcome == Outcome.HANDED_OFF) {
                    progress.stopped();
                    LOG.info("Replay {}: everything is read and nothing waits here, but other members are in its group: "
                            + "leaving it to them, which finish it and delete its internal topics", id);
                } else if (outcome != Outcome.FINISHED) {
                    progress.stopped();
                    LOG.info(outcome == Outcome.INTERRUPTED
                            ? "Replay {} interrupted: closing Kafka Streams, which commits what is done"
                            : "Replay {} gave up: closing Kafka Streams; it resumes from its last commit", id);
                }
                for (int i = 0; i < counts.length; i++) { // read before the close unregisters them
                    counts[i] = (long) TaskMetrics.sum(streams.metrics(), COUNTERS.get(i));
                }
                if (outcome == Outcome.HANDED_OFF) {
                    ReplayGroup.leave(streams); // at once, not after a session timeout: the member that stays goes on
                }
            } // closes Kafka Streams: the last transaction commits
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            long done = outcome == Outcome.FINISHED ? plan.total() : ReplayOffsets.done(plan, ReplayOffsets.committed(admin, id));
            ReplaySummary summary = new ReplaySummary(id, outcome, counts[0], counts[1], counts[2], counts[3], counts[4],
                    done, plan.total(), elapsed, failure);
            if (outcome == Outcome.FINISHED) {
                replay.store().markFinished(id, plan.total());
                if (replay.request().keepState()) {
                    LOG.info("Replay {} finished; its internal topics and local state are kept (--keep-state)", id);
                } else {
                    ReplayCleanup.delete(admin, id, streams, owned, config.stateDir());
                }
            }
            return summary;
        }
    }

    /**
     * Creates the output topics the replay writes to and that do not exist yet. Outputs keep the
     * source's timestamps, so a replay of old events writes old timestamps: under a time retention
     * (the broker's default is 7 days) the broker would delete them at its next retention check. The
     * topics a replay creates therefore keep records until deleted ({@code retention.ms=-1}).
     */
    private static void createMissing(Admin admin, List<String> topics, int partitions) throws Exception {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                .map(t -> new NewTopic(t, Optional.of(partitions), Optional.empty()).configs(Map.of("retention.ms", "-1")))
                .toList();
        if (!missing.isEmpty()) {
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                LOG.info("Created output topics {} (retention.ms=-1: replayed records keep their old timestamps)",
                        missing.stream().map(NewTopic::name).toList());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }
}
