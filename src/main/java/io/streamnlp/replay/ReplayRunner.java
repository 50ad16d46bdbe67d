package io.streamnlp.replay;

import io.streamnlp.app.StartupFailedException;
import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.bytext.CommittedRecords;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.ingest.InputTopic;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.replay.ReplaySummary.Outcome;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the enrichment over a bounded stretch of existing topics, as its own Kafka Streams
 * application, and stops when every partition has passed its end.
 *
 * <ul>
 *   <li>Its application id ({@code streamnlp-replay-<hash of the resolved plan>}, or the one given) is
 *       its own consumer group, state and internal topics: the live application's offsets and
 *       state are never touched.
 *   <li>The plan (offset range per partition) is resolved on the first run of a request and kept
 *       under {@code state.dir/replays/} ({@link ReplayStore}), with an index from the request as
 *       typed to its current plan: the same command resumes an unfinished plan, whatever arrived
 *       since, so "latest" means latest at the start. A finished plan is never run again: the same
 *       command then resolves the bounds anew, and either finds the same plan ("already finished",
 *       nothing started) or, the end having moved on, plans a new replay with a new id.
 *   <li>The start becomes the group's committed offsets before Kafka Streams starts (only when the
 *       group has none: a resumed replay goes on from its own commits).
 *   <li>Exactly-once as the live pipeline: outputs and consumed offsets commit together, so a replay
 *       killed midway and run again emits nothing twice. A stop signal closes Kafka Streams, which
 *       commits what is done ({@link Outcome#INTERRUPTED}).
 *   <li>Its id is never a live application's ({@link ReplayOwnership}), and once finished it deletes
 *       only the internal topics ({@code <id>-by-text}, the changelogs) and local state that it
 *       created, unless {@link Request#keepState()} ({@link ReplayCleanup}).
 *   <li>{@code inference.batch.invariant} is on unless set: a replay's vectors must not depend on
 *       how its records happened to be batched.
 * </ul>
 */
public final class ReplayRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayRunner.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /** The task counters of the summary, in its order. */
    private static final List<String> COUNTERS = List.of("records-in-total", "records-out-total", "dead-lettered-total",
            "cache-hits-total", "replay-skipped-total");

    /**
     * @param sources source topics, each {@code topic} or {@code topic:format}, comma-separated
     * @param outputPrefix prefix of the output topics, or null for the live ones ({@code output.topic.prefix})
     * @param id application id to use, or null to derive it from the resolved plan
     * @param maxRecordsPerSecond throttle, or 0 for none
     * @param keepState keep the internal topics and local state after the replay finished
     */
    public record Request(String sources, String start, String end, String outputPrefix, String id,
            double maxRecordsPerSecond, boolean keepState) {

        /** A request that deletes its internal topics and local state once finished. */
        public Request(String sources, String start, String end, String outputPrefix, String id,
                double maxRecordsPerSecond) {
            this(sources, start, end, outputPrefix, id, maxRecordsPerSecond, false);
        }
    }

    /** Where a prepared replay stands. */
    public enum Status {
        /** Planned just now: nothing of it has run yet. */
        NEW,
        /** An unfinished plan of the same request (or the same id): it goes on from its commits. */
        RESUMING,
        /** The plan finished before: running it does nothing. */
        FINISHED
    }

    /** A replay with its plan fixed and saved, ready to run. */
    public static final class Planned {
        private final Request request;
        private final StreamNlpConfig config;
        private final ReplayStore store;
        private final ReplayStore.Stored stored;
        private final Status status;

        private Planned(Request request, StreamNlpConfig base, ReplayStore store, ReplayStore.Stored stored, Status status) {
            this.request = request;
            this.config = configFor(request, base, stored.id());
            this.store = store;
            this.stored = stored;
            this.status = status;
        }

        /** The application id: consumer group, state directory, prefix of the internal topics. */
        public String id() {
            return stored.id();
        }

        public Status status() {
            return status;
        }

        public ReplayPlan plan() {
            return stored.plan();
        }

        /** The plan file, under {@code state.dir/replays/}. */
        public Path planFile() {
            return store.planFile(id());
        }

        /**
         * Runs the replay to its end, or until {@code stop} is counted down (SIGTERM, Ctrl-C), or
         * until the instance gives up; a finished plan returns at once.
         *
         * @param terminal where to draw the progress bar, or null to log progress lines
         * @throws StartupFailedException when the application cannot start (see {@link StreamNlpApplication})
         */
        public ReplaySummary run(PrintStream terminal, CountDownLatch stop) throws Exception {
            if (status == Status.FINISHED) {
                LOG.info("Replay {} already finished ({} records, plan {}): nothing to do", id(), stored.finishedRecords(),
                        planFile());
                return ReplaySummary.alreadyFinished(id(), stored.finishedRecords());
            }
            return execute(this, terminal, stop);
        }
    }

    private ReplayRunner() {}

    /**
     * The application id this request runs under if started now: the one given; else the id of its
     * unfinished plan (a resume); else the id of the plan its bounds resolve to now. Writes nothing.
     */
    public static String idOf(Request request, StreamNlpConfig base) throws Exception {
        if (request.id() != null) {
            return request.id();
        }
        ReplayStore.Identity identity = identityOf(request, base);
        Optional<ReplayStore.Stored> current = storeOf(base).indexed(identity);
        if (current.isPresent() && !current.get().finished()) {
            return current.get().id();
        }
        try (Admin admin = Admin.create(base.adminProperties())) {
            return resolve(admin, request, base).derivedId(identity.sources(), identity.model(), identity.prefix());
        }
    }

    /**
     * Finds the request's plan (to resume, or finished) or resolves and saves a new one.
     *
     * @throws StartupFailedException when a source topic does not exist, Kafka does not answer, or the
     *     given {@code --id} belongs to a plan of another request or to a live application
     *     ({@link ReplayOwnership})
     */
    public static Planned prepare(Request request, StreamNlpConfig base) throws Exception {
        ReplayStore store = storeOf(base);
        ReplayStore.Identity identity = identityOf(request, base);
        if (request.id() != null) {
            ReplayOwnership.refuseApplicationId(request.id(), base);
            Optional<ReplayStore.Stored> stored = store.load(request.id());
            if (stored.isPresent()) {
                ReplayStore.Identity planned = stored.get().identity();
                if (planned != null && !planned.equals(identity)) {
                    throw new StartupFailedException("Replay id " + request.id() + " has the plan of another request ("
                            + planned + "; this one: " + identity + "): choose another --id, or leave --id out", null);
                }
                return new Planned(request, base, store, stored.get(), stored.get().finished() ? Status.FINISHED : Status.RESUMING);
            }
            ReplayPlan plan;
            try (Admin admin = Admin.create(base.adminProperties())) {
                ReplayOwnership.refuseRunningGroup(admin, request.id(), base); // a first run: nothing of it is in the group
                plan = resolve(admin, request, base);
            }
            store.save(request.id(), plan, identity);
            return new Planned(request, base, store, store.load(request.id()).orElseThrow(), Status.NEW);
        }
        Optional<ReplayStore.Stored> current = store.indexed(identity);
        if (current.isPresent() && !current.get().finished()) {
            return new Planned(request, base, store, current.get(), Status.RESUMING);
        }
        ReplayPlan plan = resolveNow(request, base);
        String id = plan.derivedId(identity.sources(), identity.model(), identity.prefix());
        Optional<ReplayStore.Stored> same = store.load(id);
        if (same.isEmpty()) {
            store.save(id, plan, identity); // the plan first: an index entry never points at nothing
        }
        if (current.isEmpty() || !current.get().id().equals(id)) {
            store.index(identity, id);
        }
        ReplayStore.Stored stored = same.orElseGet(() -> store.load(id).orElseThrow());
        return new Planned(request, base, store, stored,
                same.isEmpty() ? Status.NEW : stored.finished() ? Status.FINISHED : Status.RESUMING);
    }

    /** Prepares and runs a request to its end (no stop signal); see {@link Planned#run}. */
    public static ReplaySummary run(Request request, StreamNlpConfig base, PrintStream terminal) throws Exception {
        return prepare(request, base).run(terminal, new CountDownLatch(1));
    }

    private static ReplayStore storeOf(StreamNlpConfig base) {
        return new ReplayStore(base.stateDir().resolve("replays"));
    }

    private static ReplayStore.Identity identityOf(Request request, StreamNlpConfig base) {
        return new ReplayStore.Identity(request.sources(), request.start(), request.end(), base.modelName(),
                prefixOf(request, base));
    }

    private static String prefixOf(Request request, StreamNlpConfig base) {
        return request.outputPrefix() != null ? request.outputPrefix() : base.outputTopicPrefix();
    }

    /** The configuration the replay runs with: the base, with its own id, sources and outputs. */
    public static StreamNlpConfig configFor(Request request, StreamNlpConfig base, String id) {
        Map<String, Object> settings = new HashMap<>(base.originals());
        settings.put(StreamNlpConfig.APPLICATION_ID, id);
        settings.put(StreamNlpConfig.INPUT_TOPICS, request.sources());
        settings.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, prefixOf(request, base));
        settings.putIfAbsent(StreamNlpConfig.INFERENCE_BATCH_INVARIANT, "true");
        // The by-text hop keeps the source's timestamps, old ones in a replay: under a time retention the
        // broker could delete events there before the replay reads them. The replay's by-text topic is
        // purged as it is consumed and deleted once the replay has finished, so it needs no safety bound.
        settings.putIfAbsent(StreamNlpConfig.BY_TEXT_RETENTION_MS, "-1");
        // A replay is a batch job beside the live instance, often on the same host: it reports through
        // its progress line and summary, and must not take the live instance's metrics port.
        settings.put(StreamNlpConfig.METRICS_PORT, "-1");
        if (request.maxRecordsPerSecond() > 0) {
            // The throttle sleeps on the stream thread: keep one poll to about a second of throttled
            // work, so transactions still commit every commit.interval.ms or so and never approach
            // their timeout (10 s under exactly-once).
            int perPoll = (int) Math.max(1, Math.min(500, Math.round(request.maxRecordsPerSecond())));
            settings.putIfAbsent("kafka.consumer.max.poll.records", Integer.toString(perPoll));
        }
        return new StreamNlpConfig(settings);
    }

    /** Resolves the request's bounds against the topics as they are now; a missing source is a failed start. */
    private static ReplayPlan resolveNow(Request request, StreamNlpConfig base) throws Exception {
        try (Admin admin = Admin.create(base.adminProperties())) {
            return resolve(admin, request, base);
        }
    }

    private static ReplayPlan resolve(Admin admin, Request request, StreamNlpConfig base) throws Exception {
        List<String> topics = configFor(request, base, base.applicationId()).inputTopics().stream()
                .map(InputTopic::name).toList();
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new StartupFailedException("Kafka at " + base.bootstrapServers() + " did not answer within "
                    + ADMIN_TIMEOUT.toSeconds() + " s: check bootstrap.servers and the kafka.* security settings", e);
        } catch (ExecutionException e) {
            throw new StartupFailedException("Cannot list topics on " + base.bootstrapServers() + ": "
                    + e.getCause().getMessage() + " (check the kafka.* security settings and ACLs)", e.getCause());
        }
        List<String> missing = topics.stream().filter(t -> !existing.contains(t)).toList();
        if (!missing.isEmpty()) {
            throw new StartupFailedException("Source topic(s) " + String.join(", ", missing) + " do not exist on "
                    + base.bootstrapServers() + ": fix --from", null);
        }
        return ReplayPlan.resolve(admin, topics, ReplayBound.parse(request.start()), ReplayBound.parse(request.end()));
    }

    private static ReplaySummary execute(Planned replay, PrintStream terminal, CountDownLatch stop) throws Exception {
        StreamNlpConfig config = replay.config;
        String id = replay.id();
        ReplayPlan plan = replay.plan();
        LOG.info("{} replay {}: {} records in {} partition(s) (plan {})", replay.status() == Status.NEW ? "Planned" : "Resuming",
                id, plan.total(), plan.ranges().size(), replay.planFile());
        try (Admin admin = Admin.create(config.adminProperties())) {
            if (committed(admin, id).keySet().stream().noneMatch(plan.ranges()::containsKey)) {
                Map<TopicPartition, OffsetAndMetadata> start = new LinkedHashMap<>();
                plan.startOffsets().forEach((p, offset) -> start.put(p, new OffsetAndMetadata(offset)));
                admin.alterConsumerGroupOffsets(id, start).all().get(30, TimeUnit.SECONDS);
            }
            int partitions = plan.ranges().keySet().stream().mapToInt(TopicPartition::partition).max().orElse(0) + 1;
            createMissing(admin, config.outputTopics().all(), partitions);

            Throttle throttle = replay.request.maxRecordsPerSecond() > 0
                    ? new Throttle(replay.request.maxRecordsPerSecond()) : null;
            ReplayProgress progress = new ReplayProgress(plan.total(), terminal);
            long started = System.nanoTime();
            Outcome outcome = null;
            String failure = null;
            long[] counts = new long[COUNTERS.size()];
            KafkaStreams streams;
            ReplayStore.Ownership owned = ReplayCleanup.found(admin, replay.store, replay.stored,
                    replay.request.id() == null, config.stateDir());
            try (CommittedRecords readable = new CommittedRecords(config.adminProperties());
                    StreamNlpApplication app = new StreamNlpApplication(config, () -> new ReplayGate(plan, throttle))) {
                streams = app.streams();
                owned = ReplayCleanup.created(replay.store, id, owned, app.internalTopics());
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
                    Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, id);
                    Map<TopicPartition, Long> byTextEnds = byTextEnds(admin, config);
                    long backlog = backlog(byTextEnds, committed);
                    boolean read = state == KafkaStreams.State.RUNNING
                            && allRead(plan.ranges(), committed, readable)
                            && allRead(asRanges(byTextEnds), committed, readable)
                            && ReplayGroup.nothingPending(app);
                    // Read by the group and nothing pending here: finished only if this host provably holds all of it.
                    ReplayGroup.Standing standing = read ? ReplayGroup.standing(admin, id, app, inputs(plan, byTextEnds)) : null;
                    boolean finished = standing == ReplayGroup.Standing.ALONE;
                    // The by-text log also holds aborted writes and markers, hence the floor.
                    progress.update(finished ? plan.total() : Math.max(0, done(plan, committed) - backlog), finished);
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
            long done = outcome == Outcome.FINISHED ? plan.total() : done(plan, committed(admin, id));
            ReplaySummary summary = new ReplaySummary(id, outcome, counts[0], counts[1], counts[2], counts[3], counts[4],
                    done, plan.total(), elapsed, failure);
            if (outcome == Outcome.FINISHED) {
                replay.store.markFinished(id, plan.total());
                if (replay.request.keepState()) {
                    LOG.info("Replay {} finished; its internal topics and local state are kept (--keep-state)", id);
                } else {
                    ReplayCleanup.delete(admin, id, streams, owned, config.stateDir());
                }
            }
            return summary;
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) throws Exception {
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
    private static boolean allRead(Map<TopicPartition, long[]> ranges, Map<TopicPartition, OffsetAndMetadata> committed,
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

    private static Map<TopicPartition, long[]> asRanges(Map<TopicPartition, Long> ends) {
        Map<TopicPartition, long[]> ranges = new HashMap<>();
        ends.forEach((partition, end) -> ranges.put(partition, new long[] {0, end}));
        return ranges;
    }

    /** Source records the replay has read, per the committed offsets, within the plan's ranges. */
    private static long done(ReplayPlan plan, Map<TopicPartition, OffsetAndMetadata> committed) {
        long done = 0;
        for (var entry : plan.ranges().entrySet()) {
            OffsetAndMetadata offset = committed.get(entry.getKey());
            long[] range = entry.getValue();
            done += offset == null ? 0 : Math.max(0, Math.min(offset.offset(), range[1]) - range[0]);
        }
        return done;
    }

    /** Offsets between the group's position and the end of the by-text topic: an upper bound of its backlog. */
    private static long backlog(Map<TopicPartition, Long> byTextEnds, Map<TopicPartition, OffsetAndMetadata> committed) {
        long backlog = 0;
        for (var entry : byTextEnds.entrySet()) {
            OffsetAndMetadata consumed = committed.get(entry.getKey());
            backlog += Math.max(0, entry.getValue() - (consumed == null ? 0 : consumed.offset()));
        }
        return backlog;
    }

    /** The end offset of each partition of the by-text topic (the cache's routing hop); none when the cache is off. */
    private static Map<TopicPartition, Long> byTextEnds(Admin admin, StreamNlpConfig config) throws Exception {
        if (!config.cacheEnabled()) {
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
    private static Set<TopicPartition> inputs(ReplayPlan plan, Map<TopicPartition, Long> byTextEnds) {
        Set<TopicPartition> inputs = new java.util.HashSet<>(plan.ranges().keySet());
        inputs.addAll(byTextEnds.keySet());
        return inputs;
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
