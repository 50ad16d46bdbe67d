package io.streamnlp.enrich;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The encoder threads that run batches while the stream threads do their Kafka work: as many as
 * stream threads, so each stream thread can have one batch in the encoder while it fills the next,
 * and the instance's CPU use stays what its settings say. Made on first use: an instance that never
 * overlaps starts no thread.
 */
final class OffStreamThreads implements AutoCloseable {

    private final int threads;
    private final AtomicInteger named = new AtomicInteger();
    private ExecutorService pool;

    OffStreamThreads(int threads) {
        this.threads = threads;
    }

    synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(threads, work -> {
                Thread thread = new Thread(work, "streamnlp-inference-" + named.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
        return pool;
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
