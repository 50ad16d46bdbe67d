package io.streamnlp.heads;

import java.util.ArrayList;
import java.util.List;

/**
 * The BIO tag set over the entity types: O, then B-X and I-X for each type. Decoding is Viterbi with
 * hard BIO constraints: a sequence never starts with I-X, and I-X only follows B-X or I-X.
 */
final class BioTags {

    static final List<String> LABELS = labels();

    private BioTags() {}

    private static List<String> labels() {
        List<String> labels = new ArrayList<>();
        labels.add("O");
        for (EntityType type : EntityType.values()) {
            labels.add("B-" + type);
            labels.add("I-" + type);
        }
        return List.copyOf(labels);
    }

    static int size() {
        return LABELS.size();
    }

    static int outside() {
        return 0;
    }

    static int begin(EntityType type) {
        return 1 + 2 * type.ordinal();
    }

    static int inside(EntityType type) {
        return 2 + 2 * type.ordinal();
    }

    static boolean isBegin(int tag) {
        return tag > 0 && tag % 2 == 1;
    }

    static boolean isInside(int tag) {
        return tag > 0 && tag % 2 == 0;
    }

    /** Entity type of a B- or I- tag; null for O. */
    static EntityType type(int tag) {
        return tag == 0 ? null : EntityType.values()[(tag - 1) / 2];
    }

    static int index(String label) {
        int i = LABELS.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("Unknown tag " + label);
        }
        return i;
    }

    /** May {@code to} follow {@code from}? ({@code from} = -1 at the start of the text.) */
    static boolean allowed(int from, int to) {
        if (!isInside(to)) {
            return true;
        }
        return from >= 0 && from != 0 && type(from) == type(to);
    }

    /**
     * The most probable tag sequence that respects the BIO constraints.
     *
     * @param probs per word the probability of each tag, flat {@code [n x size()]}
     */
    static int[] viterbi(float[] probs, int n) {
        int t = size();
        int[] path = new int[n];
        if (n == 0) {
            return path;
        }
        double[] score = new double[t];
        double[] next = new double[t];
        int[][] back = new int[n][t];
        for (int j = 0; j < t; j++) {
            score[j] = allowed(-1, j) ? log(probs[j]) : Double.NEGATIVE_INFINITY;
        }
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < t; j++) {
                double best = Double.NEGATIVE_INFINITY;
                int arg = 0;
                for (int k = 0; k < t; k++) {
                    if (allowed(k, j) && score[k] > best) {
                        best = score[k];
                        arg = k;
                    }
                }
                next[j] = best + log(probs[i * t + j]);
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

    private static double log(float p) {
        return Math.log(Math.max(p, 1e-30f));
    }
}
