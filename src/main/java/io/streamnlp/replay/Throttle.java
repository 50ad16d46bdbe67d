package io.streamnlp.replay;

/**
 * A records-per-second cap shared by all stream threads: each record takes a slot 1/rate seconds
 * after the previous one, and a thread that is early sleeps until its slot. So a replay cannot
 * starve a live pipeline that shares the brokers and cores. Bursts are not saved up: an idle
 * second does not buy a faster one after.
 */
final class Throttle {

    private final long nanosPerRecord;
    private long nextSlot = System.nanoTime();

    Throttle(double recordsPerSecond) {
        this.nanosPerRecord = Math.round(1e9 / recordsPerSecond);
    }

    void acquire() {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            nextSlot = Math.max(nextSlot, now) + nanosPerRecord;
            wait = nextSlot - nanosPerRecord - now;
        }
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
