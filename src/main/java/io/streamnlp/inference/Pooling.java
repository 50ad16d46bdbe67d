package io.streamnlp.inference;

/**
 * How token states become one sentence vector. Which one is right is a property of how the encoder
 * was trained: MiniLM and e5 were trained with mean pooling, bge with the [CLS] state.
 */
public enum Pooling {
    /** Average of the token states where the attention mask is 1. */
    MEAN,
    /** The state of the first token ([CLS]). */
    CLS;

    /**
     * Pools one sequence out of a flat [batch, seq, dim] buffer and L2-normalises the result.
     *
     * @param hidden flat last_hidden_state of the whole batch
     * @param row which sequence of the batch
     * @param seqLen padded sequence length of the batch
     * @param dim hidden size
     * @param realTokens tokens of this sequence whose attention mask is 1 (they come first)
     */
    public float[] pool(float[] hidden, int row, int seqLen, int dim, int realTokens) {
        float[] out = new float[dim];
        int base = row * seqLen * dim;
        if (this == CLS) {
            System.arraycopy(hidden, base, out, 0, dim);
        } else {
            for (int t = 0; t < realTokens; t++) {
                int offset = base + t * dim;
                for (int d = 0; d < dim; d++) {
                    out[d] += hidden[offset + d];
                }
            }
            float inv = 1f / Math.max(1, realTokens);
            for (int d = 0; d < dim; d++) {
                out[d] *= inv;
            }
        }
        return l2Normalize(out);
    }

    /** Scales the vector to unit length in place, so cosine similarity is a dot product. */
    public static float[] l2Normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum > 0) {
            float inv = (float) (1.0 / Math.sqrt(sum));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }

    /** Dot product; the cosine similarity of two unit vectors. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot;
    }
}
