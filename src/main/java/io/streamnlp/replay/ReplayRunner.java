package io.streamnlp.replay;

import io.streamnlp.app.StartupFailedException;
import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.replay.ReplaySummary.Outcome;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
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

        Planned(Request request, StreamNlpConfig base, ReplayStore store, ReplayStore.Stored stored, Status status) {
            this.request = request;
            this.config = ReplayPlanning.configFor(request, base, stored.id());
            this.store = store;
            this.stored = stored;
            this.status = status;
        }

        /** The application id: consumer group, state directory, prefix of the internal topics. */
        public String id() {
            return stored.id();
        }

        Request request() {
            return request;
        }

        StreamNlpConfig config() {
            return config;
        }

        ReplayStore store() {
            return store;
        }

        ReplayStore.Stored stored() {
            return stored;
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
            return ReplayExecution.execute(this, terminal, stop);
        }
    }

    private ReplayRunner() {}

    /**
     * The application id this request runs under if started now: the one given; else the id of its
     * unfinished plan (a resume); else the id of the plan its bounds resolve to now. Writes nothing.
     */
    public static String idOf(Request request, StreamNlpConfig base) throws Exception {
        return ReplayPlanning.idOf(request, base);
    }

    /**
     * Finds the request's plan (to resume, or finished) or resolves and saves a new one.
     *
     * @throws StartupFailedException when a source topic does not exist, Kafka does not answer, or the
     *     given {@code --id} belongs to a plan of another request or to a live application
     *     ({@link ReplayOwnership})
     */
    public static Planned prepare(Request request, StreamNlpConfig base) throws Exception {
        return ReplayPlanning.prepare(request, base);
    }

    /** Prepares and runs a request to its end (no stop signal); see {@link Planned#run}. */
    public static ReplaySummary run(Request request, StreamNlpConfig base, PrintStream terminal) throws Exception {
        return prepare(request, base).run(terminal, new CountDownLatch(1));
    }

    /** The configuration the replay runs with: the base, with its own id, sources and outputs. */
    public static StreamNlpConfig configFor(Request request, StreamNlpConfig base, String id) {
        return ReplayPlanning.configFor(request, base, id);
    }
}
