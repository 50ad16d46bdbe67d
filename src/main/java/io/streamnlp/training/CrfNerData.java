package io.streamnlp.training;

import io.streamnlp.heads.BioTags;
import io.streamnlp.heads.features.CharFeatures;
import io.streamnlp.heads.features.WordShape;
import io.streamnlp.heads.features.Words;
import io.streamnlp.inference.EncodedText;
import io.streamnlp.inference.TokenizedText;
import io.streamnlp.model.EntityKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training words of the release-2 NER head, flat: per word its first word-piece state, word
 * shape, character-feature ids, gold tag and the mask of the tags it allows; per sentence its text
 * shape and weight. Words are the tokenizer's (see {@link Words}); a CoNLL token may hold several
 * (U.S. is U . S .): the first takes the token's tag, the others continue its entity (I-X) or stay O.
 *
 * <p>Partial labels: a set that does not annotate MISC (BTC, UNER-EWT) or annotates only part of it
 * (WNUT-17: products and creative works) may have a CoNLL MISC entity (a nationality, an event) on a
 * word it tags O, so such a word allows O, B-MISC and I-MISC; the CRF is trained on the likelihood of
 * all the sequences a sentence allows.
 */
final class CrfNerData {

    final int dim;
    final int sentences;
    final int[] base;
    final int[] count;
    final float[] states;
    final float[] shapes;
    final float[] textShapes;
    final int[][] charIds;
    final int[] labels;
    final int[] masks;
    final float[] weights;
    final List<String> corpusOf;

    private CrfNerData(int dim, int[] base, int[] count, float[] states, float[] shapes, float[] textShapes,
            int[][] charIds, int[] labels, int[] masks, float[] weights, List<String> corpusOf) {
        this.dim = dim;
        this.sentences = base.length;
        this.base = base;
        this.count = count;
        this.states = states;
        this.shapes = shapes;
        this.textShapes = textShapes;
        this.charIds = charIds;
        this.labels = labels;
        this.masks = masks;
        this.weights = weights;
        this.corpusOf = corpusOf;
    }

    int words() {
        return labels.length;
    }

    /** One corpus with its encodings (of ALL its sentences, in file order) and its weight. */
    record Part(DataSets.NerCorpus corpus, FeatureCache.Encoded encoded, float weight, boolean oMayBeMisc) {}

    /** @param names the name list and which names each sentence may match, or null for none */
    static CrfNerData build(List<Part> parts, int buckets, NameListBuilder names) {
        int dim = -1;
        int sentences = 0;
        int total = 0;
        for (Part p : parts) {
            for (int s = 0; s < p.corpus().sentences().size(); s++) {
                if (p.corpus().use()[s]) {
                    sentences++;
                    total += Words.of(p.corpus().sentences().get(s).text(), p.encoded().tokens().get(s)).count();
                }
            }
            if (p.encoded().encoded().length > 0) {
                dim = p.encoded().encoded()[0].dimension();
            }
        }
        int[] base = new int[sentences];
        int[] count = new int[sentences];
        float[] states = new float[total * dim];
        float[] shapes = new float[total * WordShape.PER_WORD];
        float[] textShapes = new float[sentences * WordShape.PER_TEXT];
        int[][] charIds = new int[total][];
        int[] labels = new int[total];
        int[] masks = new int[total];
        float[] weights = new float[sentences];
        List<String> corpusOf = new ArrayList<>(sentences);
        int miscMask = 1 << BioTags.begin(EntityKind.MISC) | 1 << BioTags.inside(EntityKind.MISC);
        int s = 0;
        int w = 0;
        for (Part p : parts) {
            boolean partial = p.oMayBeMisc();
            for (int i = 0; i < p.corpus().sentences().size(); i++) {
                if (!p.corpus().use()[i]) {
                    continue;
                }
                HeadData.ConllSentence sentence = p.corpus().sentences().get(i);
                String text = sentence.text();
                TokenizedText tokens = p.encoded().tokens().get(i);
                EncodedText e = p.encoded().encoded()[i];
                if (e.tokenCount() != tokens.length()) {
                    throw new IllegalStateException(p.corpus().name() + " sentence " + i
                            + ": encoder output does not match tokens");
                }
                Words words = Words.of(text, tokens);
                int n = words.count();
                base[s] = w;
                count[s] = n;
                weights[s] = p.weight();
                corpusOf.add(p.corpus().name());
                float[] tokenStates = e.tokenStates();
                for (int k = 0; k < n; k++) {
                    System.arraycopy(tokenStates, words.firstPiece(k) * dim, states, (w + k) * dim, dim);
                }
                float[] sh = WordShape.words(text, words);
                System.arraycopy(sh, 0, shapes, w * WordShape.PER_WORD, sh.length);
                System.arraycopy(WordShape.text(text, sh, n), 0, textShapes, s * WordShape.PER_TEXT,
                        WordShape.PER_TEXT);
                int[][] ids = CharFeatures.ids(text, words, buckets);
                if (names != null) {
                    ids = names.list().withKeys(ids, text, words, buckets, names.ignoredIn(sentence));
                }
                System.arraycopy(ids, 0, charIds, w, n);
                int[] starts = sentence.starts();
                for (int k = 0; k < n; k++) {
                    int tok = Arrays.binarySearch(starts, words.start(k));
                    boolean firstInToken = tok >= 0;
                    if (tok < 0) {
                        tok = -tok - 2;
                    }
                    String tag = sentence.tags().get(tok);
                    int label;
                    if (tag.equals("O")) {
                        label = BioTags.outside();
                    } else {
                        EntityKind type = EntityKind.valueOf(tag.substring(2));
                        label = firstInToken && tag.startsWith("B-") ? BioTags.begin(type) : BioTags.inside(type);
                    }
                    labels[w + k] = label;
                    masks[w + k] = 1 << label | (partial && label == BioTags.outside() ? miscMask : 0);
                }
                w += n;
                s++;
            }
        }
        return new CrfNerData(dim, base, count, states, shapes, textShapes, charIds, labels, masks, weights, corpusOf);
    }

    /** Per-dimension mean and 1/std of the states. */
    float[][] meanInvStd() {
        int total = words();
        double[] sum = new double[dim];
        double[] sq = new double[dim];
        for (int w = 0; w < total; w++) {
            int o = w * dim;
            for (int d = 0; d < dim; d++) {
                double v = states[o + d];
                sum[d] += v;
                sq[d] += v * v;
            }
        }
        float[] mean = new float[dim];
        float[] inv = new float[dim];
        for (int d = 0; d < dim; d++) {
            double m = sum[d] / total;
            mean[d] = (float) m;
            inv[d] = (float) (1.0 / Math.sqrt(Math.max(sq[d] / total - m * m, 1e-8)));
        }
        return new float[][] {mean, inv};
    }

    void standardize(float[] mean, float[] invStd) {
        int total = words();
        for (int w = 0; w < total; w++) {
            int o = w * dim;
            for (int d = 0; d < dim; d++) {
                states[o + d] = (states[o + d] - mean[d]) * invStd[d];
            }
        }
    }
}
