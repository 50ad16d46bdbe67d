package io.streamnlp.cli;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.StreamNlpConfig;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the pipeline against a configured cluster until SIGTERM / Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the enrichment pipeline on a Kafka cluster and Schema Registry until stopped.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws InterruptedException {
        StreamNlpConfig config = options.load(Map.of());
        CountDownLatch stopped = new CountDownLatch(1);
        StreamNlpApplication app = new StreamNlpApplication(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "streamnlp-shutdown"));
        app.start();
        stopped.await();
        return 0;
    }
}
