package io.streamnlp.ops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the per-partition accounting periodically (only when it changed), and once at close. */
public final class AccountingLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AccountingLog.class);

    private final KafkaStreams streams;
    private final DeadLetterTally handlerDeadLetters;
    private final ScheduledExecutorService timer;
    private Map<String, Accounting> last = Map.of();

    public AccountingLog(KafkaStreams streams, DeadLetterTally handlerDeadLetters, Duration interval) {
        this.streams = streams;
        this.handlerDeadLetters = handlerDeadLetters;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "streamnlp-accounting");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::logIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void logIfChanged() {
        Map<String, Accounting> now = Accounting.from(streams.metrics(), handlerDeadLetters);
        if (!now.equals(last)) {
            last = now;
            now.values().forEach(a -> LOG.info("Accounting {}", a));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        logIfChanged();
    }
}
