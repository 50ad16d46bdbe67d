package io.streamnlp.bench;

import io.streamnlp.heads.Heads;
import io.streamnlp.inference.EncodedText;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderSession;
import io.streamnlp.inference.TokenizedText;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The task heads' cost per text, on the encoder's real output, next to the encoder's own cost: one
 * thread, one text at a time, as wall-clock and as the thread's CPU time (on a shared machine the
 * CPU time is the figure that does not depend on what else runs).
 */
final class HeadsBenchmark {

    /** Budget of both heads together, per text (issue #17). */
    static final double BUDGET_MICROS = 300;

    record Result(double sentimentMicrosPerText, double nerMicrosPerText, double sentimentCpuMicrosPerText,
            double nerCpuMicrosPerText) {

        double cpuMicrosPerText() {
            return sentimentCpuMicrosPerText + nerCpuMicrosPerText;
        }
    }

    private HeadsBenchmark() {}

    static Result run(Encoder encoder, Heads heads, List<String> texts, List<TokenizedText> tokens, int batchSize) {
        EncodedText[] encoded = new EncodedText[texts.size()];
        try (EncoderSession session = encoder.newSession()) {
            for (int i = 0; i < texts.size(); i += batchSize) {
                EncodedText[] batch = session.encode(tokens.subList(i, Math.min(texts.size(), i + batchSize)));
                System.arraycopy(batch, 0, encoded, i, batch.length);
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        // Warm-up: let the JIT compile both heads' loops.
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < Math.min(500, texts.size()); i++) {
                heads.sentiment().predict(encoded[i]);
                heads.ner().predict(texts.get(i), tokens.get(i), encoded[i]);
            }
        }
        long started = System.nanoTime();
        long cpu = mx.getCurrentThreadCpuTime();
        for (EncodedText e : encoded) {
            heads.sentiment().predict(e);
        }
        long sentimentNanos = System.nanoTime() - started;
        long sentimentCpu = mx.getCurrentThreadCpuTime() - cpu;
        started = System.nanoTime();
        cpu = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < texts.size(); i++) {
            heads.ner().predict(texts.get(i), tokens.get(i), encoded[i]);
        }
        long nerNanos = System.nanoTime() - started;
        long nerCpu = mx.getCurrentThreadCpuTime() - cpu;
        double n = texts.size();
        return new Result(sentimentNanos / 1e3 / n, nerNanos / 1e3 / n, sentimentCpu / 1e3 / n, nerCpu / 1e3 / n);
    }
}
