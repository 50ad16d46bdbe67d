package io.streamnlp.bench;

import io.streamnlp.heads.ClassifierHead;
import io.streamnlp.heads.HeadFile;
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

    /**
     * @param classifierCpuMicrosPerText thread CPU time per text of a classifier head over the user's labels
     *     ({@code classifiers}): [0] a softmax regression, [1] an MLP-256, both with {@link #CLASSIFIER_LABELS}
     *     labels (what {@code train --classifier} writes; the cost depends on the shapes only)
     */
    record Result(double sentimentMicrosPerText, double nerMicrosPerText, double sentimentCpuMicrosPerText,
            double nerCpuMicrosPerText, double[] classifierCpuMicrosPerText) {

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
        WarmUp.untilTheJitIsQuiet(() -> {
            for (int i = 0; i < texts.size(); i++) {
                heads.sentiment().predict(encoded[i]);
                heads.ner().predict(texts.get(i), tokens.get(i), encoded[i]);
            }
        });
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
        double[] classifiers = new double[2];
        for (int k = 0; k < 2; k++) {
            ClassifierHead head = syntheticClassifier(encoder.spec().dimension(), k == 0 ? 0 : 256, k);
            WarmUp.untilTheJitIsQuiet(() -> {
                for (EncodedText e : encoded) {
                    head.classify(e.sentenceVector());
                }
            });
            cpu = mx.getCurrentThreadCpuTime();
            for (EncodedText e : encoded) {
                head.classify(e.sentenceVector());
            }
            classifiers[k] = (mx.getCurrentThreadCpuTime() - cpu) / 1e3 / n;
        }
        return new Result(sentimentNanos / 1e3 / n, nerNanos / 1e3 / n, sentimentCpu / 1e3 / n, nerCpu / 1e3 / n,
                classifiers);
    }

    /** Labels of the classifier heads measured: the worked example's five. */
    static final int CLASSIFIER_LABELS = 5;

    /** A classifier head of the trainer's shapes with seeded random weights: its cost is its shapes'. */
    static ClassifierHead syntheticClassifier(int dim, int hidden, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        int first = hidden > 0 ? hidden : CLASSIFIER_LABELS;
        java.util.List<HeadFile.Tensor> tensors = new java.util.ArrayList<>();
        float[] invStd = new float[dim];
        java.util.Arrays.fill(invStd, 1f);
        tensors.add(new HeadFile.Tensor("mean", new int[] {dim}, new float[dim], false));
        tensors.add(new HeadFile.Tensor("inv_std", new int[] {dim}, invStd, false));
        tensors.add(new HeadFile.Tensor("w1", new int[] {dim, first}, gaussian(random, dim * first), false));
        tensors.add(new HeadFile.Tensor("b1", new int[] {first}, new float[first], false));
        if (hidden > 0) {
            tensors.add(new HeadFile.Tensor("w2", new int[] {hidden, CLASSIFIER_LABELS},
                    gaussian(random, hidden * CLASSIFIER_LABELS), false));
            tensors.add(new HeadFile.Tensor("b2", new int[] {CLASSIFIER_LABELS}, new float[CLASSIFIER_LABELS], false));
        }
        return new ClassifierHead(HeadFile.createNamed(ClassifierHead.KIND, "classifier-bench", "1", "bench", "1",
                java.util.List.of("a", "b", "c", "d", "e"), java.util.Map.of(ClassifierHead.NAME, "bench",
                        ClassifierHead.ENCODER_FINGERPRINT, "-"), tensors));
    }

    private static float[] gaussian(java.util.SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * 0.05);
        }
        return values;
    }
}
