package io.streamnlp.cli;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.StreamNlpConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

/**
 * Runs the pipeline against a configured cluster until SIGTERM or Ctrl-C, then shuts down cleanly:
 * Kafka Streams commits, state stores close, texts still waiting in a batch stay in the changelogged
 * pending store for the next start; the exit code is 0. A start that cannot work (a missing topic,
 * rejected registry credentials) exits {@value #EXIT_START_FAILED} at once with one ERROR line; an
 * instance that gives up while running (see {@code max.thread.replacements}) exits
 * {@value #EXIT_GAVE_UP}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the enrichment pipeline on a Kafka cluster and Schema Registry until stopped.")
final class RunCommand implements Callable<Integer> {

    static final int EXIT_START_FAILED = 2;
    static final int EXIT_GAVE_UP = 3;
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws InterruptedException {
        StreamNlpConfig config = options.load(Map.of());
        CountDownLatch stop = new CountDownLatch(1);
        // Handle the signals ourselves instead of in a shutdown hook: the JVM would then exit with
        // 143, and a hook races the rest of the shutdown while Kafka Streams closes.
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        return Lifecycle.runUntilStopped(() -> new StreamNlpApplication(config), stop, LOG);
    }
}
