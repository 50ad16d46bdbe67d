package io.streamnlp.heads.features;

import io.streamnlp.inference.EncodedText;
import java.util.Arrays;

/**
 * Sentence-level inputs a sentiment head may read besides the pooled sentence vector, computed
 * identically at training and serving time from the same encoder pass:
 * {@code [sentence vector | max over the token states | first token's state]} ({@code 3 x dim}).
 */
public final class PooledFeatures {

    private PooledFeatures() {}

    public static float[] of(EncodedText e) {
        int dim = e.dimension();
        float[] out = new float[3 * dim];
        System.arraycopy(e.sentenceVector(), 0, out, 0, dim);
        float[] states = e.tokenStates();
        int n = e.tokenCount();
        if (n == 0) {
            return out;
        }
        Arrays.fill(out, dim, 2 * dim, Float.NEGATIVE_INFINITY);
        for (int t = 0; t < n; t++) {
            int o = t * dim;
            for (int d = 0; d < dim; d++) {
                float v = states[o + d];
                if (v > out[dim + d]) {
                    out[dim + d] = v;
                }
            }
        }
        System.arraycopy(states, 0, out, 2 * dim, dim);
        return out;
    }
}
