package io.streamnlp.cli;

import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.replay.ReplayRunner;
import io.streamnlp.replay.ReplaySummary;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Re-enriches a bounded stretch of existing topics, with progress, and stops at its end. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-enrich a bounded stretch of existing topics as its own Kafka Streams application, then stop.",
                "Run the same command again to resume an interrupted replay (exactly-once: nothing twice)."})
final class ReplayCommand implements Callable<Integer> {

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
            description = "Application id of the replay (default: derived from the request and printed).")
    String id;

    @Option(names = "--max-rate", defaultValue = "0", paramLabel = "RECORDS_PER_SECOND",
            description = "Cap the replay's rate so it cannot starve a live pipeline (0 = no cap).")
    double maxRate;

    @Override
    public Integer call() throws Exception {
        StreamNlpConfig base = options.load(Map.of());
        ReplayRunner.Request request = new ReplayRunner.Request(sources, start, end, outputPrefix, id, maxRate);
        System.out.println("Replay id: " + ReplayRunner.idOf(request, base) + " (run the same command to resume)");
        ReplaySummary summary = ReplayRunner.run(request, base, System.console() != null ? System.out : null);
        System.out.println(summary);
        return 0;
    }
}
