package io.streamnlp.bench;

import io.streamnlp.language.LanguageDetector;
import io.streamnlp.language.LanguageSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

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

    record Result(double microsPerText, double cpuMicrosPerText, int candidates) {}

    private LanguageBenchmark() {}

    static Result run(List<String> texts) {
        LanguageDetector detector = LanguageDetector.of(LanguageSettings.DEFAULT_CANDIDATES, LanguageSettings.defaults().accuracy());
        detector.warmUp();
        WarmUp.untilTheJitIsQuiet(() -> {
            for (String text : texts) {
                detector.detect(text);
            }
        });
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        CpuProfile profile = CpuProfile.start();
        long started = System.nanoTime();
        long cpu = mx.getCurrentThreadCpuTime();
        for (String text : texts) {
            detector.detect(text);
        }
        long callerCpu = mx.getCurrentThreadCpuTime() - cpu;
        long wall = System.nanoTime() - started;
        double poolCpu = profile.stop().get(CpuProfile.LANGUAGE_POOL) * wall;
        double n = texts.size();
        return new Result(wall / 1e3 / n, (callerCpu + poolCpu) / 1e3 / n, LanguageSettings.DEFAULT_CANDIDATES.size());
    }
}
