package io.streamnlp.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Where a row's CPU went: every thread's CPU time over the row, grouped by what the thread does (its
 * name), plus the rest of the process (GC, JIT, native threads ONNX Runtime or RocksDB start) as
 * process CPU minus the threads'. In cores: 1.0 is one core busy for the whole row. On a machine the
 * encoder could saturate, this is the profile that says what the pipeline spends beside it.
 */
final class CpuProfile {

    /** The group of the JVM's common fork/join pool, where Lingua runs most of each detection. */
    static final String LANGUAGE_POOL = "language identification (the JVM's common fork/join pool)";

    /** Groups in print order; a thread goes to the first whose test its name passes. */
    private static final Map<String, Predicate<String>> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("stream threads (poll, Avro, state, commit; encoder slice 0 only with batch.overlap=false)",
                name -> name.contains("-StreamThread-"));
        // Under batch.overlap slice 0 runs on a streamnlp-inference thread, the other slices on streamnlp-encoder.
        GROUPS.put("encoder slices", name -> name.startsWith("streamnlp-encoder") || name.startsWith("streamnlp-inference"));
        GROUPS.put("heads", name -> name.startsWith("streamnlp-heads"));
        // Lingua runs each detection's n-gram tasks there (the stream thread does the rest of it).
        GROUPS.put(LANGUAGE_POOL, name -> name.startsWith("ForkJoinPool.commonPool-worker-"));
        GROUPS.put("Kafka clients' network threads", name -> name.contains("kafka-producer-network-thread")
                || name.contains("kafka-coordinator-heartbeat") || name.contains("consumer_background")
                || name.contains("admin-client"));
        GROUPS.put("bench (producer, measuring consumer)", name -> name.equals("main") || name.startsWith("bench-"));
    }

    static final String BROKER_AND_REGISTRY = "broker and registry (same JVM)";
    static final String JIT = "JIT compiler";
    static final String GC = "GC (collection time)";
    static final String REST = "rest of the process (native threads, GC/JIT beyond the above)";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> startCpu = new HashMap<>();
    private final long startProcessCpu;
    private final long startJitMs;
    private final long startGcMs;
    private final long startNanos;

    private CpuProfile() {
        for (long id : threads.getAllThreadIds()) {
            startCpu.put(id, Math.max(0, threads.getThreadCpuTime(id)));
        }
        startProcessCpu = processCpuNanos();
        startJitMs = jitMs();
        startGcMs = gcMs();
        startNanos = System.nanoTime();
    }

    static CpuProfile start() {
        return new CpuProfile();
    }

    /** Cores used per group since {@link #start}, threads that started since counted whole. */
    Map<String, Double> stop() {
        double wall = System.nanoTime() - startNanos;
        Map<String, Double> cores = new LinkedHashMap<>();
        GROUPS.keySet().forEach(g -> cores.put(g, 0.0));
        cores.put(BROKER_AND_REGISTRY, 0.0);
        long threadsTotal = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu < 0) {
                continue;
            }
            long used = cpu - startCpu.getOrDefault(info.getThreadId(), 0L);
            threadsTotal += used;
            cores.merge(groupOf(info.getThreadName()), used / wall, Double::sum);
        }
        long rest = Math.max(0, processCpuNanos() - startProcessCpu - threadsTotal);
        // The JIT's and the collector's threads are not Java threads: take their time out of the rest
        // where the JVM reports it (compilation time is close to CPU time; collection time is elapsed).
        long jit = Math.min(rest, (jitMs() - startJitMs) * 1_000_000);
        long gc = Math.min(rest - jit, (gcMs() - startGcMs) * 1_000_000);
        cores.put(JIT, jit / wall);
        cores.put(GC, gc / wall);
        cores.put(REST, (rest - jit - gc) / wall);
        return cores;
    }

    private static String groupOf(String name) {
        return GROUPS.entrySet().stream().filter(group -> group.getValue().test(name)).map(Map.Entry::getKey).findFirst()
                // the broker's and Apicurio's many threads: everything not the pipeline's or the bench's
                .orElse(BROKER_AND_REGISTRY);
    }

    private static long jitMs() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long gcMs() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** "1.62 of 2 cores: stream threads 0.71, encoder slices 0.55, ..." */
    static String describe(Map<String, Double> cores) {
        double total = cores.values().stream().mapToDouble(Double::doubleValue).sum();
        return String.format(java.util.Locale.ROOT, "%.2f of %d cores busy: ", total, Runtime.getRuntime().availableProcessors())
                + cores.entrySet().stream().map(e -> String.format(java.util.Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", "));
    }
}
