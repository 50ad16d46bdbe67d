package io.streamnlp.cli;

import io.streamnlp.app.StartupFailedException;
import io.streamnlp.app.StreamNlpApplication;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;

/** Starts an application and waits for a stop signal or for the application to give up; the exit code. */
final class Lifecycle {

    /** How long /health/live says 503 before a process that gave up closes and exits. */
    static final long LIVE_DOWN_BEFORE_EXIT_MS = 1000;

    private Lifecycle() {}

    static int runUntilStopped(Supplier<StreamNlpApplication> create, CountDownLatch stop, Logger log)
            throws InterruptedException {
        try (StreamNlpApplication app = create.get()) {
            app.start();
            app.failure().thenRun(stop::countDown); // giving up ends the wait like a signal
            stop.await();
            String failure = app.failure().getNow(null);
            if (failure != null) {
                log.error("Stopped after a failure: {}", failure);
                // /health/live already answers 503 (the failure is set); keep answering for a moment
                // before closing, so a probe sees the instance go down before the process does.
                Thread.sleep(LIVE_DOWN_BEFORE_EXIT_MS);
                return RunCommand.EXIT_GAVE_UP;
            }
            return 0;
        } catch (StartupFailedException e) {
            log.error("Cannot start: {}", e.getMessage());
            return RunCommand.EXIT_START_FAILED;
        }
    }
}
