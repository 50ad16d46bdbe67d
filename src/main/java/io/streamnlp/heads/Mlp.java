package io.streamnlp.heads;

import java.util.List;

/**
 * A feed-forward classifier: either softmax regression ({@code in -> out}) or one hidden ReLU layer
 * ({@code in -> hidden -> out}). Weights are row-major {@code [in x out]}. Plain float loops written
 * so the JIT vectorises them (y += a * row).
 */
public final class Mlp {

    final int in;
    final int hidden; // 0 = no hidden layer
    final int out;
    final float[] w1;
    final float[] b1;
    final float[] w2; // null without hidden layer
    final float[] b2;

    Mlp(int in, int hidden, int out, float[] w1, float[] b1, float[] w2, float[] b2) {
        this.in = in;
        this.hidden = hidden;
        this.out = out;
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
        int firstOut = hidden > 0 ? hidden : out;
        check(w1.length == in * firstOut && b1.length == firstOut, "layer 1");
        if (hidden > 0) {
            check(w2 != null && w2.length == hidden * out && b2.length == out, "layer 2");
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
    static Mlp from(HeadFile file) {
        HeadFile.Tensor w1 = file.tensor("w1");
        HeadFile.Tensor b1 = file.tensor("b1");
        if (file.hasTensor("w2")) {
            HeadFile.Tensor w2 = file.tensor("w2");
            return new Mlp(w1.dim(0), w1.dim(1), w2.dim(1), w1.data(), b1.data(), w2.data(), file.tensor("b2").data());
        }
        return new Mlp(w1.dim(0), 0, w1.dim(1), w1.data(), b1.data(), null, null);
    }

    /** The tensors to write; big matrices as f16 when {@code half}. */
    List<HeadFile.Tensor> tensors(boolean half) {
        int firstOut = hidden > 0 ? hidden : out;
        if (hidden == 0) {
            return List.of(new HeadFile.Tensor("w1", new int[] {in, firstOut}, w1, half),
                    new HeadFile.Tensor("b1", new int[] {firstOut}, b1, false));
        }
        return List.of(new HeadFile.Tensor("w1", new int[] {in, hidden}, w1, half),
                new HeadFile.Tensor("b1", new int[] {hidden}, b1, false),
                new HeadFile.Tensor("w2", new int[] {hidden, out}, w2, half),
                new HeadFile.Tensor("b2", new int[] {out}, b2, false));
    }

    /** Softmax probabilities for {@code rows} inputs laid out flat {@code [rows x in]}; returns {@code [rows x out]}. */
    public float[] probabilities(float[] x, int rows) {
        float[] logits = logits(x, rows);
        for (int r = 0; r < rows; r++) {
            softmax(logits, r * out, out);
        }
        return logits;
    }

    float[] logits(float[] x, int rows) {
        if (hidden == 0) {
            float[] y = new float[rows * out];
            affine(x, rows, in, w1, b1, out, y);
            return y;
        }
        float[] h = new float[rows * hidden];
        affine(x, rows, in, w1, b1, hidden, h);
        relu(h);
        float[] y = new float[rows * out];
        affine(h, rows, hidden, w2, b2, out, y);
        return y;
    }

    /** y[r] = b + x[r] . W, for every row; W is {@code [in x out]}. Streams W once per call. */
    static void affine(float[] x, int rows, int in, float[] w, float[] b, int out, float[] y) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(b, 0, y, r * out, out);
        }
        for (int k = 0; k < in; k++) {
            int wk = k * out;
            for (int r = 0; r < rows; r++) {
                float a = x[r * in + k];
                if (a != 0f) {
                    int yr = r * out;
                    for (int j = 0; j < out; j++) {
                        y[yr + j] += a * w[wk + j];
                    }
                }
            }
        }
    }

    static void relu(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0f) {
                v[i] = 0f;
            }
        }
    }

    static void softmax(float[] v, int from, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, v[from + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(v[from + i] - max);
            v[from + i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) {
            v[from + i] *= inv;
        }
    }
}
