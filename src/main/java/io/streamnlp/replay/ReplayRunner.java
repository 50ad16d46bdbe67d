package io.streamnlp.replay;

import io.streamnlp.bytext.CommittedRecords;
import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.schema.internal.PendingText;
import io.streamnlp.topology.TopologyNames;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the enrichment over a bounded stretch of existing topics, as its own Kafka Streams
 * application, and stops when every partition has passed its end.
 *
 * <ul>
 *   <li>Its application id ({@code streamnlp-replay-<hash of the request>}, or the one given) is
 *       its own consumer group, state and internal topics: the live application's offsets and
 *       state are never touched. Run the same request again and it resumes.
 *   <li>The start becomes the group's committed offsets before Kafka Streams starts (only when the
 *       group has none: a resumed replay goes on from its own commits). The end is fixed in a plan
 *       file under {@code state.dir/replays/} on first run, so "latest" means latest at the start.
 *   <li>Exactly-once as the live pipeline: outputs and consumed offsets commit together, so a replay
 *       killed midway and run again emits nothing twice.
 *   <li>{@code inference.batch.invariant} is on unless set: a replay's vectors must not depend on
 *       how its records happened to be batched.
 * </ul>
 */
public final class ReplayRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayRunner.class);
    private static final Duration POLL = Duration.ofMillis(500);

    /**
     * @param sources source topics, each {@code topic} or {@code topic:format}, comma-separated
     * @param outputPrefix prefix of the output topics, or null for the live ones ({@code output.topic.prefix})
     * @param id application id to use, or null to derive it from the request
     * @param maxRecordsPerSecond throttle, or 0 for none
     */
    public record Request(String sources, String start, String end, String outputPrefix, String id,
            double maxRecordsPerSecond) {}

    private ReplayRunner() {}

    /** The application id of a request: the same request always gets the same id, so it can resume. */
    public static String idOf(Request request, StreamNlpConfig base) {
        if (request.id() != null) {
            return request.id();
        }
        String identity = String.join("|", request.sources(), request.start(), request.end(),
                base.modelName(), prefixOf(request, base));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return "streamnlp-replay-" + HexFormat.of().formatHex(hash, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String prefixOf(Request request, StreamNlpConfig base) {
        return request.outputPrefix() != null ? request.outputPrefix() : base.outputTopicPrefix();
    }

    /** The configuration the replay runs with: the base, with its own id, sources and outputs. */
    public static StreamNlpConfig configFor(Request request, StreamNlpConfig base) {
        Map<String, Object> settings = new HashMap<>(base.originals());
        settings.put(StreamNlpConfig.APPLICATION_ID, idOf(request, base));
        settings.put(StreamNlpConfig.INPUT_TOPICS, request.sources());
        settings.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, prefixOf(request, base));
        settings.putIfAbsent(StreamNlpConfig.INFERENCE_BATCH_INVARIANT, "true");
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

    /**
     * Plans (or reloads the plan of) the replay, runs it to its end and returns the summary.
     *
     * @param terminal where to draw the progress bar, or null to log progress lines
     */
    public static ReplaySummary run(Request request, StreamNlpConfig base, PrintStream terminal) throws Exception {
        StreamNlpConfig config = configFor(request, base);
        String id = config.applicationId();
        List<String> topics = config.inputTopics().stream().map(t -> t.name()).toList();
        Path planFile = config.stateDir().resolve("replays").resolve(id + ".properties");
        try (Admin admin = Admin.create(config.adminProperties())) {
            ReplayPlan plan;
            if (Files.exists(planFile)) {
                plan = ReplayPlan.load(planFile);
                LOG.info("Resuming replay {} (plan {})", id, planFile);
            } else {
                plan = ReplayPlan.resolve(admin, topics, ReplayBound.parse(request.start()), ReplayBound.parse(request.end()));
                plan.save(planFile);
                LOG.info("Planned replay {}: {} records in {} partition(s) (plan {})", id, plan.total(),
                        plan.ranges().size(), planFile);
            }
            if (committed(admin, id).keySet().stream().noneMatch(plan.ranges()::containsKey)) {
                Map<TopicPartition, OffsetAndMetadata> start = new LinkedHashMap<>();
                plan.startOffsets().forEach((p, offset) -> start.put(p, new OffsetAndMetadata(offset)));
                admin.alterConsumerGroupOffsets(id, start).all().get(30, TimeUnit.SECONDS);
            }
            int partitions = plan.ranges().keySet().stream().mapToInt(TopicPartition::partition).max().orElse(0) + 1;
            createMissing(admin, config.outputTopics().all(), partitions);

            Throttle throttle = request.maxRecordsPerSecond() > 0 ? new Throttle(request.maxRecordsPerSecond()) : null;
            ReplayProgress progress = new ReplayProgress(plan.total(), terminal);
            long started = System.nanoTime();
            try (CommittedRecords readable = new CommittedRecords(config.adminProperties());
                    StreamNlpApplication app = new StreamNlpApplication(config, () -> new ReplayGate(plan, throttle))) {
                app.start();
                while (true) {
                    KafkaStreams.State state = app.streams().state();
                    if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                        throw new IllegalStateException("Replay " + id + " stopped: Kafka Streams is " + state);
                    }
                    Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, id);
                    Map<TopicPartition, Long> byTextEnds = byTextEnds(admin, config);
                    long backlog = backlog(byTextEnds, committed);
                    boolean finished = state == KafkaStreams.State.RUNNING
                            && allRead(plan.ranges(), committed, readable)
                            && allRead(asRanges(byTextEnds), committed, readable)
                            && nothingPending(app);
                    // The by-text log also holds aborted writes and markers, hence the floor.
                    progress.update(finished ? plan.total() : Math.max(0, done(plan, committed) - backlog), finished);
                    if (finished) {
                        break;
                    }
                    Thread.sleep(POLL.toMillis());
                }
                Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> metrics = app.streams().metrics();
                return new ReplaySummary(id,
                        (long) TaskMetrics.sum(metrics, "records-in-total"),
                        (long) TaskMetrics.sum(metrics, "records-out-total"),
                        (long) TaskMetrics.sum(metrics, "dead-lettered-total"),
                        (long) TaskMetrics.sum(metrics, "cache-hits-total"),
                        (long) TaskMetrics.sum(metrics, "replay-skipped-total"),
                        Duration.ofNanos(System.nanoTime() - started));
            }
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

    /** No text waits in a micro-batch (interactive query on the pending-batch stores). */
    private static boolean nothingPending(StreamNlpApplication app) {
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
