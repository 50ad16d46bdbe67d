package io.streamnlp.heads;

import java.util.List;

/**
 * A feed-forward classifier: either softmax regression ({@code in -> out}) or one hidden ReLU layer
 * ({@code in -> hidden -> out}). Weights are kept as one array per input row ({@code w[in][out]}) and
 * activations as one array per example: the inner loops ({@code y += a * row}) then run over whole
 * arrays from index 0, which HotSpot's C2 compiles to SIMD code (measured about 4x faster than the
 * same loop at a varying offset into one flat array).
 */
public final class Mlp {

    public final int in;
    public final int hidden; // 0 = no hidden layer
    public final int out;
    public final float[][] w1;
    public final float[] b1;
    public final float[][] w2; // null without hidden layer
    public final float[] b2;

    public Mlp(int in, int hidden, int out, float[][] w1, float[] b1, float[][] w2, float[] b2) {
        this.in = in;
        this.hidden = hidden;
        this.out = out;
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
        int firstOut = hidden > 0 ? hidden : out;
        check(w1.length == in && (in == 0 || w1[0].length == firstOut) && b1.length == firstOut, "layer 1");
        if (hidden > 0) {
            check(w2 != null && w2.length == hidden && w2[0].length == out && b2.length == out, "layer 2");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("Inconsistent MLP dimensions in " + what);
        }
    }

    public int inputSize() {
        return in;
    }

    public int outputSize() {
        return out;
    }

    /** Reads {@code w1,b1[,w2,b2]} from a head file. */
    public static Mlp from(HeadFile file) {
        return from(file, "");
    }

    /** Reads {@code <prefix>w1,<prefix>b1[,<prefix>w2,<prefix>b2]} (an ensemble member: prefix {@code m1.}). */
    public static Mlp from(HeadFile file, String prefix) {
        HeadFile.Tensor w1 = file.tensor(prefix + "w1");
        HeadFile.Tensor b1 = file.tensor(prefix + "b1");
        if (file.hasTensor(prefix + "w2")) {
            HeadFile.Tensor w2 = file.tensor(prefix + "w2");
            return new Mlp(w1.dim(0), w1.dim(1), w2.dim(1), rows(w1), b1.data(), rows(w2),
                    file.tensor(prefix + "b2").data());
        }
        return new Mlp(w1.dim(0), 0, w1.dim(1), rows(w1), b1.data(), null, null);
    }

    private static float[][] rows(HeadFile.Tensor t) {
        int r = t.dim(0);
        int c = t.dim(1);
        float[][] out = new float[r][c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(t.data(), i * c, out[i], 0, c);
        }
        return out;
    }

    private static float[] flat(float[][] m) {
        int c = m.length == 0 ? 0 : m[0].length;
        float[] out = new float[m.length * c];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, out, i * c, c);
        }
        return out;
    }

    /** The tensors to write; the weight matrices as f16 when {@code half}. */
    public List<HeadFile.Tensor> tensors(boolean half) {
        return tensors(half, "");
    }

    /** As {@link #tensors(boolean)}, the names prefixed (ensemble members after the first: {@code m1.}, ...). */
    public List<HeadFile.Tensor> tensors(boolean half, String prefix) {
        int firstOut = hidden > 0 ? hidden : out;
        if (hidden == 0) {
            return List.of(new HeadFile.Tensor(prefix + "w1", new int[] {in, firstOut}, flat(w1), half),
                    new HeadFile.Tensor(prefix + "b1", new int[] {firstOut}, b1.clone(), false));
        }
        return List.of(new HeadFile.Tensor(prefix + "w1", new int[] {in, hidden}, flat(w1), half),
                new HeadFile.Tensor(prefix + "b1", new int[] {hidden}, b1.clone(), false),
                new HeadFile.Tensor(prefix + "w2", new int[] {hidden, out}, flat(w2), half),
                new HeadFile.Tensor(prefix + "b2", new int[] {out}, b2.clone(), false));
    }

    public Mlp copy() {
        return new Mlp(in, hidden, out, deepCopy(w1), b1.clone(), w2 == null ? null : deepCopy(w2),
                b2 == null ? null : b2.clone());
    }

    private static float[][] deepCopy(float[][] m) {
        float[][] c = new float[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    /** Softmax probabilities, one row per input row. */
    public float[][] probabilities(float[][] x) {
        float[][] logits = logits(x);
        for (float[] row : logits) {
            softmax(row);
        }
        return logits;
    }

    /** Logits, one row per input row: the serving path of the sentiment and classifier heads. */
    public float[][] logits(float[][] x) {
        int rows = x.length;
        if (hidden == 0) {
            float[][] y = new float[rows][out];
            affine4(x, 0, rows, w1, b1, y);
            return y;
        }
        float[][] h = new float[rows][hidden];
        affine4(x, 0, rows, w1, b1, h);
        for (float[] row : h) {
            relu(row);
        }
        float[][] y = new float[rows][out];
        affine4(h, 0, rows, w2, b2, y);
        return y;
    }

    /**
     * {@code y[r] = b + x[r] . W} for rows {@code [from, to)}; W is {@code [in][out]}. Each row of W is
     * loaded once and applied to every example (k outer, examples inner).
     */
    public static void affine(float[][] x, int from, int to, float[][] w, float[] b, float[][] y) {
        for (int r = from; r < to; r++) {
            System.arraycopy(b, 0, y[r], 0, b.length);
        }
        int in = w.length;
        for (int k = 0; k < in; k++) {
            float[] wk = w[k];
            for (int r = from; r < to; r++) {
                float a = x[r][k];
                if (a != 0f) {
                    axpy(y[r], a, wk);
                }
            }
        }
    }

    /**
     * As {@link #affine}, four rows of W at a time ({@code y += a0 w0 + a1 w1 + a2 w2 + a3 w3}): a
     * quarter of the loads and stores of {@code y}, about twice as fast for the small outputs of the
     * release-2 NER head, and 15 % off the sentiment head's one-row products ({@link #logits}). The
     * sums are rounded in another order than {@link #affine}'s (the trainers' batched forward pass):
     * the figures a trainer reports on dev and held-out data come from the serving path
     * ({@link #logits}, {@code WordCrfNer.emissions}), so they are the served model's.
     */
    public static void affine4(float[][] x, int from, int to, float[][] w, float[] b, float[][] y) {
        for (int r = from; r < to; r++) {
            System.arraycopy(b, 0, y[r], 0, b.length);
        }
        int in = w.length;
        int k = 0;
        for (; k + 4 <= in; k += 4) {
            float[] w0 = w[k];
            float[] w1 = w[k + 1];
            float[] w2 = w[k + 2];
            float[] w3 = w[k + 3];
            for (int r = from; r < to; r++) {
                float[] xr = x[r];
                float a0 = xr[k];
                float a1 = xr[k + 1];
                float a2 = xr[k + 2];
                float a3 = xr[k + 3];
                float[] yr = y[r];
                for (int j = 0; j < yr.length; j++) {
                    yr[j] += a0 * w0[j] + a1 * w1[j] + a2 * w2[j] + a3 * w3[j];
                }
            }
        }
        for (; k < in; k++) {
            float[] wk = w[k];
            for (int r = from; r < to; r++) {
                float a = x[r][k];
                if (a != 0f) {
                    axpy(y[r], a, wk);
                }
            }
        }
    }

    /** y += a * v over the whole of y (v at least as long). */
    public static void axpy(float[] y, float a, float[] v) {
        for (int j = 0; j < y.length; j++) {
            y[j] += a * v[j];
        }
    }

    /**
     * max(0, x) in place. {@code Math.max} rather than a branch: C2 compiles it to SIMD max
     * instructions, where the branch, taken about half the time, mispredicted (7 % of the NER head's
     * time in a profile). Results are the same but for the sign of a zero, which no later sum sees.
     */
    public static void relu(float[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(v[i], 0f);
        }
    }

    public static void softmax(float[] v) {
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            float e = (float) Math.exp(v[i] - max);
            v[i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
    }
}
