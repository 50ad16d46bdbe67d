package io.streamnlp.heads;

/**
 * A linear-chain conditional random field over the BIO tags: a text's score is the sum of its
 * per-word emission scores, a start score for its first tag, a transition score for every pair of
 * neighbouring tags and an end score for its last tag. Sequences that break the BIO constraints
 * ({@link BioTags#allowed}) have no score. Viterbi decodes; the forward-backward algorithm gives the
 * log partition function and the marginals (training and confidences). Optionally restricted per word
 * to a set of tags (a bit mask): the partition function of the sequences a partially labelled text
 * allows.
 */
public final class Crf {

    private Crf() {}

    private static final double NEG = Double.NEGATIVE_INFINITY;

    /** The best tag sequence. */
    public static int[] viterbi(float[][] emissions, float[] start, float[][] transitions, float[] end) {
        int n = emissions.length;
        int t = BioTags.size();
        int[] path = new int[n];
        if (n == 0) {
            return path;
        }
        double[] score = new double[t];
        double[] next = new double[t];
        int[][] back = new int[n][t];
        for (int j = 0; j < t; j++) {
            score[j] = BioTags.allowed(-1, j) ? start[j] + emissions[0][j] : NEG;
        }
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < t; j++) {
                double best = NEG;
                int arg = 0;
                for (int k = 0; k < t; k++) {
                    if (score[k] != NEG && BioTags.allowed(k, j)) {
                        double s = score[k] + transitions[k][j];
                        if (s > best) {
                            best = s;
                            arg = k;
                        }
                    }
                }
                next[j] = best + emissions[i][j];
                back[i][j] = arg;
            }
            double[] swap = score;
            score = next;
            next = swap;
        }
        int best = -1;
        double bestScore = NEG;
        for (int j = 0; j < t; j++) {
            double s = score[j] + end[j];
            if (best < 0 || s > bestScore) {
                best = j;
                bestScore = s;
            }
        }
        path[n - 1] = best;
        for (int i = n - 1; i > 0; i--) {
            path[i - 1] = back[i][path[i]];
        }
        return path;
    }

    /** Result of forward-backward: {@code log Z} and the per-word tag marginals {@code [n][tags]}. */
    public record Marginals(double logZ, double[][] nodes) {}

    /**
     * Forward-backward, scaled in probability space (one exponential per word and tag: cheap enough
     * for every text at serving time).
     *
     * @param masks per word the allowed tags as a bit mask (bit j = tag j), or null: all tags
     * @param edgeMarginals if not null, {@code [tags][tags]}: the expected count of each transition
     *     is ADDED to it, times {@code edgeScale}
     */
    public static Marginals forwardBackward(float[][] emissions, float[] start, float[][] transitions, float[] end,
            int[] masks, double[][] edgeMarginals, double edgeScale) {
        int n = emissions.length;
        int t = BioTags.size();
        double[][] trans = new double[t][t];
        double[] startE = new double[t];
        double[] endE = new double[t];
        for (int k = 0; k < t; k++) {
            startE[k] = BioTags.allowed(-1, k) ? Math.exp(start[k]) : 0;
            endE[k] = Math.exp(end[k]);
            for (int j = 0; j < t; j++) {
                trans[k][j] = BioTags.allowed(k, j) ? Math.exp(transitions[k][j]) : 0;
            }
        }
        double logZ = 0;
        double[][] em = new double[n][t];
        for (int i = 0; i < n; i++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < t; j++) {
                if (allowedAt(masks, i, j)) {
                    max = Math.max(max, emissions[i][j]);
                }
            }
            logZ += max;
            for (int j = 0; j < t; j++) {
                em[i][j] = allowedAt(masks, i, j) ? Math.exp(emissions[i][j] - max) : 0;
            }
        }
        double[][] alpha = new double[n][t];
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < t; j++) {
                double a;
                if (i == 0) {
                    a = startE[j];
                } else {
                    a = 0;
                    double[] prev = alpha[i - 1];
                    for (int k = 0; k < t; k++) {
                        a += prev[k] * trans[k][j];
                    }
                }
                a *= em[i][j];
                alpha[i][j] = a;
                sum += a;
            }
            if (sum <= 0) {
                throw new IllegalArgumentException("No tag sequence is allowed");
            }
            scale[i] = sum;
            logZ += Math.log(sum);
            for (int j = 0; j < t; j++) {
                alpha[i][j] /= sum;
            }
        }
        double total = 0;
        for (int j = 0; j < t; j++) {
            total += alpha[n - 1][j] * endE[j];
        }
        logZ += Math.log(total);
        double[][] beta = new double[n][t];
        System.arraycopy(endE, 0, beta[n - 1], 0, t);
        for (int i = n - 2; i >= 0; i--) {
            double[] nb = beta[i + 1];
            double[] ne = em[i + 1];
            double c = scale[i + 1];
            for (int k = 0; k < t; k++) {
                double b = 0;
                double[] tk = trans[k];
                for (int j = 0; j < t; j++) {
                    b += tk[j] * ne[j] * nb[j];
                }
                beta[i][k] = b / c;
            }
        }
        double[][] nodes = new double[n][t];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                nodes[i][j] = alpha[i][j] * beta[i][j] / total;
            }
        }
        if (edgeMarginals != null) {
            for (int i = 1; i < n; i++) {
                double f = edgeScale / (scale[i] * total);
                for (int k = 0; k < t; k++) {
                    double a = alpha[i - 1][k];
                    if (a == 0) {
                        continue;
                    }
                    for (int j = 0; j < t; j++) {
                        double x = trans[k][j] * em[i][j] * beta[i][j];
                        if (x != 0) {
                            edgeMarginals[k][j] += f * a * x;
                        }
                    }
                }
            }
        }
        return new Marginals(logZ, nodes);
    }

    private static boolean allowedAt(int[] masks, int i, int tag) {
        return masks == null || (masks[i] >> tag & 1) != 0;
    }
}
