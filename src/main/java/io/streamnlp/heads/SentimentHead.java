package io.streamnlp.heads;

import io.streamnlp.heads.features.PooledFeatures;
import io.streamnlp.heads.features.SentimentInput;
import io.streamnlp.inference.EncodedText;
import io.streamnlp.model.SentimentScores;
import io.streamnlp.model.Polarity;
import java.util.List;

/**
 * Negative / neutral / positive from the encoder's pooled, L2-normalised sentence vector: the
 * vector is standardised with the training set's per-dimension mean and spread, then a softmax
 * regression or a one-hidden-layer MLP gives the three probabilities. A few hundred thousand
 * multiply-adds per text at most. Thread-safe (immutable).
 *
 * <p>Release 2 files may carry a {@code logit_bias} tensor (three values added to the logits before
 * the softmax: the calibration of the neutral class, tuned on the model-selection sets) and may read
 * {@link PooledFeatures} ({@code input.kind = pooled3}: the sentence vector, the max over the token
 * states and the first token's state) instead of the sentence vector alone; release 1 files have
 * neither and load as before. A release-2 file may also hold an ensemble ({@code ensemble = K} in its
 * meta): K MLPs over the same input ({@code w1, ...}, then {@code m1.w1, ...}) whose logits are averaged.
 * Release 3 files may read the encoder's intermediate layer as well ({@link SentimentInput}).
 */
public final class SentimentHead {

    public static final String KIND = "sentiment";
    public static final List<String> LABELS = List.of("NEGATIVE", "NEUTRAL", "POSITIVE");

    private final HeadFile file;
    private final float[] mean;
    private final float[] invStd;
    private final Mlp mlp;
    private final Mlp[] members; // the ensemble: mlp, then m1., m2., ... (their logits are averaged)
    private final float[] logitBias; // null: none
    private final SentimentInput input;
    private final int vectorDim;

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
        int ensemble = Integer.parseInt(file.meta().getOrDefault("ensemble", "1"));
        this.members = new Mlp[ensemble];
        members[0] = mlp;
        for (int m = 1; m < ensemble; m++) {
            members[m] = Mlp.from(file, "m" + m + ".");
            if (members[m].inputSize() != mlp.inputSize() || members[m].outputSize() != 3) {
                throw new IllegalArgumentException("Sentiment head " + file.version() + " has inconsistent dimensions");
            }
        }
        this.logitBias = file.hasTensor("logit_bias") ? file.tensor("logit_bias").data() : null;
        String kind = file.meta().getOrDefault("input.kind", "vector");
        try {
            this.input = SentimentInput.of(kind);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Sentiment head " + file.version() + " reads unknown input " + kind, e);
        }
        this.vectorDim = mean.length / input.width(1);
        if (mlp.inputSize() != mean.length || invStd.length != mean.length || mlp.outputSize() != 3
                || (logitBias != null && logitBias.length != 3) || mean.length % input.width(1) != 0) {
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
        return vectorDim;
    }

    /** Does this head need the token states ({@link #predict(EncodedText)}), not just the sentence vector? */
    public boolean readsTokenStates() {
        return input.readsTokenStates();
    }

    /** What this head reads of an encoder output. */
    public SentimentInput input() {
        return input;
    }

    /** The three probabilities of one text from its encoder output (what every caller should use). */
    public SentimentScores predict(EncodedText encoded) {
        return input == SentimentInput.VECTOR ? predict(encoded.sentenceVector()) : scores(input.of(encoded));
    }

    HeadFile file() {
        return file;
    }

    /** The three probabilities and the most probable label of one text. */
    public SentimentScores predict(float[] sentenceVector) {
        if (input != SentimentInput.VECTOR) {
            throw new IllegalStateException("Sentiment head " + file.version()
                    + " reads the token states: call predict(EncodedText)");
        }
        if (sentenceVector.length != mean.length) {
            throw new IllegalArgumentException("Sentence vector has " + sentenceVector.length
                    + " dimensions; the head of " + file.encoder() + " expects " + mean.length);
        }
        return scores(sentenceVector);
    }

    /** Scores of an input row ({@link SentimentInput#of}: the sentence vector, for most heads). */
    public SentimentScores scores(float[] input) {
        return scoresOfLogits(logits(input), logitBias);
    }

    /**
     * The members' mean logits of an input row, before the file's logit bias: what calibration computes
     * once per text and then scores under every candidate bias ({@link #scoresOfLogits}).
     */
    public float[] logits(float[] input) {
        if (input.length != mean.length) {
            throw new IllegalArgumentException("Input has " + input.length + " values; the sentiment head of "
                    + file.encoder() + " expects " + mean.length);
        }
        float[][] x = new float[1][mean.length];
        for (int i = 0; i < mean.length; i++) {
            x[0][i] = (input[i] - mean[i]) * invStd[i];
        }
        float[] p = mlp.logits(x)[0];
        if (members.length > 1) {
            for (int m = 1; m < members.length; m++) {
                float[] q = members[m].logits(x)[0];
                for (int c = 0; c < 3; c++) {
                    p[c] += q[c];
                }
            }
            for (int c = 0; c < 3; c++) {
                p[c] /= members.length;
            }
        }
        return p;
    }

    /** The scores of mean logits under a logit bias ({@code null}: none); {@code logits} is left as it was. */
    public static SentimentScores scoresOfLogits(float[] logits, float[] bias) {
        float[] p = logits.clone();
        if (bias != null) {
            for (int c = 0; c < 3; c++) {
                p[c] += bias[c];
            }
        }
        Mlp.softmax(p);
        int best = 0;
        for (int c = 1; c < 3; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return new SentimentScores(Polarity.values()[best], p[0], p[1], p[2]);
    }
}
