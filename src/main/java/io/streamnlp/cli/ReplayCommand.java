package io.streamnlp.cli;

import io.streamnlp.app.StartupFailedException;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.replay.ReplayRunner;
import io.streamnlp.replay.ReplaySummary;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * Re-enriches a bounded stretch of existing topics, with progress, and stops at its end. Like
 * {@code run}, it handles SIGTERM and Ctrl-C itself: Kafka Streams closes and commits what is done,
 * the command says the replay was interrupted and that the same command resumes it, and exits 0; so
 * does a host that hands its finished part over to another host of the same replay. A start that
 * cannot work (an {@code --id} of a live application among them) exits {@value RunCommand#EXIT_START_FAILED} with one ERROR line; a replay
 * whose instance gives up (see {@code max.thread.replacements}) exits {@value RunCommand#EXIT_GAVE_UP}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-enrich a bounded stretch of existing topics as its own Kafka Streams application, then stop.",
                "Run the same command again to resume an interrupted replay (exactly-once: nothing twice); once a "
                        + "replay has finished, the same command does nothing unless the sources have grown "
                        + "(then it is a new replay)."})
final class ReplayCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayCommand.class);

    @Mixin
    ConfigOptions options;

    @Option(names = "--from", required = true, paramLabel = "TOPIC[:FORMAT],...",
            description = "Source topics, each with its format (avro, json, text) as in input.topics.")
    String sources;

    @Option(names = "--start", defaultValue = "earliest", paramLabel = "BOUND",
            description = "earliest (default), partition:offset pairs (0:1200,1:1180), an ISO date or instant, or epoch ms.")
    String start;

    @Option(names = "--end", defaultValue = "latest", paramLabel = "BOUND",
            description = "latest (default: the end when the replay is first planned), partition:offset pairs "
                    + "(exclusive), an ISO date or instant (exclusive), or epoch ms.")
    String end;

    @Option(names = "--output-prefix", paramLabel = "PREFIX",
            description = "Write to <PREFIX>.embeddings/.sentiment/.entities/.dlq (default: the live output.topic.prefix).")
    String outputPrefix;

    @Option(names = "--id", paramLabel = "APPLICATION_ID",
            description = "Application id of the replay (default: derived from the resolved plan and printed).")
    String id;

    @Option(names = "--max-rate", defaultValue = "0", paramLabel = "RECORDS_PER_SECOND",
            description = "Cap the replay's rate so it cannot starve a live pipeline (0 = no cap).")
    double maxRate;

    @Option(names = "--keep-state",
            description = "Keep the replay's internal topics (<id>-by-text, changelogs) and local state once it has "
                    + "finished (default: deleted).")
    boolean keepState;

    @Override
    public Integer call() throws Exception {
        StreamNlpConfig base = options.load(Map.of());
        CountDownLatch stop = new CountDownLatch(1);
        // As in RunCommand: our own handlers, no shutdown hook (the JVM would exit 143, and a hook races
        // the rest of the shutdown while Kafka Streams closes).
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        ReplayRunner.Request request = new ReplayRunner.Request(sources, start, end, outputPrefix, id, maxRate, keepState);
        try {
            ReplayRunner.Planned replay = ReplayRunner.prepare(request, base);
            if (replay.status() != ReplayRunner.Status.FINISHED) {
                System.out.printf(Locale.ROOT, "Replay id: %s (%s: %,d records in %d partition(s); run the same command "
                        + "to resume it if interrupted)%n", replay.id(),
                        replay.status() == ReplayRunner.Status.NEW ? "new plan" : "resuming its plan",
                        replay.plan().total(), replay.plan().ranges().size());
            }
            ReplaySummary summary = replay.run(System.console() != null ? System.out : null, stop);
            System.out.println(summary);
            if (summary.outcome() == ReplaySummary.Outcome.GAVE_UP) {
                LOG.error("Stopped after a failure: {}", summary.failure());
                return RunCommand.EXIT_GAVE_UP;
            }
            return 0;
        } catch (StartupFailedException e) {
            LOG.error("Cannot start: {}", e.getMessage());
            return RunCommand.EXIT_START_FAILED;
        }
    }
}
