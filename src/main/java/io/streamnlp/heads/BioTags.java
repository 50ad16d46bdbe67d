package io.streamnlp.heads;

import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.EntityKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The BIO tag set over the entity types: O, then B-X and I-X for each type. Decoding is Viterbi with
 * hard BIO constraints: a sequence never starts with I-X, and I-X only follows B-X or I-X.
 */
public final class BioTags {

    public static final List<String> LABELS = labels();

    private BioTags() {}

    private static List<String> labels() {
        List<String> labels = new ArrayList<>();
        labels.add("O");
        for (EntityKind type : EntityKind.values()) {
            labels.add("B-" + type);
            labels.add("I-" + type);
        }
        return List.copyOf(labels);
    }

    public static int size() {
        return LABELS.size();
    }

    public static int outside() {
        return 0;
    }

    public static int begin(EntityKind type) {
        return 1 + 2 * type.ordinal();
    }

    public static int inside(EntityKind type) {
        return 2 + 2 * type.ordinal();
    }

    public static boolean isBegin(int tag) {
        return tag > 0 && tag % 2 == 1;
    }

    public static boolean isInside(int tag) {
        return tag > 0 && tag % 2 == 0;
    }

    /** EntitySpan type of a B- or I- tag; null for O. */
    public static EntityKind type(int tag) {
        return tag == 0 ? null : EntityKind.values()[(tag - 1) / 2];
    }

    public static int index(String label) {
        int i = LABELS.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("Unknown tag " + label);
        }
        return i;
    }

    /** May {@code to} follow {@code from}? ({@code from} = -1 at the start of the text.) */
    public static boolean allowed(int from, int to) {
        if (!isInside(to)) {
            return true;
        }
        return from >= 0 && from != 0 && type(from) == type(to);
    }

    /**
     * The most probable tag sequence that respects the BIO constraints.
     *
     * @param probs per word the probability of each tag, {@code [n][size()]}
     */
    public static int[] viterbi(float[][] probs) {
        return viterbi(probs, null, null, 0f);
    }

    /**
     * As {@link #viterbi(float[][])}, adding {@code weight x} log transition and start scores (a tag
     * bigram model of the training data) to the tag log-probabilities; weight 0 = constraints only.
     */
    public static int[] viterbi(float[][] probs, float[][] logTransitions, float[] logStart, float weight) {
        boolean bigram = logTransitions != null && weight != 0f;
        int n = probs.length;
        int t = size();
        int[] path = new int[n];
        if (n == 0) {
            return path;
        }
        double[] score = new double[t];
        double[] next = new double[t];
        int[][] back = new int[n][t];
        for (int j = 0; j < t; j++) {
            score[j] = allowed(-1, j) ? log(probs[0][j]) + (bigram ? weight * logStart[j] : 0)
                    : Double.NEGATIVE_INFINITY;
        }
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < t; j++) {
                double best = Double.NEGATIVE_INFINITY;
                int arg = 0;
                for (int k = 0; k < t; k++) {
                    if (allowed(k, j)) {
                        double s = score[k] + (bigram ? weight * logTransitions[k][j] : 0);
                        if (s > best) {
                            best = s;
                            arg = k;
                        }
                    }
                }
                next[j] = best + log(probs[i][j]);
                back[i][j] = arg;
            }
            double[] swap = score;
            score = next;
            next = swap;
        }
        int best = 0;
        for (int j = 1; j < t; j++) {
            if (score[j] > score[best]) {
                best = j;
            }
        }
        path[n - 1] = best;
        for (int i = n - 1; i > 0; i--) {
            path[i - 1] = back[i][path[i]];
        }
        return path;
    }

    /**
     * Log start and transition probabilities of tag sequences, add-one smoothed over the allowed
     * transitions: {@code [0]} is the start row ({@code [1][size()]}), {@code [1..]} the transitions
     * from each tag.
     */
    public static float[][] bigramLogProbabilities(int[] labels, int[] sentenceStart, int[] sentenceLength) {
        int t = size();
        double[][] counts = new double[t + 1][t];
        for (int s = 0; s < sentenceStart.length; s++) {
            int prev = -1;
            for (int i = 0; i < sentenceLength[s]; i++) {
                int tag = labels[sentenceStart[s] + i];
                counts[prev + 1][tag]++;
                prev = tag;
            }
        }
        float[][] out = new float[t + 1][t];
        for (int from = -1; from < t; from++) {
            double total = 0;
            for (int to = 0; to < t; to++) {
                if (allowed(from, to)) {
                    total += counts[from + 1][to] + 1;
                }
            }
            for (int to = 0; to < t; to++) {
                out[from + 1][to] = allowed(from, to) ? (float) Math.log((counts[from + 1][to] + 1) / total) : -1e9f;
            }
        }
        return out;
    }

    private static double log(float p) {
        return Math.log(Math.max(p, 1e-30f));
    }
}
