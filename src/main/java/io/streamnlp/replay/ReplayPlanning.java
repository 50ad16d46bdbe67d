package io.streamnlp.replay;

import io.streamnlp.app.StartupFailedException;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.ingest.InputTopic;
import io.streamnlp.replay.ReplayRunner.Planned;
import io.streamnlp.replay.ReplayRunner.Request;
import io.streamnlp.replay.ReplayRunner.Status;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * The first phase of a replay: from a request as typed to a saved plan ({@link ReplayStore}), found
 * again (a resume, or a finished plan) or resolved against the topics as they are now, and the
 * configuration the replay runs with.
 */
final class ReplayPlanning {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private ReplayPlanning() {
    }

    /**
     * The application id this request runs under if started now: the one given; else the id of its
     * unfinished plan (a resume); else the id of the plan its bounds resolve to now. Writes nothing.
     */
    static String idOf(Request request, StreamNlpConfig base) throws Exception {
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
    static Planned prepare(Request request, StreamNlpConfig base) throws Exception {
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
                return new Planned(request, base, store, stored.get(),
                        stored.get().finished() ? Status.FINISHED : Status.RESUMING);
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
    static StreamNlpConfig configFor(Request request, StreamNlpConfig base, String id) {
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
}
