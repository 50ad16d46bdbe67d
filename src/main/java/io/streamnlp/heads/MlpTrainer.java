package io.streamnlp.heads;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Trains an {@link Mlp} with AdamW over mini-batches of a seeded shuffle: softmax cross-entropy,
 * optionally restricted per example to a subset of the classes (an SST-2 phrase labelled only
 * negative/positive is scored on the two-class view of the three outputs). Deterministic: the same
 * data, config and seed give the same weights, bit for bit.
 */
final class MlpTrainer {

    /** Training examples, built on demand so big windowed inputs need not sit in memory. */
    interface Rows {
        int size();

        int dim();

        void fill(int example, float[] dst, int offset);
    }

    /** Scores the model after an epoch (higher is better); the best epoch's weights are kept. */
    interface Validation {
        double score(Mlp model);
    }

    record Config(int hidden, int epochs, int batch, float learningRate, float weightDecay, float hiddenDropout,
            long seed, int threads) {}

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    private MlpTrainer() {}

    /**
     * @param labels class of each example
     * @param allowed per example a bitmask of the classes its softmax runs over (null: all)
     */
    static Mlp train(Rows rows, int[] labels, int[] allowed, int classes, Config config, Validation validation,
            PrintStream log, String name) {
        int in = rows.dim();
        int hidden = config.hidden();
        int firstOut = hidden > 0 ? hidden : classes;
        SplittableRandom init = new SplittableRandom(config.seed());
        float[] w1 = new float[in * firstOut];
        float[] b1 = new float[firstOut];
        float[] w2 = hidden > 0 ? new float[hidden * classes] : null;
        float[] b2 = hidden > 0 ? new float[classes] : null;
        if (hidden > 0) {
            double s1 = Math.sqrt(2.0 / in);
            for (int i = 0; i < w1.length; i++) {
                w1[i] = (float) (init.nextGaussian() * s1);
            }
            double s2 = Math.sqrt(1.0 / hidden);
            for (int i = 0; i < w2.length; i++) {
                w2[i] = (float) (init.nextGaussian() * s2);
            }
        }
        Mlp model = new Mlp(in, hidden, classes, w1, b1, w2, b2);
        Adam a1 = new Adam(w1.length);
        Adam ab1 = new Adam(b1.length);
        Adam a2 = hidden > 0 ? new Adam(w2.length) : null;
        Adam ab2 = hidden > 0 ? new Adam(b2.length) : null;

        int n = rows.size();
        int batch = config.batch();
        int stepsPerEpoch = (n + batch - 1) / batch;
        long totalSteps = (long) stepsPerEpoch * config.epochs();
        float[] x = new float[batch * in];
        float[] h = new float[batch * Math.max(1, hidden)];
        float[] mask = new float[batch * Math.max(1, hidden)];
        float[] logits = new float[batch * classes];
        float[] g = new float[batch * classes];
        float[] gh = new float[batch * Math.max(1, hidden)];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double bestScore = Double.NEGATIVE_INFINITY;
        Mlp best = null;
        int bestEpoch = -1;
        long step = 0;
        try (Parallel parallel = new Parallel(config.threads())) {
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                SplittableRandom rng = new SplittableRandom(config.seed() * 1_000_003L + epoch);
                for (int i = n - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                double lossSum = 0;
                long started = System.nanoTime();
                long lastLog = started;
                for (int from = 0; from < n; from += batch) {
                    int b = Math.min(batch, n - from);
                    for (int r = 0; r < b; r++) {
                        rows.fill(order[from + r], x, r * in);
                    }
                    step++;
                    // Linear decay to 10 % of the rate over all steps; Adam bias correction.
                    float progress = (float) (step - 1) / Math.max(1, totalSteps);
                    float lr = config.learningRate() * (1f - 0.9f * progress);
                    float corr = (float) (Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step)));
                    float stepSize = lr * corr;
                    float decay = lr * config.weightDecay();

                    float[] out;
                    if (hidden > 0) {
                        affineParallel(parallel, x, b, in, w1, b1, hidden, h);
                        float keep = 1f - config.hiddenDropout();
                        for (int i = 0; i < b * hidden; i++) {
                            if (h[i] < 0f) {
                                h[i] = 0f;
                            }
                            if (config.hiddenDropout() > 0f) {
                                mask[i] = rng.nextFloat() < keep ? 1f / keep : 0f;
                                h[i] *= mask[i];
                            } else {
                                mask[i] = 1f;
                            }
                        }
                        Mlp.affine(h, b, hidden, w2, b2, classes, logits);
                    } else {
                        affineParallel(parallel, x, b, in, w1, b1, classes, logits);
                    }
                    out = logits;
                    // Softmax over each example's allowed classes; g = (p - y) / b.
                    for (int r = 0; r < b; r++) {
                        int ex = order[from + r];
                        int allow = allowed == null ? -1 : allowed[ex];
                        int o = r * classes;
                        float max = Float.NEGATIVE_INFINITY;
                        for (int c = 0; c < classes; c++) {
                            if ((allow >> c & 1) != 0) {
                                max = Math.max(max, out[o + c]);
                            }
                        }
                        double sum = 0;
                        for (int c = 0; c < classes; c++) {
                            double e = (allow >> c & 1) != 0 ? Math.exp(out[o + c] - max) : 0;
                            g[o + c] = (float) e;
                            sum += e;
                        }
                        for (int c = 0; c < classes; c++) {
                            g[o + c] = (float) (g[o + c] / sum);
                        }
                        lossSum -= Math.log(Math.max(1e-30, g[o + labels[ex]]));
                        g[o + labels[ex]] -= 1f;
                        for (int c = 0; c < classes; c++) {
                            g[o + c] /= b;
                        }
                    }
                    if (hidden > 0) {
                        // gh = g . W2^T masked by ReLU and dropout; then W2, b2 updates.
                        for (int r = 0; r < b; r++) {
                            for (int k = 0; k < hidden; k++) {
                                int idx = r * hidden + k;
                                if (h[idx] == 0f) {
                                    gh[idx] = 0f;
                                    continue;
                                }
                                float s = 0f;
                                int wk = k * classes;
                                int o = r * classes;
                                for (int c = 0; c < classes; c++) {
                                    s += g[o + c] * w2[wk + c];
                                }
                                gh[idx] = s * mask[idx];
                            }
                        }
                        float[] gw2 = new float[hidden * classes];
                        float[] gb2 = new float[classes];
                        for (int r = 0; r < b; r++) {
                            for (int c = 0; c < classes; c++) {
                                gb2[c] += g[r * classes + c];
                            }
                            for (int k = 0; k < hidden; k++) {
                                float a = h[r * hidden + k];
                                if (a != 0f) {
                                    for (int c = 0; c < classes; c++) {
                                        gw2[k * classes + c] += a * g[r * classes + c];
                                    }
                                }
                            }
                        }
                        a2.update(w2, gw2, 0, w2.length, stepSize, decay);
                        ab2.update(b2, gb2, 0, b2.length, stepSize, 0f);
                        updateFirstLayer(parallel, x, b, in, gh, hidden, w1, b1, a1, ab1, stepSize, decay);
                    } else {
                        updateFirstLayer(parallel, x, b, in, g, classes, w1, b1, a1, ab1, stepSize, decay);
                    }
                    long now = System.nanoTime();
                    if (log != null && now - lastLog > 30_000_000_000L) {
                        log.printf("[train %s] epoch %d: %d/%d examples, loss %.4f%n", name, epoch + 1, from + b, n,
                                lossSum / (from + b));
                        lastLog = now;
                    }
                }
                double score = validation == null ? -epoch : validation.score(model);
                if (log != null) {
                    log.printf("[train %s] epoch %d/%d: loss %.4f, validation %.4f (%.1f s)%n", name, epoch + 1,
                            config.epochs(), lossSum / n, score, (System.nanoTime() - started) / 1e9);
                }
                if (validation == null || score > bestScore) {
                    bestScore = score;
                    bestEpoch = epoch;
                    best = copy(model);
                }
            }
        }
        if (log != null && validation != null) {
            log.printf("[train %s] kept epoch %d (validation %.4f)%n", name, bestEpoch + 1, bestScore);
        }
        return best;
    }

    private static Mlp copy(Mlp m) {
        return new Mlp(m.in, m.hidden, m.out, m.w1.clone(), m.b1.clone(), m.w2 == null ? null : m.w2.clone(),
                m.b2 == null ? null : m.b2.clone());
    }

    /** y = x . W + b with the output columns split across threads. */
    private static void affineParallel(Parallel parallel, float[] x, int rows, int in, float[] w, float[] b, int out,
            float[] y) {
        parallel.forRange(out, (j0, j1) -> {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(b, j0, y, r * out + j0, j1 - j0);
            }
            for (int k = 0; k < in; k++) {
                int wk = k * out;
                for (int r = 0; r < rows; r++) {
                    float a = x[r * in + k];
                    if (a != 0f) {
                        int yr = r * out;
                        for (int j = j0; j < j1; j++) {
                            y[yr + j] += a * w[wk + j];
                        }
                    }
                }
            }
        });
    }

    /** Gradient of W1 = x^T . g, one input row at a time, applied at once (no full gradient buffer). */
    private static void updateFirstLayer(Parallel parallel, float[] x, int rows, int in, float[] g, int out, float[] w,
            float[] b, Adam aw, Adam ab, float stepSize, float decay) {
        float[] gb = new float[out];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                gb[j] += g[r * out + j];
            }
        }
        ab.update(b, gb, 0, out, stepSize, 0f);
        parallel.forRange(in, (k0, k1) -> {
            float[] grad = new float[out];
            for (int k = k0; k < k1; k++) {
                Arrays.fill(grad, 0f);
                boolean any = false;
                for (int r = 0; r < rows; r++) {
                    float a = x[r * in + k];
                    if (a != 0f) {
                        any = true;
                        int gr = r * out;
                        for (int j = 0; j < out; j++) {
                            grad[j] += a * g[gr + j];
                        }
                    }
                }
                // Rows whose input was zero in the whole batch still decay and move with momentum.
                aw.updateRow(w, grad, k * out, out, stepSize, decay, any);
            }
        });
    }

    /** AdamW state of one tensor. */
    static final class Adam {
        final float[] m;
        final float[] v;

        Adam(int size) {
            m = new float[size];
            v = new float[size];
        }

        void update(float[] w, float[] grad, int from, int len, float stepSize, float decay) {
            for (int i = 0; i < len; i++) {
                int p = from + i;
                float gi = grad[i];
                m[p] = BETA1 * m[p] + (1 - BETA1) * gi;
                v[p] = BETA2 * v[p] + (1 - BETA2) * gi * gi;
                w[p] -= stepSize * m[p] / ((float) Math.sqrt(v[p]) + EPS) + decay * w[p];
            }
        }

        void updateRow(float[] w, float[] grad, int from, int len, float stepSize, float decay, boolean any) {
            update(w, grad, from, len, stepSize, decay);
        }
    }
}
