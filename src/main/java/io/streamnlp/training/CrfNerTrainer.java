package io.streamnlp.training;

import io.streamnlp.heads.WordCrfNer;

import io.streamnlp.heads.BioTags;
import io.streamnlp.heads.Crf;
import io.streamnlp.heads.HeadFile;
import io.streamnlp.heads.Mlp;
import io.streamnlp.heads.NerHead;
import io.streamnlp.heads.features.CharFeatures;
import io.streamnlp.heads.features.WordShape;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Trains the release-2 NER head ({@code heads.WordCrfNer}): a hidden layer per word over its state,
 * shape and character features, a window over the hidden vectors, and a linear-chain CRF trained with
 * the forward-backward algorithm (negative log-likelihood of the gold sequence; for partially labelled
 * sentences, of all the sequences they allow). Everything is learned jointly, the hashed character
 * embedding included: AdamW over mini-batches of sentences of a seeded shuffle, weighted per sentence
 * (per-domain weights), learning rate decaying linearly to 10 %, dropout on the state inputs and on
 * the hidden layer, an exponential moving average of the weights validated after each epoch, the best
 * epoch kept. Single-threaded and deterministic: the same data, config and seed give the same weights.
 */
final class CrfNerTrainer {

    /**
     * @param transitions learn the CRF's start, transition and end scores; false keeps them at 0 (the
     *     emissions alone, decoded under the BIO constraints: the ablation of the CRF)
     */
    record Config(int hidden, int window, int charBuckets, int charDim, int epochs, int batchSentences,
            float learningRate, float weightDecay, float inputDropout, float hiddenDropout, float emaDecay, long seed,
            boolean transitions) {

        Config(int hidden, int window, int charBuckets, int charDim, int epochs, int batchSentences,
                float learningRate, float weightDecay, float inputDropout, float hiddenDropout, float emaDecay,
                long seed) {
            this(hidden, window, charBuckets, charDim, epochs, batchSentences, learningRate, weightDecay, inputDropout,
                    hiddenDropout, emaDecay, seed, true);
        }
    }

    /** Scores a candidate head (higher is better). */
    interface Validation {
        double score(HeadFile candidate);
    }

    private static final int TAGS = BioTags.size();

    private final Config c;
    private final CrfNerData data;
    private final int dim;
    private final int in;
    private final int slots;
    private final int charOffset;

    // Parameters.
    final float[][] table;
    final float[][] w1;
    final float[] b1;
    final float[][] v;
    final float[] b2;
    final float[][] pad;
    final float[] start;
    final float[][] trans;
    final float[] end;

    CrfNerTrainer(Config config, CrfNerData data) {
        this.c = config;
        this.data = data;
        this.dim = data.dim;
        this.in = dim + WordShape.PER_WORD + config.charDim() + WordShape.PER_TEXT;
        this.slots = 2 * config.window() + 1;
        this.charOffset = dim + WordShape.PER_WORD;
        SplittableRandom init = new SplittableRandom(config.seed());
        table = new float[config.charBuckets()][config.charDim()];
        for (float[] row : table) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) (init.nextGaussian() * 0.1);
            }
        }
        w1 = new float[in][config.hidden()];
        double s1 = Math.sqrt(2.0 / in);
        for (float[] row : w1) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) (init.nextGaussian() * s1);
            }
        }
        b1 = new float[config.hidden()];
        v = new float[config.hidden()][slots * TAGS];
        double s2 = Math.sqrt(1.0 / (config.hidden() * slots));
        for (float[] row : v) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) (init.nextGaussian() * s2);
            }
        }
        b2 = new float[TAGS];
        pad = new float[slots][TAGS];
        start = new float[TAGS];
        trans = new float[TAGS][TAGS];
        end = new float[TAGS];
    }

    /** The head file of the given parameters (as {@link NerHead} reads them). */
    static HeadFile file(String encoder, String encoderVersion, String release, Config c, float[] mean, float[] invStd,
            float[][] table, float[][] w1, float[] b1, float[][] v, float[] b2, float[][] pad, float[] start,
            float[][] trans, float[] end, Map<String, String> extraMeta, boolean half) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("arch", "word-crf");
        meta.put("window", Integer.toString(c.window()));
        meta.put("char.features", CharFeatures.VERSION);
        meta.put("input", "per word: first word-piece state (standardised), word shape " + WordShape.PER_WORD
                + ", mean embedding of " + c.charBuckets() + " hashed character keys (" + c.charDim()
                + "-d), text shape " + WordShape.PER_TEXT + "; hidden " + c.hidden() + " ReLU per word; emissions "
                + "from the hidden vectors of +-" + c.window() + " words; linear-chain CRF");
        meta.putAll(extraMeta);
        List<HeadFile.Tensor> t = new ArrayList<>();
        t.add(new HeadFile.Tensor("mean", new int[] {mean.length}, mean, false));
        t.add(new HeadFile.Tensor("inv_std", new int[] {invStd.length}, invStd, false));
        t.add(matrix("char_table", table, half));
        t.add(matrix("w1", w1, half));
        t.add(new HeadFile.Tensor("b1", new int[] {b1.length}, b1.clone(), false));
        t.add(matrix("v", v, half));
        t.add(new HeadFile.Tensor("b2", new int[] {b2.length}, b2.clone(), false));
        t.add(matrix("pad", pad, false));
        t.add(new HeadFile.Tensor("crf_start", new int[] {start.length}, start.clone(), false));
        t.add(matrix("crf_transitions", trans, false));
        t.add(new HeadFile.Tensor("crf_end", new int[] {end.length}, end.clone(), false));
        return HeadFile.create(NerHead.KIND, release, encoder, encoderVersion, BioTags.LABELS, meta, t);
    }

    private static HeadFile.Tensor matrix(String name, float[][] m, boolean half) {
        int cols = m[0].length;
        float[] flat = new float[m.length * cols];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, flat, i * cols, cols);
        }
        return new HeadFile.Tensor(name, new int[] {m.length, cols}, flat, half);
    }

    /** The parameters (or their moving average) as one set of arrays. */
    record Params(float[][] table, float[][] w1, float[] b1, float[][] v, float[] b2, float[][] pad, float[] start,
            float[][] trans, float[] end) {

        Params copy() {
            return new Params(deep(table), deep(w1), b1.clone(), deep(v), b2.clone(), deep(pad), start.clone(),
                    deep(trans), end.clone());
        }

        private static float[][] deep(float[][] m) {
            float[][] out = new float[m.length][];
            for (int i = 0; i < m.length; i++) {
                out[i] = m[i].clone();
            }
            return out;
        }
    }

    Params params() {
        return new Params(table, w1, b1, v, b2, pad, start, trans, end);
    }

    /**
     * Trains; after each epoch, {@code toFile} turns the averaged weights into a head file that
     * {@code validation} scores. Returns the best epoch's weights.
     */
    Params train(Function<Params, HeadFile> toFile, Validation validation, PrintStream log) {
        int h = c.hidden();
        int n = data.sentences;
        MlpTrainer.Adam aw1 = new MlpTrainer.Adam(in, h);
        MlpTrainer.Adam ab1 = new MlpTrainer.Adam(1, h);
        MlpTrainer.Adam av = new MlpTrainer.Adam(h, slots * TAGS);
        MlpTrainer.Adam ab2 = new MlpTrainer.Adam(1, TAGS);
        MlpTrainer.Adam apad = new MlpTrainer.Adam(slots, TAGS);
        MlpTrainer.Adam astart = new MlpTrainer.Adam(1, TAGS);
        MlpTrainer.Adam atrans = new MlpTrainer.Adam(TAGS, TAGS);
        MlpTrainer.Adam aend = new MlpTrainer.Adam(1, TAGS);
        MlpTrainer.Adam atable = new MlpTrainer.Adam(c.charBuckets(), c.charDim());
        Params ema = c.emaDecay() > 0 ? params().copy() : null;

        Grads g = new Grads();

        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int batch = c.batchSentences();
        int stepsPerEpoch = (n + batch - 1) / batch;
        long totalSteps = (long) stepsPerEpoch * c.epochs();
        long step = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        Params best = null;
        int bestEpoch = -1;
        for (int epoch = 0; epoch < c.epochs(); epoch++) {
            SplittableRandom rng = new SplittableRandom(c.seed() * 1_000_003L + epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double lossSum = 0;
            double weightSum = 0;
            long started = System.nanoTime();
            long lastLog = started;
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                g.clear();
                float batchWeight = 0;
                for (int b = from; b < to; b++) {
                    batchWeight += data.weights[order[b]];
                }
                float norm = 1f / Math.max(batchWeight, 1e-6f);
                for (int b = from; b < to; b++) {
                    int s = order[b];
                    double loss = accumulate(s, data.weights[s] * norm, g, rng, true);
                    if (!Double.isNaN(loss)) {
                        lossSum += data.weights[s] * loss;
                        weightSum += data.weights[s];
                    }
                }
                // Update.
                step++;
                float progress = (float) (step - 1) / Math.max(1, totalSteps);
                float lr = c.learningRate() * (1f - 0.9f * progress);
                float corr = (float) (Math.sqrt(1 - Math.pow(0.999, step)) / (1 - Math.pow(0.9, step)));
                float stepSize = lr * corr;
                float decay = lr * c.weightDecay();
                for (int k = 0; k < in; k++) {
                    aw1.update(k, w1[k], g.w1[k], stepSize, decay);
                }
                ab1.update(0, b1, g.b1, stepSize, 0f);
                for (int k = 0; k < h; k++) {
                    av.update(k, v[k], g.v[k], stepSize, decay);
                }
                ab2.update(0, b2, g.b2, stepSize, 0f);
                for (int sl = 0; sl < slots; sl++) {
                    apad.update(sl, pad[sl], g.pad[sl], stepSize, 0f);
                }
                if (c.transitions()) {
                    astart.update(0, start, g.start, stepSize, 0f);
                    aend.update(0, end, g.end, stepSize, 0f);
                    float[] row = new float[TAGS];
                    for (int k = 0; k < TAGS; k++) {
                        for (int j = 0; j < TAGS; j++) {
                            row[j] = (float) g.trans[k][j];
                        }
                        atrans.update(k, trans[k], row, stepSize, 0f);
                    }
                }
                for (int q = 0; q < g.touchedCount; q++) {
                    int id = g.touched[q];
                    atable.update(id, table[id], g.table[id], stepSize, 0f);
                }
                if (ema != null) {
                    float d = c.emaDecay();
                    average(ema.w1(), w1, d);
                    average(ema.b1(), b1, d);
                    average(ema.v(), v, d);
                    average(ema.b2(), b2, d);
                    average(ema.pad(), pad, d);
                    average(ema.start(), start, d);
                    average(ema.trans(), trans, d);
                    average(ema.end(), end, d);
                    average(ema.table(), table, d);
                }
                long now = System.nanoTime();
                if (log != null && now - lastLog > 30_000_000_000L) {
                    log.printf("[train ner] epoch %d: %d/%d sentences, loss %.4f%n", epoch + 1, to, n,
                            lossSum / Math.max(weightSum, 1e-9));
                    lastLog = now;
                }
            }
            Params current = ema != null ? ema : params();
            double score = validation == null ? epoch : validation.score(toFile.apply(current));
            if (log != null) {
                log.printf("[train ner] epoch %d/%d: loss %.4f, validation %.4f (%.1f s)%n", epoch + 1, c.epochs(),
                        lossSum / Math.max(weightSum, 1e-9), score, (System.nanoTime() - started) / 1e9);
            }
            if (score > bestScore) {
                bestScore = score;
                bestEpoch = epoch;
                best = current.copy();
            }
        }
        if (log != null) {
            log.printf("[train ner] kept epoch %d (validation %.4f)%n", bestEpoch + 1, bestScore);
        }
        return best;
    }

    /** Gradient buffers of one mini-batch. */
    final class Grads {
        final float[][] w1 = new float[in][c.hidden()];
        final float[] b1 = new float[c.hidden()];
        final float[][] v = new float[c.hidden()][slots * TAGS];
        final float[] b2 = new float[TAGS];
        final float[][] pad = new float[slots][TAGS];
        final float[] start = new float[TAGS];
        final double[][] trans = new double[TAGS][TAGS];
        final float[] end = new float[TAGS];
        final float[][] table = new float[c.charBuckets()][];
        final int[] touched = new int[c.charBuckets()];
        int touchedCount;

        void clear() {
            for (float[] r : w1) {
                Arrays.fill(r, 0f);
            }
            Arrays.fill(b1, 0f);
            for (float[] r : v) {
                Arrays.fill(r, 0f);
            }
            Arrays.fill(b2, 0f);
            for (float[] r : pad) {
                Arrays.fill(r, 0f);
            }
            Arrays.fill(start, 0f);
            for (double[] r : trans) {
                Arrays.fill(r, 0);
            }
            Arrays.fill(end, 0f);
            for (int q = 0; q < touchedCount; q++) {
                table[touched[q]] = null;
            }
            touchedCount = 0;
        }
    }

    /**
     * Adds {@code weight x} the gradient of sentence {@code s}'s loss ({@code log Z - log Z_allowed})
     * to {@code g}; returns the loss (NaN for a sentence whose tags break the BIO constraints, skipped).
     *
     * @param train apply dropout
     */
    double accumulate(int s, float weight, Grads g, SplittableRandom rng, boolean train) {
        int h = c.hidden();
        int words = data.count[s];
        if (words == 0) {
            return 0;
        }
        int base = data.base[s];
        float[][] u = new float[words][in];
        for (int i = 0; i < words; i++) {
            fillInput(s, base + i, u[i], train ? rng : null);
        }
        float[][] pre = new float[words][h];
        Mlp.affine4(u, 0, words, w1, b1, pre);
        float[][] hid = new float[words][h];
        boolean dropout = train && c.hiddenDropout() > 0f;
        float keep = 1f - c.hiddenDropout();
        for (int i = 0; i < words; i++) {
            for (int k = 0; k < h; k++) {
                float a = pre[i][k] > 0f ? pre[i][k] : 0f;
                if (dropout && a != 0f) {
                    a = rng.nextFloat() < keep ? a / keep : 0f;
                }
                hid[i][k] = a;
            }
        }
        float[][] e = WordCrfNer.emissions(hid, v, b2, pad, c.window());
        int[] masks = Arrays.copyOfRange(data.masks, base, base + words);
        Crf.Marginals gold;
        try {
            gold = Crf.forwardBackward(e, start, trans, end, masks, g.trans, -weight);
        } catch (IllegalArgumentException impossible) {
            return Double.NaN; // tags that break the BIO constraints
        }
        Crf.Marginals full = Crf.forwardBackward(e, start, trans, end, null, g.trans, weight);
        float[][] de = new float[words][TAGS];
        for (int i = 0; i < words; i++) {
            for (int j = 0; j < TAGS; j++) {
                de[i][j] = (float) (weight * (full.nodes()[i][j] - gold.nodes()[i][j]));
                g.b2[j] += de[i][j];
            }
        }
        for (int j = 0; j < TAGS; j++) {
            g.start[j] += de[0][j];
            g.end[j] += de[words - 1][j];
        }
        // dg_j[slot] = de_(j - slot + window); the padding scores where j is outside the text.
        float[][] dg = new float[words][slots * TAGS];
        for (int i = 0; i < words; i++) {
            for (int sl = 0; sl < slots; sl++) {
                int j = i + sl - c.window();
                if (j < 0 || j >= words) {
                    for (int t = 0; t < TAGS; t++) {
                        g.pad[sl][t] += de[i][t];
                    }
                } else {
                    System.arraycopy(de[i], 0, dg[j], sl * TAGS, TAGS);
                }
            }
        }
        // gV += h^T dg; d pre = (dg V^T) where the unit was active (and kept: d pre = d hid / keep).
        float[][] dpre = new float[words][h];
        for (int i = 0; i < words; i++) {
            float[] hi = hid[i];
            float[] dgi = dg[i];
            for (int k = 0; k < h; k++) {
                float a = hi[k];
                if (a == 0f) {
                    continue;
                }
                Mlp.axpy(g.v[k], a, dgi);
                float[] vk = v[k];
                float sum = 0f;
                for (int q = 0; q < dgi.length; q++) {
                    sum += vk[q] * dgi[q];
                }
                dpre[i][k] = dropout ? sum / keep : sum;
            }
            Mlp.axpy(g.b1, 1f, dpre[i]);
        }
        // gW1 += u^T dpre.
        for (int k = 0; k < in; k++) {
            float[] gk = g.w1[k];
            for (int i = 0; i < words; i++) {
                float a = u[i][k];
                if (a != 0f) {
                    Mlp.axpy(gk, a, dpre[i]);
                }
            }
        }
        // The character embedding: through W1's rows of the character inputs, shared by the word's keys.
        for (int i = 0; i < words; i++) {
            int[] ids = data.charIds[base + i];
            if (ids.length == 0) {
                continue;
            }
            float inv = 1f / ids.length;
            float[] du = new float[c.charDim()];
            for (int d = 0; d < c.charDim(); d++) {
                float[] r = w1[charOffset + d];
                float sum = 0f;
                for (int k = 0; k < h; k++) {
                    sum += r[k] * dpre[i][k];
                }
                du[d] = sum * inv;
            }
            for (int id : ids) {
                if (g.table[id] == null) {
                    g.table[id] = new float[c.charDim()];
                    g.touched[g.touchedCount++] = id;
                }
                Mlp.axpy(g.table[id], 1f, du);
            }
        }
        return full.logZ() - gold.logZ();
    }

    /** Smallest |pre-activation| of a hidden unit over all words (tests avoid the ReLU's kink). */
    double minAbsPreActivation(int unit) {
        double min = Double.POSITIVE_INFINITY;
        for (int s = 0; s < data.sentences; s++) {
            int words = data.count[s];
            float[][] u = new float[words][in];
            for (int i = 0; i < words; i++) {
                fillInput(s, data.base[s] + i, u[i], null);
            }
            float[][] pre = new float[words][c.hidden()];
            Mlp.affine4(u, 0, words, w1, b1, pre);
            for (float[] p : pre) {
                min = Math.min(min, Math.abs(p[unit]));
            }
        }
        return min;
    }

    /** Input row of word {@code w} of sentence {@code s}: state (input dropout), shape, char embedding, text. */
    private void fillInput(int s, int w, float[] row, SplittableRandom rng) {
        System.arraycopy(data.states, w * dim, row, 0, dim);
        if (rng != null && c.inputDropout() > 0f) {
            float keep = 1f - c.inputDropout();
            float scale = 1f / keep;
            for (int k = 0; k < dim; k++) {
                row[k] = rng.nextFloat() < keep ? row[k] * scale : 0f;
            }
        }
        System.arraycopy(data.shapes, w * WordShape.PER_WORD, row, dim, WordShape.PER_WORD);
        int[] ids = data.charIds[w];
        if (ids.length > 0) {
            float inv = 1f / ids.length;
            for (int id : ids) {
                float[] t = table[id];
                for (int d = 0; d < c.charDim(); d++) {
                    row[charOffset + d] += t[d] * inv;
                }
            }
        }
        System.arraycopy(data.textShapes, s * WordShape.PER_TEXT, row, charOffset + c.charDim(), WordShape.PER_TEXT);
    }

    private static void average(float[][] avg, float[][] w, float decay) {
        for (int i = 0; i < avg.length; i++) {
            average(avg[i], w[i], decay);
        }
    }

    private static void average(float[] avg, float[] w, float decay) {
        float rest = 1f - decay;
        for (int i = 0; i < avg.length; i++) {
            avg[i] = decay * avg[i] + rest * w[i];
        }
    }
}
