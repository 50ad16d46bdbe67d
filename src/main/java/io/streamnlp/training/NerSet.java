package io.streamnlp.training;

import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.EntityKind;
import io.streamnlp.heads.features.Words;
import io.streamnlp.heads.features.WordShape;
import io.streamnlp.heads.features.NerFeatures;
import io.streamnlp.heads.Pca;
import io.streamnlp.heads.NerHead;
import io.streamnlp.heads.Mlp;
import io.streamnlp.heads.BioTags;
import io.streamnlp.inference.EncodedText;
import io.streamnlp.inference.TokenizedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CoNLL sentences turned into the NER head's per-word inputs and gold tags, for training and fast
 * validation. Words are the tokenizer's (see {@link Words}); a CoNLL token may hold several (U.S. is
 * U . S .): the first takes the token's tag, the others continue its entity (I-X) or stay O.
 */
final class NerSet {

    final int sentences;
    int dim;
    final int[] base;
    final int[] count;
    float[] states;
    final float[] shapes;
    final float[] textShapes;
    final int[] labels;
    final int[] wordSentence;
    final int[] wordLocal;
    final List<Words> words;
    final List<String> texts;

    private NerSet(int dim, int[] base, int[] count, float[] states, float[] shapes, float[] textShapes, int[] labels,
            List<Words> words, List<String> texts) {
        this.sentences = base.length;
        this.dim = dim;
        this.base = base;
        this.count = count;
        this.states = states;
        this.shapes = shapes;
        this.textShapes = textShapes;
        this.labels = labels;
        this.words = words;
        this.texts = texts;
        int total = labels.length;
        this.wordSentence = new int[total];
        this.wordLocal = new int[total];
        for (int s = 0; s < sentences; s++) {
            for (int i = 0; i < count[s]; i++) {
                wordSentence[base[s] + i] = s;
                wordLocal[base[s] + i] = i;
            }
        }
    }

    int totalWords() {
        return labels.length;
    }

    static NerSet build(List<HeadData.ConllSentence> sentences, FeatureCache.Encoded encoded) {
        int dim = encoded.encoded().length == 0 ? 0 : encoded.encoded()[0].dimension();
        int n = sentences.size();
        int[] base = new int[n];
        int[] count = new int[n];
        List<Words> allWords = new ArrayList<>(n);
        List<String> texts = new ArrayList<>(n);
        int total = 0;
        for (int s = 0; s < n; s++) {
            String text = sentences.get(s).text();
            Words w = Words.of(text, encoded.tokens().get(s));
            allWords.add(w);
            texts.add(text);
            base[s] = total;
            count[s] = w.count();
            total += w.count();
        }
        float[] states = new float[total * dim];
        float[] shapes = new float[total * WordShape.PER_WORD];
        float[] textShapes = new float[n * WordShape.PER_TEXT];
        int[] labels = new int[total];
        for (int s = 0; s < n; s++) {
            HeadData.ConllSentence sentence = sentences.get(s);
            Words w = allWords.get(s);
            String text = texts.get(s);
            EncodedText e = encoded.encoded()[s];
            TokenizedText t = encoded.tokens().get(s);
            if (e.tokenCount() != t.length()) {
                throw new IllegalStateException("Sentence " + s + ": encoder output does not match tokens");
            }
            float[] tokenStates = e.tokenStates();
            for (int i = 0; i < w.count(); i++) {
                System.arraycopy(tokenStates, w.firstPiece(i) * dim, states, (base[s] + i) * dim, dim);
            }
            float[] sh = WordShape.words(text, w);
            System.arraycopy(sh, 0, shapes, base[s] * WordShape.PER_WORD, sh.length);
            System.arraycopy(WordShape.text(text, sh, w.count()), 0, textShapes, s * WordShape.PER_TEXT,
                    WordShape.PER_TEXT);
            int[] starts = sentence.starts();
            for (int i = 0; i < w.count(); i++) {
                int tok = Arrays.binarySearch(starts, w.start(i));
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
                labels[base[s] + i] = label;
            }
        }
        return new NerSet(dim, base, count, states, shapes, textShapes, labels, allWords, texts);
    }

    /** Per-dimension mean and 1/std of the states (the head standardises with them). */
    float[][] meanInvStd() {
        int total = totalWords();
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
            double var = Math.max(sq[d] / total - m * m, 1e-8);
            mean[d] = (float) m;
            inv[d] = (float) (1.0 / Math.sqrt(var));
        }
        return new float[][] {mean, inv};
    }

    void standardize(float[] mean, float[] invStd) {
        int total = totalWords();
        for (int w = 0; w < total; w++) {
            int o = w * dim;
            for (int d = 0; d < dim; d++) {
                states[o + d] = (states[o + d] - mean[d]) * invStd[d];
            }
        }
    }

    /** Replaces the states by their projection ({@code [dim][p]}). */
    void project(float[][] projection) {
        states = Pca.project(states, totalWords(), dim, projection);
        dim = projection[0].length;
    }

    MlpTrainer.Rows rows(int window) {
        int size = NerFeatures.rowSize(dim, window);
        return new MlpTrainer.Rows() {
            @Override
            public int size() {
                return totalWords();
            }

            @Override
            public int dim() {
                return size;
            }

            @Override
            public void fill(int example, float[] dst) {
                int s = wordSentence[example];
                NerFeatures.row(states, shapes, base[s], wordLocal[example], count[s], dim, window, textShapes,
                        s * WordShape.PER_TEXT, dst, 0);
            }
        };
    }

    /** EntitySpan F1 of a model on this set (standardised states), decoding with BIO constraints only. */
    ConllEval.Score score(Mlp model, int window, List<HeadData.ConllSentence> sentences) {
        return score(model, window, sentences, null, 0f);
    }

    /** As above, decoding with a weighted tag-bigram score ({@link BioTags#bigramLogProbabilities}). */
    ConllEval.Score score(Mlp model, int window, List<HeadData.ConllSentence> sentences, float[][] bigram,
            float weight) {
        float[] logStart = bigram == null ? null : bigram[0];
        float[][] logTransitions = bigram == null ? null : java.util.Arrays.copyOfRange(bigram, 1, bigram.length);
        ConllEval.Score score = new ConllEval.Score();
        int size = NerFeatures.rowSize(dim, window);
        for (int s = 0; s < this.sentences; s++) {
            int n = count[s];
            List<ConllEval.Span> predicted = new ArrayList<>();
            if (n > 0) {
                float[][] rows = new float[n][size];
                for (int i = 0; i < n; i++) {
                    NerFeatures.row(states, shapes, base[s], i, n, dim, window, textShapes, s * WordShape.PER_TEXT,
                            rows[i], 0);
                }
                float[][] probs = model.probabilities(rows);
                int[] tags = BioTags.viterbi(probs, logTransitions, logStart, weight);
                for (EntitySpan e : NerHead.spans(texts.get(s), words.get(s), probs, tags)) {
                    predicted.add(new ConllEval.Span(e.type().name(), e.start(), e.end()));
                }
            }
            score.add(sentences.get(s).goldSpans(), predicted);
        }
        return score;
    }
}
