package io.streamnlp.heads;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits a loop over {@code [0, n)} into one contiguous chunk per thread. Every chunk writes its own
 * outputs and nothing is summed across threads, so results do not depend on scheduling: training
 * stays bit-for-bit deterministic for a given thread count (and for any thread count, since the
 * chunks never share an accumulator).
 */
final class Parallel implements AutoCloseable {

    interface Range {
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    Parallel(int threads) {
        this.threads = Math.max(1, threads);
        this.pool = this.threads > 1 ? Executors.newFixedThreadPool(this.threads - 1, r -> {
            Thread t = new Thread(r, "heads-train");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    void forRange(int n, Range body) {
        if (pool == null || n < 2 * threads) {
            body.run(0, n);
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        int chunk = (n + threads - 1) / threads;
        for (int t = 1; t < threads; t++) {
            int from = Math.min(n, t * chunk);
            int to = Math.min(n, from + chunk);
            futures.add(pool.submit(() -> body.run(from, to)));
        }
        body.run(0, Math.min(n, chunk));
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
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
