package io.streamnlp.bench;

import java.lang.management.ManagementFactory;

/**
 * Warm-up of the single-thread rows (task heads, language identification, PII): unmeasured rounds
 * over the same texts until one leaves the JIT compiler quiet, as the pipeline rows are warmed. A
 * fixed warm-up of 1,500 calls left C2 still compiling the NER head's loops: the row read 237 us per
 * text where a warm loop takes 170 us.
 */
final class WarmUp {

    /** Rounds at most; a round that still compiles after this many is measured anyway. */
    static final int MAX_ROUNDS = 6;

    private WarmUp() {}

    /**
     * Runs {@code round} until one round's JIT compilation time is below {@link Benchmark#QUIET_JIT_CORES}
     * of its wall time (at least twice, at most {@link #MAX_ROUNDS} times).
     *
     * @return the rounds run
     */
    static int untilTheJitIsQuiet(Runnable round) {
        var jit = ManagementFactory.getCompilationMXBean();
        boolean measurable = jit != null && jit.isCompilationTimeMonitoringSupported();
        for (int run = 1; run <= MAX_ROUNDS; run++) {
            long compiledMs = measurable ? jit.getTotalCompilationTime() : 0;
            long started = System.nanoTime();
            round.run();
            double wallMs = (System.nanoTime() - started) / 1e6;
            double jitCores = measurable ? (jit.getTotalCompilationTime() - compiledMs) / Math.max(1.0, wallMs) : 0;
            if (run >= 2 && jitCores < Benchmark.QUIET_JIT_CORES) {
                return run;
            }
        }
        return MAX_ROUNDS;
    }
}
