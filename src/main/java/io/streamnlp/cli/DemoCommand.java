package io.streamnlp.cli;

import io.streamnlp.local.ApicurioRegistry;
import io.streamnlp.local.DemoRun;
import io.streamnlp.local.LocalStack;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs everything locally on the bundled sample reviews and prints the results. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a local Kafka broker and Apicurio Registry, enrich the bundled sample reviews, print a table, stop.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--rows", defaultValue = "25", description = "Table rows to print (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--timeout", defaultValue = "PT90S", description = "Give up waiting for results after this (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--keep-running", description = "Leave the broker, registry and pipeline running; print their addresses.")
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        System.out.println("Starting a local Kafka broker and Apicurio Registry...");
        try (LocalStack stack = LocalStack.start(ApicurioRegistry.defaultHome())) {
            Runnable whileRunning = keepRunning ? () -> waitForCtrlC(stack) : () -> { };
            new DemoRun(System.out, rows, timeout).run(stack, options.overrides(), whileRunning);
        } finally {
            closed.countDown();
        }
        System.out.println("Demo finished; everything stopped.");
        return 0;
    }

    private final CountDownLatch closed = new CountDownLatch(1);

    /** Blocks until Ctrl-C / SIGTERM; the hook then waits for the stack to close cleanly. */
    private void waitForCtrlC(LocalStack stack) {
        System.out.printf("%nStill running. Kafka bootstrap: %s   Schema Registry: %s%n"
                + "Produce to %s (Avro TextEvent). Ctrl-C to stop.%n",
                stack.bootstrapServers(), stack.registryUrl(), DemoRun.INPUT_TOPIC);
        CountDownLatch interrupted = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            interrupted.countDown();
            try {
                closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            interrupted.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
