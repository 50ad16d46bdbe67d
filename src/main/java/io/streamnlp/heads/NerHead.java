package io.streamnlp.heads;

import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.EntityKind;
import io.streamnlp.heads.features.Words;
import io.streamnlp.heads.features.WordShape;
import io.streamnlp.heads.features.NerFeatures;
import io.streamnlp.heads.features.NerStates;
import io.streamnlp.inference.EncodedText;
import io.streamnlp.inference.TokenizedText;
import java.util.ArrayList;
import java.util.List;

/**
 * PER / ORG / LOC / MISC spans from the encoder's token states of the same pass as the embedding.
 *
 * <p>Two architectures load. Release 2 heads ({@code arch = word-crf} in the file) are described in
 * {@link WordCrfNer}: a hidden layer per word over its state, shape and character features, a window
 * over the words' hidden vectors and a linear-chain CRF. Release 1 heads (no {@code arch}; still
 * shipped for the encoders not retrained) work as follows. Per word (a run of word-pieces with one word id): the standardised state of its first
 * word-piece (optionally projected onto its top principal components, whitened) and of its
 * neighbours' within +-{@code window} words, plus casing and shape features read
 * from the original text; a one-hidden-layer MLP gives BIO tag probabilities; Viterbi decodes the best
 * tag sequence under BIO constraints (no I-X unless after B-X or I-X), optionally adding a weighted
 * tag-bigram score learned from the training data (weight tuned on dev); runs of B-X I-X... become
 * spans. All word-pieces of a word share its tag, so spans always start and end on word boundaries.
 *
 * <p>Texts longer than the encoder's max length come in windows ({@code inference.TextWindows}): the
 * enricher runs this head on each window's tokens, whose offsets point into the whole text, and keeps
 * each entity from the window that owns where it starts.
 *
 * <p>Thread-safe (immutable).
 */
public final class NerHead {

    public static final String KIND = "ner";

    private final HeadFile file;
    private final WordCrfNer crf; // release 2; null for a release-1 head
    private final int window;
    private final int dim;
    private final float[][] projection; // null: the states go in as they are
    private final float[] mean;
    private final float[] invStd;
    private final Mlp mlp;
    private final float[] logStart;
    private final float[][] logTransitions;
    private final float transitionWeight;
    private final NerStates states;

    public NerHead(HeadFile file) {
        if (!KIND.equals(file.kind())) {
            throw new IllegalArgumentException("Not a NER head: " + file.kind());
        }
        if (!BioTags.LABELS.equals(file.labels())) {
            throw new IllegalArgumentException("NER head labels must be " + BioTags.LABELS + ", were " + file.labels());
        }
        this.file = file;
        this.window = file.metaInt("window");
        this.states = statesOf(file);
        if (WordCrfNer.ARCH.equals(file.meta().get("arch"))) {
            this.crf = new WordCrfNer(file);
            this.mean = crf.mean;
            this.invStd = crf.invStd;
            this.dim = crf.dim;
            this.projection = null;
            this.mlp = null;
            this.logStart = null;
            this.logTransitions = null;
            this.transitionWeight = 0f;
            return;
        }
        if (file.meta().containsKey("arch")) {
            throw new IllegalArgumentException("NER head " + file.version() + " has an unknown architecture '"
                    + file.meta().get("arch") + "'");
        }
        this.crf = null;
        this.mean = file.tensor("mean").data();
        this.invStd = file.tensor("inv_std").data();
        this.dim = mean.length;
        if (file.hasTensor("projection")) {
            HeadFile.Tensor p = file.tensor("projection");
            this.projection = new float[p.dim(0)][p.dim(1)];
            for (int d = 0; d < p.dim(0); d++) {
                System.arraycopy(p.data(), d * p.dim(1), projection[d], 0, p.dim(1));
            }
        } else {
            this.projection = null;
        }
        this.mlp = Mlp.from(file);
        if (file.hasTensor("bigram")) {
            float[] bigram = file.tensor("bigram").data();
            int t = BioTags.size();
            this.logStart = java.util.Arrays.copyOfRange(bigram, 0, t);
            this.logTransitions = new float[t][];
            for (int k = 0; k < t; k++) {
                logTransitions[k] = java.util.Arrays.copyOfRange(bigram, (k + 1) * t, (k + 2) * t);
            }
            this.transitionWeight = Float.parseFloat(file.meta("transition.weight"));
        } else {
            this.logStart = null;
            this.logTransitions = null;
            this.transitionWeight = 0f;
        }
        int stateSize = projection == null ? dim : projection[0].length;
        if (mlp.inputSize() != NerFeatures.rowSize(stateSize, window) || mlp.outputSize() != BioTags.size()) {
            throw new IllegalArgumentException("NER head " + file.version() + " has inconsistent dimensions");
        }
    }

    public static NerHead from(HeadFile file) {
        return new NerHead(file);
    }

    /** The layers a head file reads (meta {@code states}; release 1 and 2 files have none: the last layer). */
    public static NerStates statesOf(HeadFile file) {
        String name = file.meta().get("states");
        return name == null ? NerStates.LAST : NerStates.of(name);
    }

    /** Which of the encoder's layers this head reads. */
    public NerStates states() {
        return states;
    }

    /** Goes on every entities record, e.g. {@code ner-v1-3fa2b1c0}. */
    public String version() {
        return file.version();
    }

    /** Name of the encoder whose token states this head reads. */
    public String encoder() {
        return file.encoder();
    }

    /** Length of the token states expected (the encoder's hidden size). */
    public int dimension() {
        return dim;
    }

    /** Words of context on each side. */
    public int window() {
        return window;
    }

    HeadFile file() {
        return file;
    }

    /**
     * Entities of one text, in text order.
     *
     * @param text the original text, exactly as given to the tokenizer
     * @param tokens its tokenization ({@code encoder.tokenizer().tokenize(text)})
     * @param encoded the encoder's output for {@code tokens}
     */
    public List<EntitySpan> predict(String text, TokenizedText tokens, EncodedText encoded) {
        Words words = Words.of(text, tokens);
        check(encoded, tokens.length());
        if (crf != null) {
            if (words.count() == 0) {
                return List.of();
            }
            int[] tags = new int[words.count()];
            float[] wordStates = NerFeatures.wordStates(encoded, states, words, mean, invStd);
            float[][] marginals = crf.decode(crf.emissions(text, words, wordStates), tags);
            return spans(text, words, marginals, tags);
        }
        float[][] probs = tagProbabilities(text, words, encoded, tokens.length());
        return spans(text, words, probs, BioTags.viterbi(probs, logTransitions, logStart, transitionWeight));
    }

    /** The release of the head's architecture: 2 (word-crf) or 1 (window MLP, tag bigram). */
    public int architectureRelease() {
        return crf != null ? 2 : 1;
    }

    private void check(EncodedText encoded, int tokenCount) {
        if (encoded.dimension() != dim) {
            throw new IllegalArgumentException("Token states have " + encoded.dimension()
                    + " dimensions; the NER head of " + file.encoder() + " expects " + dim);
        }
        if (encoded.tokenCount() != tokenCount) {
            throw new IllegalArgumentException("Encoded text has " + encoded.tokenCount()
                    + " token states but its tokenization has " + tokenCount + " tokens");
        }
    }

    float[][] tagProbabilities(String text, Words words, EncodedText encoded, int tokenCount) {
        check(encoded, tokenCount);
        int n = words.count();
        if (n == 0) {
            return new float[0][];
        }
        float[] states = NerFeatures.wordStates(encoded, this.states, words, mean, invStd);
        int stateSize = dim;
        if (projection != null) {
            states = Pca.project(states, n, dim, projection);
            stateSize = projection[0].length;
        }
        float[] shapes = WordShape.words(text, words);
        float[] textShape = WordShape.text(text, shapes, n);
        return mlp.probabilities(NerFeatures.rows(n, stateSize, window, states, shapes, textShape));
    }

    public static List<EntitySpan> spans(String text, Words words, float[][] probs, int[] tags) {
        List<EntitySpan> entities = new ArrayList<>();
        int i = 0;
        int n = tags.length;
        while (i < n) {
            int tag = tags[i];
            if (tag == BioTags.outside()) {
                i++;
                continue;
            }
            // Viterbi never starts a span with I-X; treat a stray one (other callers) as B-X.
            EntityKind type = BioTags.type(tag);
            int first = i;
            double sum = probs[i][tag];
            i++;
            while (i < n && tags[i] == BioTags.inside(type)) {
                sum += probs[i][tags[i]];
                i++;
            }
            int start = words.start(first);
            int end = words.end(i - 1);
            entities.add(new EntitySpan(type, start, end, text.substring(start, end), (float) (sum / (i - first))));
        }
        return entities;
    }
}
