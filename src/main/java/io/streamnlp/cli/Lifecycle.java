package io.streamnlp.cli;

import io.streamnlp.app.StartupFailedException;
import io.streamnlp.app.StreamNlpApplication;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;

/** Starts an application and waits for a stop signal or for the application to give up; the exit code. */
final class Lifecycle {

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
                return RunCommand.EXIT_GAVE_UP;
            }
            return 0;
        } catch (StartupFailedException e) {
            log.error("Cannot start: {}", e.getMessage());
            return RunCommand.EXIT_START_FAILED;
        }
    }
}
