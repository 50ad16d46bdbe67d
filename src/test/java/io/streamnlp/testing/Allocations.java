package io.streamnlp.testing;

import java.lang.management.ManagementFactory;

/**
 * Heap bytes the current thread allocates, for the fuzz tests' invariant that decoding a record
 * allocates in proportion to the record, never what a corrupt length prefix claims.
 */
public final class Allocations {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Something to measure; whatever it throws is its own business (the caller checks that). */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private Allocations() {}

    /** Bytes allocated by the current thread so far (a running total; subtract two readings). */
    public static long ofThisThread() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /**
     * Fails when {@code action} allocates more than {@code perInputByte} bytes per input byte plus
     * {@code slack}. {@code allocatedSoFar} is what its first run took (measured by the caller around
     * the call whose outcome it checks); when that is over the budget the action runs once more and
     * that run is judged, because a first run also pays for loading (and, when fuzzing, instrumenting)
     * the classes of a code path it is the first to take.
     */
    public static void assertProportional(long allocatedSoFar, Action action, int inputLength, int perInputByte,
            long slack, String what) {
        long budget = (long) inputLength * perInputByte + slack;
        if (allocatedSoFar <= budget) {
            return;
        }
        long before = ofThisThread();
        try {
            action.run();
        } catch (Exception | StackOverflowError ignored) {
            // judged by the caller on the first run
        }
        long allocated = ofThisThread() - before;
        if (allocated > budget) {
            throw new AssertionError(what + " allocated " + allocated + " bytes for a " + inputLength
                    + "-byte input, over the budget of " + budget + " (" + perInputByte + " per input byte + " + slack
                    + "): a length or count prefix was trusted before it was checked against the bytes left");
        }
    }
}
