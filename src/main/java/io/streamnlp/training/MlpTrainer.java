package io.streamnlp.training;

import io.streamnlp.enrich.Parallel;

import io.streamnlp.heads.Mlp;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Trains an {@link Mlp} with AdamW over mini-batches of a seeded shuffle: softmax cross-entropy,
 * optionally restricted per example to a subset of the classes (an SST-2 phrase labelled only
 * negative/positive is scored on the two-class view of the three outputs), dropout on the hidden
 * layer, a learning rate decaying linearly to 10 %, and the weights of the best epoch on a validation
 * score kept. Deterministic: the same data, config and seed give the same weights, bit for bit (work
 * is split across threads only where no sum crosses threads).
 */
final class MlpTrainer {

    /** Training examples, built on demand so big windowed inputs need not sit in memory. */
    interface Rows {
        int size();

        int dim();

        void fill(int example, float[] dst);
    }

    /** Scores the model after an epoch (higher is better); the best epoch's weights are kept. */
    interface Validation {
        double score(Mlp model);
    }

    /**
     * @param inputDropout share of input values zeroed per example (inverted dropout), 0 = none
     * @param emaDecay keep an exponential moving average of the weights with this decay per step and
     *     validate and return the average instead of the raw weights; 0 = off
     */
    record Config(int hidden, int epochs, int batch, float learningRate, float weightDecay, float hiddenDropout,
            float inputDropout, float emaDecay, long seed, int threads) {}

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
        return train(rows, labels, allowed, null, classes, config, validation, log, name);
    }

    /**
     * @param weights per example a loss weight (null: all 1); a batch's gradient is its weighted mean
     */
    static Mlp train(Rows rows, int[] labels, int[] allowed, float[] weights, int classes, Config config,
            Validation validation, PrintStream log, String name) {
        int in = rows.dim();
        int hidden = config.hidden();
        int firstOut = hidden > 0 ? hidden : classes;
        SplittableRandom init = new SplittableRandom(config.seed());
        float[][] w1 = new float[in][firstOut];
        float[] b1 = new float[firstOut];
        float[][] w2 = hidden > 0 ? new float[hidden][classes] : null;
        float[] b2 = hidden > 0 ? new float[classes] : null;
        if (hidden > 0) {
            double s1 = Math.sqrt(2.0 / in);
            for (float[] row : w1) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) (init.nextGaussian() * s1);
                }
            }
            double s2 = Math.sqrt(1.0 / hidden);
            for (float[] row : w2) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) (init.nextGaussian() * s2);
                }
            }
        }
        Mlp model = new Mlp(in, hidden, classes, w1, b1, w2, b2);
        Mlp ema = config.emaDecay() > 0f ? model.copy() : null;
        Adam a1 = new Adam(in, firstOut);
        Adam ab1 = new Adam(1, firstOut);
        Adam a2 = hidden > 0 ? new Adam(hidden, classes) : null;
        Adam ab2 = hidden > 0 ? new Adam(1, classes) : null;

        int n = rows.size();
        int batch = config.batch();
        int stepsPerEpoch = (n + batch - 1) / batch;
        long totalSteps = (long) stepsPerEpoch * config.epochs();
        float[][] x = new float[batch][in];
        float[][] h = hidden > 0 ? new float[batch][hidden] : null;
        float[][] mask = hidden > 0 ? new float[batch][hidden] : null;
        float[][] logits = new float[batch][classes];
        float[][] g = new float[batch][classes];
        float[][] gh = hidden > 0 ? new float[batch][hidden] : null;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double bestScore = Double.NEGATIVE_INFINITY;
        Mlp best = null;
        int bestEpoch = -1;
        long step = 0;
        try (Parallel parallel = new Parallel(config.threads(), "heads-train")) {
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
                        rows.fill(order[from + r], x[r]);
                    }
                    if (config.inputDropout() > 0f) {
                        float keep = 1f - config.inputDropout();
                        float scale = 1f / keep;
                        for (int r = 0; r < b; r++) {
                            float[] xr = x[r];
                            for (int k = 0; k < in; k++) {
                                xr[k] = rng.nextFloat() < keep ? xr[k] * scale : 0f;
                            }
                        }
                    }
                    step++;
                    float progress = (float) (step - 1) / Math.max(1, totalSteps);
                    float lr = config.learningRate() * (1f - 0.9f * progress);
                    float corr = (float) (Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step)));
                    float stepSize = lr * corr;
                    float decay = lr * config.weightDecay();

                    if (hidden > 0) {
                        parallel.forRange(b, (r0, r1) -> Mlp.affine(x, r0, r1, w1, b1, h));
                        float keep = 1f - config.hiddenDropout();
                        for (int r = 0; r < b; r++) {
                            float[] hr = h[r];
                            float[] mr = mask[r];
                            for (int k = 0; k < hidden; k++) {
                                if (hr[k] < 0f) {
                                    hr[k] = 0f;
                                }
                                if (config.hiddenDropout() > 0f) {
                                    mr[k] = rng.nextFloat() < keep ? 1f / keep : 0f;
                                    hr[k] *= mr[k];
                                } else {
                                    mr[k] = 1f;
                                }
                            }
                        }
                        Mlp.affine(h, 0, b, w2, b2, logits);
                    } else {
                        parallel.forRange(b, (r0, r1) -> Mlp.affine(x, r0, r1, w1, b1, logits));
                    }
                    // Softmax over each example's allowed classes; g = w (p - y) / sum(w).
                    float weightSum = 0f;
                    for (int r = 0; r < b; r++) {
                        weightSum += weights == null ? 1f : weights[order[from + r]];
                    }
                    for (int r = 0; r < b; r++) {
                        int ex = order[from + r];
                        int allow = allowed == null ? -1 : allowed[ex];
                        float[] z = logits[r];
                        float[] gr = g[r];
                        float max = Float.NEGATIVE_INFINITY;
                        for (int c = 0; c < classes; c++) {
                            if ((allow >> c & 1) != 0) {
                                max = Math.max(max, z[c]);
                            }
                        }
                        double sum = 0;
                        for (int c = 0; c < classes; c++) {
                            double e = (allow >> c & 1) != 0 ? Math.exp(z[c] - max) : 0;
                            gr[c] = (float) e;
                            sum += e;
                        }
                        for (int c = 0; c < classes; c++) {
                            gr[c] = (float) (gr[c] / sum);
                        }
                        float w = weights == null ? 1f : weights[ex];
                        lossSum -= w * Math.log(Math.max(1e-30, gr[labels[ex]]));
                        gr[labels[ex]] -= 1f;
                        if (weights == null) {
                            for (int c = 0; c < classes; c++) {
                                gr[c] /= b;
                            }
                        } else {
                            float scale = w / Math.max(weightSum, 1e-12f);
                            for (int c = 0; c < classes; c++) {
                                gr[c] *= scale;
                            }
                        }
                    }
                    if (hidden > 0) {
                        // gh = g . W2^T, masked by ReLU and dropout.
                        for (int r = 0; r < b; r++) {
                            for (int k = 0; k < hidden; k++) {
                                if (h[r][k] == 0f) {
                                    gh[r][k] = 0f;
                                    continue;
                                }
                                float s = 0f;
                                float[] w2k = w2[k];
                                for (int c = 0; c < classes; c++) {
                                    s += g[r][c] * w2k[c];
                                }
                                gh[r][k] = s * mask[r][k];
                            }
                        }
                        float[] grad = new float[classes];
                        for (int k = 0; k < hidden; k++) {
                            Arrays.fill(grad, 0f);
                            for (int r = 0; r < b; r++) {
                                float a = h[r][k];
                                if (a != 0f) {
                                    Mlp.axpy(grad, a, g[r]);
                                }
                            }
                            a2.update(k, w2[k], grad, stepSize, decay);
                        }
                        ab2.update(0, b2, columnSums(g, b, classes), stepSize, 0f);
                        updateFirstLayer(parallel, x, b, gh, hidden, w1, b1, a1, ab1, stepSize, decay);
                    } else {
                        updateFirstLayer(parallel, x, b, g, classes, w1, b1, a1, ab1, stepSize, decay);
                    }
                    if (ema != null) {
                        float d = config.emaDecay();
                        parallel.forRange(in, (k0, k1) -> {
                            for (int k = k0; k < k1; k++) {
                                average(ema.w1[k], w1[k], d);
                            }
                        });
                        average(ema.b1, b1, d);
                        if (hidden > 0) {
                            for (int k = 0; k < hidden; k++) {
                                average(ema.w2[k], w2[k], d);
                            }
                            average(ema.b2, b2, d);
                        }
                    }
                    long now = System.nanoTime();
                    if (log != null && now - lastLog > 30_000_000_000L) {
                        log.printf("[train %s] epoch %d: %d/%d examples, loss %.4f%n", name, epoch + 1, from + b, n,
                                lossSum / (from + b));
                        lastLog = now;
                    }
                }
                Mlp current = ema != null ? ema : model;
                double score = validation == null ? -epoch : validation.score(current);
                if (log != null) {
                    log.printf("[train %s] epoch %d/%d: loss %.4f, validation %.4f (%.1f s)%n", name, epoch + 1,
                            config.epochs(), lossSum / n, score, (System.nanoTime() - started) / 1e9);
                }
                if (validation == null || score > bestScore) {
                    bestScore = score;
                    bestEpoch = epoch;
                    best = current.copy();
                }
            }
        }
        if (log != null && validation != null) {
            log.printf("[train %s] kept epoch %d (validation %.4f)%n", name, bestEpoch + 1, bestScore);
        }
        return best;
    }

    private static void average(float[] avg, float[] w, float decay) {
        float rest = 1f - decay;
        for (int i = 0; i < avg.length; i++) {
            avg[i] = decay * avg[i] + rest * w[i];
        }
    }

    private static float[] columnSums(float[][] m, int rows, int cols) {
        float[] s = new float[cols];
        for (int r = 0; r < rows; r++) {
            Mlp.axpy(s, 1f, m[r]);
        }
        return s;
    }

    /** Gradient of W1 = x^T . g, one input row at a time, applied at once (no full gradient buffer). */
    private static void updateFirstLayer(Parallel parallel, float[][] x, int rows, float[][] g, int out, float[][] w,
            float[] b, Adam aw, Adam ab, float stepSize, float decay) {
        ab.update(0, b, columnSums(g, rows, out), stepSize, 0f);
        parallel.forRange(w.length, (k0, k1) -> {
            float[] grad = new float[out];
            for (int k = k0; k < k1; k++) {
                Arrays.fill(grad, 0f);
                for (int r = 0; r < rows; r++) {
                    float a = x[r][k];
                    if (a != 0f) {
                        Mlp.axpy(grad, a, g[r]);
                    }
                }
                aw.update(k, w[k], grad, stepSize, decay);
            }
        });
    }

    /** AdamW state of one weight matrix, row by row. */
    static final class Adam {
        final float[][] m;
        final float[][] v;

        Adam(int rows, int cols) {
            m = new float[rows][cols];
            v = new float[rows][cols];
        }

        void update(int row, float[] w, float[] grad, float stepSize, float decay) {
            float[] mr = m[row];
            float[] vr = v[row];
            for (int i = 0; i < w.length; i++) {
                float gi = grad[i];
                mr[i] = BETA1 * mr[i] + (1 - BETA1) * gi;
                vr[i] = BETA2 * vr[i] + (1 - BETA2) * gi * gi;
                w[i] -= stepSize * mr[i] / ((float) Math.sqrt(vr[i]) + EPS) + decay * w[i];
            }
        }
    }
}
