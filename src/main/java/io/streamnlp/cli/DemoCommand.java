package io.streamnlp.cli;

import io.streamnlp.local.ApicurioRegistry;
import io.streamnlp.local.DemoRun;
import io.streamnlp.local.LocalStack;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** Runs everything locally on the bundled sample reviews and prints the results. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a local Kafka broker and Apicurio Registry, enrich the bundled sample reviews, print a table "
                + "and the live page's address, stop (or keep running).")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--rows", defaultValue = "25", description = "Table rows to print (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--timeout", defaultValue = "PT90S", description = "Give up waiting for results after this (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--keep-running", description = "Leave the broker, registry, pipeline and live page running until Ctrl-C; print their addresses.")
    boolean keepRunning;

    @Option(names = "--loop", description = "Keep feeding the sample reviews (under new ids) so the live page moves; implies --keep-running.")
    boolean loop;

    @Option(names = "--loop-rate", defaultValue = "5", paramLabel = "PER_SECOND",
            description = "Reviews per second that --loop feeds (default ${DEFAULT-VALUE}).")
    double loopRate;

    @Override
    public Integer call() throws Exception {
        if (loop && !(loopRate > 0)) {
            throw new IllegalArgumentException("--loop-rate must be positive");
        }
        DemoRun.Options demo = new DemoRun.Options(rows, timeout, keepRunning || loop, loop ? loopRate : 0);
        System.out.println("Starting a local Kafka broker and Apicurio Registry...");
        try (LocalStack stack = LocalStack.start(ApicurioRegistry.defaultHome())) {
            new DemoRun(System.out, demo).run(stack, options.overrides(), DemoCommand::awaitSignal);
        }
        System.out.println("Demo finished; everything stopped.");
        return 0;
    }

    /**
     * Blocks until SIGINT (Ctrl-C) or SIGTERM. The signals are handled here instead of in a shutdown
     * hook, so everything closes in order on the main thread and the exit code is 0.
     */
    private static void awaitSignal() {
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
