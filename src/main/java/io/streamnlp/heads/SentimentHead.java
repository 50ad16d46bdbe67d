package io.streamnlp.heads;

import io.streamnlp.model.SentimentScores;
import io.streamnlp.model.Polarity;
import java.util.List;

/**
 * Negative / neutral / positive from the encoder's pooled, L2-normalised sentence vector: the
 * vector is standardised with the training set's per-dimension mean and spread, then a softmax
 * regression or a one-hidden-layer MLP gives the three probabilities. A few hundred thousand
 * multiply-adds per text at most. Thread-safe (immutable).
 */
public final class SentimentHead {

    public static final String KIND = "sentiment";
    public static final List<String> LABELS = List.of("NEGATIVE", "NEUTRAL", "POSITIVE");

    private final HeadFile file;
    private final float[] mean;
    private final float[] invStd;
    private final Mlp mlp;

    public SentimentHead(HeadFile file) {
        if (!KIND.equals(file.kind())) {
            throw new IllegalArgumentException("Not a sentiment head: " + file.kind());
        }
        if (!LABELS.equals(file.labels())) {
            throw new IllegalArgumentException("Sentiment head labels must be " + LABELS + ", were " + file.labels());
        }
        this.file = file;
        this.mean = file.tensor("mean").data();
        this.invStd = file.tensor("inv_std").data();
        this.mlp = Mlp.from(file);
        if (mlp.inputSize() != mean.length || invStd.length != mean.length || mlp.outputSize() != 3) {
            throw new IllegalArgumentException("Sentiment head " + file.version() + " has inconsistent dimensions");
        }
    }

    public static SentimentHead from(HeadFile file) {
        return new SentimentHead(file);
    }

    /** Goes on every sentiment record, e.g. {@code sentiment-v1-3fa2b1c0}. */
    public String version() {
        return file.version();
    }

    /** Name of the encoder whose sentence vectors this head reads. */
    public String encoder() {
        return file.encoder();
    }

    /** Length of the sentence vector expected. */
    public int dimension() {
        return mean.length;
    }

    HeadFile file() {
        return file;
    }

    /** The three probabilities and the most probable label of one text. */
    public SentimentScores predict(float[] sentenceVector) {
        if (sentenceVector.length != mean.length) {
            throw new IllegalArgumentException("Sentence vector has " + sentenceVector.length
                    + " dimensions; the head of " + file.encoder() + " expects " + mean.length);
        }
        float[][] x = new float[1][mean.length];
        for (int i = 0; i < mean.length; i++) {
            x[0][i] = (sentenceVector[i] - mean[i]) * invStd[i];
        }
        float[] p = mlp.probabilities(x)[0];
        int best = 0;
        for (int c = 1; c < 3; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return new SentimentScores(Polarity.values()[best], p[0], p[1], p[2]);
    }
}
