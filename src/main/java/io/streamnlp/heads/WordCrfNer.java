package io.streamnlp.heads;

import io.streamnlp.heads.features.CharFeatures;
import io.streamnlp.heads.features.NameList;
import io.streamnlp.heads.features.NerFeatures;
import io.streamnlp.heads.features.WordShape;
import io.streamnlp.heads.features.Words;
import java.util.Set;

/**
 * The NER head of release 2 ({@code arch = word-crf}): one hidden layer per WORD, a window over the
 * words' hidden vectors, and a linear-chain CRF.
 *
 * <ol>
 *   <li>Per word j, the input is its first word-piece's standardised state (384), its
 *       {@link WordShape} features, the mean embedding of its {@link CharFeatures} keys (cased
 *       character n-grams, lower-cased word, case patterns: what the uncased tokenizer cannot see)
 *       and the text's shape features; {@code h_j = ReLU(W1 u_j + b1)}.</li>
 *   <li>The emission scores of word i sum what every word of the window {@code i-w..i+w} says about
 *       it: {@code e_i = b2 + sum_k V_k h_(i+k)}, with a learned padding score {@code pad_k} where
 *       {@code i+k} is outside the text. Each word's hidden vector is computed once (not once per
 *       window position), so a wider window costs only {@code hidden x tags} per word and slot.</li>
 *   <li>A head with a {@link NameList} (meta {@code names.*}) adds the list's keys to the words of every
 *       listed name it finds.</li>
 *   <li>A CRF ({@link Crf}) with learned start, transition and end scores decodes the tags under the
 *       BIO constraints; the confidence of a span is the mean CRF marginal of its tags.</li>
 * </ol>
 *
 * Tensors: {@code mean}, {@code inv_std}, {@code char_table [buckets][charDim]}, {@code w1 [in][hidden]},
 * {@code b1}, {@code v [hidden][(2w+1) x tags]}, {@code b2}, {@code pad [(2w+1)][tags]},
 * {@code crf_start}, {@code crf_transitions [tags][tags]}, {@code crf_end}.
 */
public final class WordCrfNer {

    static final String ARCH = "word-crf";

    final int dim;
    final float[] mean;
    final float[] invStd;
    final int buckets;
    final int charDim;
    final float[][] charTable;
    final int window;
    final int in;
    final int hidden;
    final float[][] w1;
    final float[] b1;
    final float[][] v;
    final float[] b2;
    final float[][] pad;
    final float[] start;
    final float[][] transitions;
    final float[] end;
    final NameList names; // null: a head without a name list

    WordCrfNer(HeadFile file) {
        this.mean = file.tensor("mean").data();
        this.invStd = file.tensor("inv_std").data();
        this.dim = mean.length;
        if (!CharFeatures.VERSION.equals(file.meta("char.features"))) {
            throw new IllegalArgumentException("NER head " + file.version() + " uses character features v"
                    + file.meta("char.features") + "; this build computes v" + CharFeatures.VERSION);
        }
        this.charTable = rows(file.tensor("char_table"));
        this.buckets = charTable.length;
        this.charDim = charTable[0].length;
        this.window = file.metaInt("window");
        this.w1 = rows(file.tensor("w1"));
        this.b1 = file.tensor("b1").data();
        this.in = w1.length;
        this.hidden = b1.length;
        this.v = rows(file.tensor("v"));
        this.b2 = file.tensor("b2").data();
        this.pad = rows(file.tensor("pad"));
        this.start = file.tensor("crf_start").data();
        this.transitions = rows(file.tensor("crf_transitions"));
        this.end = file.tensor("crf_end").data();
        this.names = NameList.fromMeta(file.meta());
        int tags = BioTags.size();
        int slots = 2 * window + 1;
        if (in != inputSize(dim, charDim) || w1[0].length != hidden || v.length != hidden
                || v[0].length != slots * tags || pad.length != slots || b2.length != tags
                || transitions.length != tags || start.length != tags || end.length != tags) {
            throw new IllegalArgumentException("NER head " + file.version() + " has inconsistent dimensions");
        }
    }

    /** Input size per word: state, word shape, character embedding, text shape. */
    static int inputSize(int dim, int charDim) {
        return dim + WordShape.PER_WORD + charDim + WordShape.PER_TEXT;
    }

    static float[][] rows(HeadFile.Tensor t) {
        int r = t.dim(0);
        int c = t.dim(1);
        float[][] out = new float[r][c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(t.data(), i * c, out[i], 0, c);
        }
        return out;
    }

    /**
     * The per-word input rows {@code [n][in]}: shared by serving and training, so both see the same
     * features. {@code states} are the standardised first-piece states {@code [n x dim]}.
     */
    static float[][] inputs(String text, Words words, float[] states, int dim, float[][] charTable, int charDim,
            NameList names) {
        int n = words.count();
        float[] shapes = WordShape.words(text, words);
        float[] textShape = WordShape.text(text, shapes, n);
        int[][] ids = CharFeatures.ids(text, words, charTable.length);
        if (names != null) {
            ids = names.withKeys(ids, text, words, charTable.length, Set.of());
        }
        float[] chars = CharFeatures.embed(ids, charTable, charDim);
        float[][] rows = new float[n][inputSize(dim, charDim)];
        for (int i = 0; i < n; i++) {
            float[] r = rows[i];
            System.arraycopy(states, i * dim, r, 0, dim);
            System.arraycopy(shapes, i * WordShape.PER_WORD, r, dim, WordShape.PER_WORD);
            System.arraycopy(chars, i * charDim, r, dim + WordShape.PER_WORD, charDim);
            System.arraycopy(textShape, 0, r, dim + WordShape.PER_WORD + charDim, WordShape.PER_TEXT);
        }
        return rows;
    }

    /**
     * Emission scores {@code [n][tags]} from the hidden vectors {@code h [n][hidden]}. Public so that
     * the trainer computes exactly what serving computes.
     */
    public static float[][] emissions(float[][] h, float[][] v, float[] b2, float[][] pad, int window) {
        int n = h.length;
        int tags = b2.length;
        int slots = 2 * window + 1;
        float[][] g = new float[n][slots * tags];
        Mlp.affine4(h, 0, n, v, new float[slots * tags], g);
        float[][] e = new float[n][tags];
        for (int i = 0; i < n; i++) {
            float[] ei = e[i];
            System.arraycopy(b2, 0, ei, 0, tags);
            for (int s = 0; s < slots; s++) {
                int j = i + s - window;
                if (j < 0 || j >= n) {
                    float[] p = pad[s];
                    for (int c = 0; c < tags; c++) {
                        ei[c] += p[c];
                    }
                } else {
                    float[] gj = g[j];
                    int o = s * tags;
                    for (int c = 0; c < tags; c++) {
                        ei[c] += gj[o + c];
                    }
                }
            }
        }
        return e;
    }

    /** Emission scores of one text's words, from their standardised states ({@code NerFeatures.wordStates}). */
    float[][] emissions(String text, Words words, float[] states) {
        int n = words.count();
        float[][] u = inputs(text, words, states, dim, charTable, charDim, names);
        float[][] h = new float[n][hidden];
        Mlp.affine4(u, 0, n, w1, b1, h);
        for (float[] row : h) {
            Mlp.relu(row);
        }
        return emissions(h, v, b2, pad, window);
    }

    /** Tags and their marginal probabilities (for the confidences). */
    float[][] decode(float[][] emissions, int[] tagsOut) {
        int[] tags = Crf.viterbi(emissions, start, transitions, end);
        System.arraycopy(tags, 0, tagsOut, 0, tags.length);
        double[][] m = Crf.forwardBackward(emissions, start, transitions, end, null, null, 0).nodes();
        float[][] probs = new float[m.length][BioTags.size()];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < probs[i].length; j++) {
                probs[i][j] = (float) m[i][j];
            }
        }
        return probs;
    }
}
