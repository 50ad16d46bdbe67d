package io.streamnlp.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The CRF against brute force over every tag sequence of short texts. */
class CrfTest {

    private static final int T = BioTags.size();

    private record Model(float[][] e, float[] start, float[][] trans, float[] end) {}

    private static Model random(int n, long seed) {
        Random r = new Random(seed);
        float[][] e = new float[n][T];
        for (float[] row : e) {
            for (int j = 0; j < T; j++) {
                row[j] = (float) (r.nextGaussian() * 2);
            }
        }
        float[] start = new float[T];
        float[] end = new float[T];
        float[][] trans = new float[T][T];
        for (int j = 0; j < T; j++) {
            start[j] = (float) r.nextGaussian();
            end[j] = (float) r.nextGaussian();
            for (int k = 0; k < T; k++) {
                trans[j][k] = (float) r.nextGaussian();
            }
        }
        return new Model(e, start, trans, end);
    }

    /** Score of a sequence, or NaN when it breaks the BIO constraints or a mask. */
    private static double score(Model m, int[] tags, int[] masks) {
        double s = 0;
        for (int i = 0; i < tags.length; i++) {
            if (!BioTags.allowed(i == 0 ? -1 : tags[i - 1], tags[i]) || (masks != null && (masks[i] >> tags[i] & 1) == 0)) {
                return Double.NaN;
            }
            s += m.e()[i][tags[i]] + (i == 0 ? m.start()[tags[i]] : m.trans()[tags[i - 1]][tags[i]]);
        }
        return s + m.end()[tags[tags.length - 1]];
    }

    private interface Visitor {
        void visit(int[] tags);
    }

    private static void forEachSequence(int n, Visitor v) {
        int[] tags = new int[n];
        long total = (long) Math.pow(T, n);
        for (long code = 0; code < total; code++) {
            long c = code;
            for (int i = 0; i < n; i++) {
                tags[i] = (int) (c % T);
                c /= T;
            }
            v.visit(tags);
        }
    }

    @Test
    void viterbiFindsTheBestAllowedSequence() {
        for (long seed = 0; seed < 5; seed++) {
            Model m = random(4, seed);
            double[] best = {Double.NEGATIVE_INFINITY};
            forEachSequence(4, tags -> {
                double s = score(m, tags, null);
                if (!Double.isNaN(s) && s > best[0]) {
                    best[0] = s;
                }
            });
            int[] path = Crf.viterbi(m.e(), m.start(), m.trans(), m.end());
            assertThat(score(m, path, null)).isCloseTo(best[0], within(1e-4));
        }
    }

    @Test
    void forwardBackwardGivesTheLogPartitionAndMarginals() {
        int n = 4;
        for (long seed = 0; seed < 3; seed++) {
            Model m = random(n, seed);
            // A mask: word 1 must be O or B-MISC / I-MISC, word 2 must be B-PER.
            int misc = 1 << BioTags.index("B-MISC") | 1 << BioTags.index("I-MISC");
            int[] masks = {(1 << T) - 1, 1 | misc, 1 << BioTags.index("B-PER"), (1 << T) - 1};
            for (int[] mk : new int[][] {null, masks}) {
                double[] z = {0};
                double[][] marg = new double[n][T];
                double[][] edges = new double[T][T];
                forEachSequence(n, tags -> {
                    double s = score(m, tags, mk);
                    if (!Double.isNaN(s)) {
                        double p = Math.exp(s);
                        z[0] += p;
                        for (int i = 0; i < n; i++) {
                            marg[i][tags[i]] += p;
                            if (i > 0) {
                                edges[tags[i - 1]][tags[i]] += p;
                            }
                        }
                    }
                });
                double[][] edgeOut = new double[T][T];
                Crf.Marginals r = Crf.forwardBackward(m.e(), m.start(), m.trans(), m.end(), mk, edgeOut, 2.0);
                assertThat(r.logZ()).isCloseTo(Math.log(z[0]), within(1e-6));
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < T; j++) {
                        assertThat(r.nodes()[i][j]).isCloseTo(marg[i][j] / z[0], within(1e-6));
                    }
                }
                for (int a = 0; a < T; a++) {
                    for (int b = 0; b < T; b++) {
                        assertThat(edgeOut[a][b]).isCloseTo(2.0 * edges[a][b] / z[0], within(1e-6));
                    }
                }
            }
        }
    }
}
