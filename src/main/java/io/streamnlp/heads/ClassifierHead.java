package io.streamnlp.heads;

import io.streamnlp.model.ClassLabel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A classifier over the user's own labels ({@code train --classifier NAME}): the text's pooled, unit-norm
 * sentence vector, standardised with the training set's per-dimension mean and spread, through a softmax
 * regression or a one-hidden-layer MLP ({@link Mlp}). A few thousand to a hundred thousand multiply-adds
 * per text. Immutable and thread-safe.
 *
 * <p>It reads the vector the text's records carry (of a long text in windows: the length-weighted mean of
 * its windows' vectors, normalised again), never the token states, so a result-cache hit, which keeps the
 * vector bit for bit, gets the same label as a fresh pass.
 *
 * <p>Its file ({@code classifier-<name>.bin}, format {@link HeadFile}, kind {@code classifier}) names the
 * classifier, its labels, the encoder and the encoder's fingerprint (meta {@code encoder.fingerprint}), and
 * the SHA-256 of the training files (meta {@code data.digest}).
 */
public final class ClassifierHead {

    public static final String KIND = "classifier";
    /** Meta key: the classifier's name. */
    public static final String NAME = "name";
    /** Meta key: {@code Encoder#fingerprint()} of the encoder it was trained on. */
    public static final String ENCODER_FINGERPRINT = "encoder.fingerprint";
    /** Meta key: the first 16 hex digits of the SHA-256 of its training files, in order. */
    public static final String DATA_DIGEST = "data.digest";
    /** Meta key: {@code softmax} (regression) or {@code mlp}. */
    public static final String ARCH = "arch";
    /** Names a user may give: letters, digits, {@code _ . -}, up to 64, starting with a letter or digit. */
    public static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final HeadFile file;
    private final String name;
    private final float[] mean;
    private final float[] invStd;
    private final Mlp mlp;

    public ClassifierHead(HeadFile file) {
        if (!KIND.equals(file.kind())) {
            throw new IllegalArgumentException("Not a classifier head: " + file.kind());
        }
        this.file = file;
        this.name = file.meta(NAME);
        this.mean = file.tensor("mean").data();
        this.invStd = file.tensor("inv_std").data();
        this.mlp = Mlp.from(file);
        if (file.labels().size() < 2 || mlp.outputSize() != file.labels().size() || mlp.inputSize() != mean.length
                || invStd.length != mean.length) {
            throw new IllegalArgumentException("Classifier head " + file.version() + " has inconsistent dimensions");
        }
    }

    /** The file name of classifier {@code name} in a heads folder. */
    public static String fileName(String name) {
        return "classifier-" + name + ".bin";
    }

    public String name() {
        return name;
    }

    /** Goes on every result, e.g. {@code classifier-tickets-v1-3fa2b1c0}. */
    public String version() {
        return file.version();
    }

    public List<String> labels() {
        return file.labels();
    }

    /** Name of the encoder whose vectors it reads. */
    public String encoder() {
        return file.encoder();
    }

    /** Fingerprint of the encoder it was trained on. */
    public String encoderFingerprint() {
        return file.meta(ENCODER_FINGERPRINT);
    }

    /** Length of the sentence vector expected. */
    public int dimension() {
        return mean.length;
    }

    public HeadFile file() {
        return file;
    }

    /** Probabilities over {@link #labels()} for one sentence vector. */
    public float[] probabilities(float[] vector) {
        if (vector.length != mean.length) {
            throw new IllegalArgumentException("Sentence vector has " + vector.length + " dimensions; classifier "
                    + name + " expects " + mean.length);
        }
        float[][] x = new float[1][mean.length];
        for (int i = 0; i < mean.length; i++) {
            x[0][i] = (vector[i] - mean[i]) * invStd[i];
        }
        return mlp.probabilities(x)[0];
    }

    /** The most probable label, every label's probability and this head's version. */
    public ClassLabel classify(float[] vector) {
        float[] p = probabilities(vector);
        List<String> labels = file.labels();
        Map<String, Float> byLabel = new LinkedHashMap<>();
        int best = 0;
        for (int c = 0; c < p.length; c++) {
            byLabel.put(labels.get(c), p[c]);
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return new ClassLabel(labels.get(best), byLabel, file.version());
    }
}
