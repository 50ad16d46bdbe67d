package io.streamnlp.bench;

import io.streamnlp.language.LanguageDetector;
import io.streamnlp.language.LanguageSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Language identification's cost per text (it runs once per text before the encoder), at the default candidates
 * and accuracy: one thread, one text at a time, wall-clock and CPU time, after the models are loaded and the JIT
 * has compiled the detector. The CPU time is the calling thread's plus that of the JVM's common fork/join pool:
 * Lingua splits each detection into one task per n-gram length and runs them there, so the caller's own time
 * is about a quarter of what a detection costs.
 */
final class LanguageBenchmark {

    /** Budget: a share of the encoder's CPU time per text (issue 23). */
    static final double SHARE_BUDGET = 0.03;

    /** Where Lingua's tasks run: the JVM names the common pool's threads so. */
    static final String COMMON_POOL_THREAD = "ForkJoinPool.commonPool-worker-";

    record Result(double microsPerText, double cpuMicrosPerText, int candidates) {}

    private LanguageBenchmark() {}

    static Result run(List<String> texts) {
        LanguageDetector detector = LanguageDetector.of(LanguageSettings.DEFAULT_CANDIDATES, false);
        detector.warmUp();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < Math.min(1000, texts.size()); i++) {
                detector.detect(texts.get(i));
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long started = System.nanoTime();
        long cpu = mx.getCurrentThreadCpuTime();
        Map<Long, Long> poolCpu = commonPoolCpu(mx);
        for (String text : texts) {
            detector.detect(text);
        }
        double n = texts.size();
        long used = mx.getCurrentThreadCpuTime() - cpu;
        for (Map.Entry<Long, Long> thread : commonPoolCpu(mx).entrySet()) {
            used += thread.getValue() - poolCpu.getOrDefault(thread.getKey(), 0L); // a thread started since counts whole
        }
        return new Result((System.nanoTime() - started) / 1e3 / n, used / 1e3 / n, LanguageSettings.DEFAULT_CANDIDATES.size());
    }

    /** CPU time so far of each of the common pool's threads, by thread id. */
    private static Map<Long, Long> commonPoolCpu(ThreadMXBean mx) {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(COMMON_POOL_THREAD)) {
                long time = mx.getThreadCpuTime(info.getThreadId());
                if (time >= 0) {
                    cpu.put(info.getThreadId(), time);
                }
            }
        }
        return cpu;
    }
}
