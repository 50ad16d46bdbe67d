package io.streamnlp.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamnlp.config.ThreadReplacementPolicy;
import io.streamnlp.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens to a stream thread that died. Errors that are a record's fault never get here
 * (they are dead-lettered); what does is the broker, the registry or the encoder failing. The thread
 * is replaced and resumes from the last commit, so nothing is skipped — but a failure that repeats
 * must not become a silent hot loop with a green health check. So replacements are counted (metric
 * {@code streamnlp_thread_replacements_total}), each waits a doubling backoff (readiness is down
 * meanwhile), and past {@code max.thread.replacements} within the window the instance gives up:
 * liveness goes down and {@link #failure()} completes, so the process exits non-zero. An error no
 * retry can cure (the registry rejecting our credentials, Kafka refusing them or a grant) gives up at once.
 */
final class ThreadSupervisor implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadSupervisor.class);

    private final ThreadReplacementPolicy policy;
    private final Counter replacements;
    private final LongSupplier clockMs;
    private final Deque<Long> recent = new ArrayDeque<>();
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private volatile boolean replacing;

    ThreadSupervisor(ThreadReplacementPolicy policy, MeterRegistry registry, LongSupplier clockMs) {
        this.policy = policy;
        this.clockMs = clockMs;
        this.replacements = Counter.builder("streamnlp.thread.replacements")
                .description("Stream threads replaced after a failure that was not a record's fault")
                .register(registry);
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable error) {
        String fatal = fatalReason(error);
        if (fatal != null) {
            // The reason says it all (url, status, the setting to fix); Kafka Streams logs the trace itself.
            return giveUp(fatal, null);
        }
        int n;
        synchronized (recent) {
            long now = clockMs.getAsLong();
            while (!recent.isEmpty() && now - recent.peekFirst() > policy.window().toMillis()) {
                recent.removeFirst();
            }
            if (recent.size() >= policy.maxReplacements()) {
                return giveUp("stream threads failed " + (recent.size() + 1) + " times within "
                        + policy.window().toSeconds() + " s (max.thread.replacements=" + policy.maxReplacements()
                        + ", thread.replacement.window.ms=" + policy.window().toMillis() + "); last error: " + error, error);
            }
            recent.addLast(now);
            n = recent.size();
        }
        Duration backoff = policy.backoff(n);
        replacements.increment();
        replacing = true;
        LOG.error("Stream thread failed (replacement {} of at most {} within {} s); replacing it in {} ms and "
                + "resuming from the last commit", n, policy.maxReplacements(), policy.window().toSeconds(),
                backoff.toMillis(), error);
        try {
            Thread.sleep(backoff.toMillis()); // on the dying thread: the others keep working
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** @param error logged with its stack trace, or null to log the reason alone */
    private StreamThreadExceptionResponse giveUp(String reason, Throwable error) {
        if (error == null) {
            LOG.error("Stopping this instance: {}", reason);
        } else {
            LOG.error("Stopping this instance: {}", reason, error);
        }
        failure.complete(reason);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** The Kafka Streams client is running again: the replaced thread has joined. */
    void running() {
        replacing = false;
    }

    boolean replacing() {
        return replacing;
    }

    /** Completes with the reason when the instance gives up. */
    CompletableFuture<String> failure() {
        return failure;
    }

    /** Why no replacement can help, or null. */
    static String fatalReason(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registry && registry.isAuthorizationFailure()) {
                return "the Schema Registry refused our credentials (" + registry.getMessage()
                        + "): check basic.auth.user.info (or schema.registry.basic.auth.user.info) and the registry's ACLs";
            }
            // Credentials or a grant refused now (changed while running, or one the start does not check, such
            // as CREATE for a changelog): a replaced thread would be refused the same.
            if (t instanceof AuthorizationException || t instanceof AuthenticationException) {
                return "Kafka refused this instance (" + t.getClass().getSimpleName() + ": " + t.getMessage()
                        + "): a grant it needs is missing or was revoked, or the credentials changed; fix the ACLs (README, "
                        + "Kafka security) or kafka.sasl.jaas.config / kafka.ssl.keystore.location, then restart";
            }
        }
        return null;
    }
}
