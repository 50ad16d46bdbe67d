package io.streamnlp.heads.features;

import io.streamnlp.inference.EncodedText;

/**
 * The NER head's input row of each word: for every position of a window of +-{@code window} words
 * around it, the standardised encoder state of that word's first word-piece, its shape features and a
 * "no word here" flag; then the text-level shape features.
 */
public final class NerFeatures {

    private NerFeatures() {}

    public static int slotSize(int dim) {
        return dim + WordShape.PER_WORD + 1;
    }

    public static int rowSize(int dim, int window) {
        return (2 * window + 1) * slotSize(dim) + WordShape.PER_TEXT;
    }

    /** First-piece state of each word ({@code which} layers), standardised: flat {@code [words x dim]}. */
    public static float[] wordStates(EncodedText encoded, NerStates which, Words words, float[] mean, float[] invStd) {
        int dim = encoded.dimension();
        int n = words.count();
        float[] out = new float[n * dim];
        float[] states = encoded.tokenStates();
        // Only the words' first pieces are mixed, not every token of the text (the per-record path).
        float[] middle = which.intermediateOf(encoded);
        for (int i = 0; i < n; i++) {
            int t = words.firstPiece(i);
            int src = t * dim;
            int dst = i * dim;
            for (int d = 0; d < dim; d++) {
                float state = middle == null ? states[src + d] : NerStates.mix(states[src + d], middle[src + d]);
                out[dst + d] = (state - mean[d]) * invStd[d];
            }
        }
        return out;
    }

    /**
     * Writes the row of word {@code i} of a text with {@code n} words into {@code row} at
     * {@code offset}. The text's words are {@code base .. base + n - 1} of {@code states} ({@code [* x dim]})
     * and {@code shapes} ({@code [* x PER_WORD]}); its text features are at {@code textOffset} of {@code textShape}.
     */
    public static void row(float[] states, float[] shapes, int base, int i, int n, int dim, int window,
            float[] textShape, int textOffset, float[] row, int offset) {
        int slot = slotSize(dim);
        int o = offset;
        for (int k = -window; k <= window; k++) {
            int j = i + k;
            if (j < 0 || j >= n) {
                java.util.Arrays.fill(row, o, o + slot, 0f);
                row[o + slot - 1] = 1f;
            } else {
                System.arraycopy(states, (base + j) * dim, row, o, dim);
                System.arraycopy(shapes, (base + j) * WordShape.PER_WORD, row, o + dim, WordShape.PER_WORD);
                row[o + slot - 1] = 0f;
            }
            o += slot;
        }
        System.arraycopy(textShape, textOffset, row, o, WordShape.PER_TEXT);
    }

    /** All rows of one text, {@code [words][rowSize]}. */
    public static float[][] rows(int n, int dim, int window, float[] states, float[] shapes, float[] textShape) {
        float[][] rows = new float[n][rowSize(dim, window)];
        for (int i = 0; i < n; i++) {
            row(states, shapes, 0, i, n, dim, window, textShape, 0, rows[i], 0);
        }
        return rows;
    }
}
