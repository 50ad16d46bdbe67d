package io.streamnlp.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits a loop over {@code [0, n)} into one contiguous chunk per thread, the caller running the
 * first. Every chunk writes its own outputs and nothing is summed across threads, so results do not
 * depend on scheduling: the heads give the same answer on any thread count, and training stays
 * bit-for-bit deterministic.
 *
 * <p>The pool is bounded and owned ({@code threads - 1} daemon workers), unlike the common
 * ForkJoin pool: an instance's CPU use stays within what its settings say (stream threads x
 * intra-op threads), however many stream threads share it.
 */
public final class Parallel implements AutoCloseable {

    /** The body of the loop over {@code [from, to)}. */
    public interface Range {
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    /**
     * @param threads chunks per loop, the caller's thread included; 1 runs everything on the caller
     * @param name prefix of the worker threads' names
     */
    public Parallel(int threads, String name) {
        this(threads, threads - 1, name);
    }

    /**
     * @param threads chunks per loop, the caller's thread included
     * @param workers the pool's threads: {@code threads - 1} for one caller, more when several
     *     callers (stream threads) share the pool and each should get its chunks run at once
     */
    public Parallel(int threads, int workers, String name) {
        this.threads = Math.max(1, threads);
        AtomicInteger count = new AtomicInteger();
        this.pool = this.threads > 1 ? Executors.newFixedThreadPool(Math.max(1, workers), r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }) : null;
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body} over {@code [0, n)}; returns when every chunk has finished. */
    public void forRange(int n, Range body) {
        if (pool == null || n < 2 * threads) {
            body.run(0, n); // too little work to be worth a hand-off
            return;
        }
        int chunk = (n + threads - 1) / threads;
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            int from = Math.min(n, t * chunk);
            int to = Math.min(n, from + chunk);
            futures.add(pool.submit(() -> body.run(from, to)));
        }
        body.run(0, Math.min(n, chunk));
        await(futures);
    }

    /**
     * Runs tasks {@code 0..n-1} ({@code n <= threads}), each on its own thread, task 0 on the caller;
     * returns when all have finished. For a few coarse tasks (the encoder's slices of a batch), where
     * {@link #forRange}'s "too little work" rule would run them one after another.
     */
    public void forEachTask(int n, java.util.function.IntConsumer task) {
        if (n > threads) {
            throw new IllegalArgumentException(n + " tasks for " + threads + " threads");
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 1; t < n; t++) {
            int index = t;
            futures.add(pool.submit(() -> task.accept(index)));
        }
        try {
            if (n > 0) {
                task.accept(0);
            }
        } finally {
            // Even when task 0 failed: no task may outlive the call (the next batch reuses the threads' sessions).
            await(futures);
        }
    }

    private static void await(List<Future<?>> futures) {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a parallel chunk", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
