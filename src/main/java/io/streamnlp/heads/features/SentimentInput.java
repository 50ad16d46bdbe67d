package io.streamnlp.heads.features;

import io.streamnlp.inference.EncodedText;
import java.util.Locale;

/**
 * What a sentiment head reads of one encoder output. A head file names its choice (meta
 * {@code input.kind}; absent: {@link #VECTOR}), and training and serving both build the row here, so
 * they see the same numbers. The layer kinds read the intermediate layer the NER head reads too
 * ({@code EncoderSpec.intermediateOutput}): the same forward pass computes it, so they cost the encoder
 * nothing, and the embedding the records carry stays the sentence vector.
 *
 * <p>Training keeps, per text, the three {@link #pooledLayers pooled layers} (the sentence vector, the
 * mean of the last layer's token states, the mean of the intermediate layer's); every layer kind is a
 * function of those ({@link #fromPooledLayers}), so one encoding serves them all.
 */
public enum SentimentInput {
    /** The pooled, L2-normalised sentence vector ({@code dim}). */
    VECTOR("vector"),
    /** {@link PooledFeatures}: the sentence vector, the max over the token states, the first token's state. */
    POOLED3("pooled3"),
    /** The sentence vector beside the L2-normalised mean of the intermediate layer's token states ({@code 2 x dim}). */
    VECTOR_AND_INTERMEDIATE("vector+intermediate"),
    /** The L2-normalised mean over the tokens of (last + intermediate) / 2, the NER head's mix ({@code dim}). */
    MEAN_OF_LAST_AND_INTERMEDIATE("mean-last-intermediate");

    private final String settingName;

    SentimentInput(String settingName) {
        this.settingName = settingName;
    }

    /** The value in a head file's {@code input.kind} and in {@code train --sentiment-input}. */
    public String settingName() {
        return settingName;
    }

    /** Whether the encoder must expose an intermediate layer. */
    public boolean needsIntermediate() {
        return this == VECTOR_AND_INTERMEDIATE || this == MEAN_OF_LAST_AND_INTERMEDIATE;
    }

    /** Whether the row needs more than the sentence vector. */
    public boolean readsTokenStates() {
        return this != VECTOR;
    }

    /** Length of the row for an encoder of hidden size {@code dim}. */
    public int width(int dim) {
        return switch (this) {
            case VECTOR, MEAN_OF_LAST_AND_INTERMEDIATE -> dim;
            case POOLED3 -> 3 * dim;
            case VECTOR_AND_INTERMEDIATE -> 2 * dim;
        };
    }

    /** The row this input reads of {@code encoded}. */
    public float[] of(EncodedText encoded) {
        return switch (this) {
            case VECTOR -> encoded.sentenceVector();
            case POOLED3 -> PooledFeatures.of(encoded);
            case VECTOR_AND_INTERMEDIATE -> vectorAndIntermediate(encoded);
            case MEAN_OF_LAST_AND_INTERMEDIATE -> fromPooledLayers(pooledLayers(encoded), encoded.dimension());
        };
    }

    /**
     * The per-record path of the shipped kind: only the intermediate layer's mean, not the last layer's too
     * (which {@link #pooledLayers} computes for the training cache). Same arithmetic as
     * {@link #fromPooledLayers}, so the rows are equal ({@code SentimentInputTest}).
     */
    private static float[] vectorAndIntermediate(EncodedText encoded) {
        int dim = encoded.dimension();
        float[] row = new float[2 * dim];
        System.arraycopy(encoded.sentenceVector(), 0, row, 0, dim);
        meanInto(intermediateOf(encoded), dim, row, dim);
        normalise(row, dim, dim);
        return row;
    }

    private static float[] intermediateOf(EncodedText encoded) {
        float[] middle = encoded.intermediateStates();
        if (middle == null) {
            throw new IllegalArgumentException("The sentiment head reads an intermediate layer; this encoder output has none");
        }
        return middle;
    }

    /**
     * {@code [sentence vector | mean of the last layer's token states | mean of the intermediate layer's]}
     * ({@code 3 x dim}, the means not normalised): what the training cache keeps for the layer kinds.
     */
    public static float[] pooledLayers(EncodedText encoded) {
        int dim = encoded.dimension();
        float[] middle = intermediateOf(encoded);
        float[] out = new float[3 * dim];
        System.arraycopy(encoded.sentenceVector(), 0, out, 0, dim);
        meanInto(encoded.tokenStates(), dim, out, dim);
        meanInto(middle, dim, out, 2 * dim);
        return out;
    }

    /** The row of a layer kind from {@link #pooledLayers} (the one formula training and serving share). */
    public float[] fromPooledLayers(float[] layers, int dim) {
        float[] row = new float[width(dim)];
        switch (this) {
            case VECTOR_AND_INTERMEDIATE -> {
                System.arraycopy(layers, 0, row, 0, dim);
                System.arraycopy(layers, 2 * dim, row, dim, dim);
                normalise(row, dim, dim);
            }
            case MEAN_OF_LAST_AND_INTERMEDIATE -> {
                for (int d = 0; d < dim; d++) {
                    row[d] = (layers[dim + d] + layers[2 * dim + d]) * 0.5f;
                }
                normalise(row, 0, dim);
            }
            default -> throw new IllegalStateException(settingName + " is not a layer kind");
        }
        return row;
    }

    private static void meanInto(float[] states, int dim, float[] out, int offset) {
        int tokens = states.length / dim;
        if (tokens == 0) {
            return;
        }
        double[] sum = new double[dim];
        for (int t = 0; t < tokens; t++) {
            int o = t * dim;
            for (int d = 0; d < dim; d++) {
                sum[d] += states[o + d];
            }
        }
        for (int d = 0; d < dim; d++) {
            out[offset + d] = (float) (sum[d] / tokens);
        }
    }

    private static void normalise(float[] v, int offset, int length) {
        double norm = 0;
        for (int d = offset; d < offset + length; d++) {
            norm += (double) v[d] * v[d];
        }
        if (norm > 0) {
            float inv = (float) (1.0 / Math.sqrt(norm));
            for (int d = offset; d < offset + length; d++) {
                v[d] *= inv;
            }
        }
    }

    /** The input named {@code name} (any case). */
    public static SentimentInput of(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (SentimentInput input : values()) {
            if (input.settingName.equals(wanted)) {
                return input;
            }
        }
        throw new IllegalArgumentException("Sentiment input must be vector, pooled3, vector+intermediate or "
                + "mean-last-intermediate, got '" + name + "'");
    }
}
