package io.streamnlp.training;

import io.streamnlp.model.EntityKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded splits of a user's own file when {@code train} runs without the shared data: a held-out
 * share (the report) unless a held-out file is named, and a validation share of the rest (model
 * selection and calibration), so the reported table is never the one the head was chosen on.
 *
 * <p>The training part keeps the file's corpus (name, cache name, weight) with the other items marked
 * dropped; the held-out and validation parts are corpora of their own.
 */
final class UserSplits {

    /** Share of the training rest used for model selection (as the classifier trainer does). */
    static final double VALIDATION_FRACTION = ClassifierTrainer.VALIDATION_FRACTION;

    /** One sentiment file split: the training corpus, its validation part, its held-out part. */
    record Sentiment(DataSets.SentimentCorpus train, DataSets.SentimentCorpus validation,
            DataSets.SentimentCorpus heldOut) {}

    /** One NER file split, as {@link Sentiment}. */
    record Ner(DataSets.NerCorpus train, DataSets.NerCorpus validation, DataSets.NerCorpus heldOut) {}

    private UserSplits() {}

    /**
     * Splits {@code file}: held out per label ({@code fraction}, seeded) unless {@code given} is a
     * held-out corpus, then a validation share of the rest per label.
     */
    static Sentiment sentiment(DataSets.SentimentCorpus file, DataSets.SentimentCorpus given, double fraction,
            long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] labels = file.labels().clone();
        DataSets.SentimentCorpus heldOut = given;
        if (given == null) {
            boolean[] held = perLabel(labels, fraction, rng);
            heldOut = part(file, labels, held, "held out", "heldout");
        }
        boolean[] validation = perLabel(labels, VALIDATION_FRACTION, rng);
        DataSets.SentimentCorpus select = part(file, labels, validation, "validation", "validation");
        if ((given == null && heldOut.texts().isEmpty()) || select.texts().isEmpty()) {
            throw new IllegalArgumentException(file.name() + ": too few texts to hold some out; give more lines "
                    + "(at least two per label)");
        }
        return new Sentiment(file.withLabels(labels), select, heldOut);
    }

    /** Splits an NER file by sentence: as {@link #sentiment}, without strata. */
    static Ner ner(DataSets.NerCorpus file, DataSets.NerCorpus given, double fraction, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        boolean[] use = file.use().clone();
        DataSets.NerCorpus heldOut = given;
        if (given == null) {
            heldOut = part(file, use, take(use, fraction, rng), "held out", "heldout");
        }
        DataSets.NerCorpus select = part(file, use, take(use, VALIDATION_FRACTION, rng), "validation", "validation");
        if ((given == null && heldOut.sentences().isEmpty()) || select.sentences().isEmpty() || countTrue(use) == 0) {
            throw new IllegalArgumentException(file.name() + ": too few sentences to hold some out; give more "
                    + "sentences (at least three)");
        }
        return new Ner(file.withUse(use), select, heldOut);
    }

    /** Of each label's used items, a seeded {@code fraction} (at least one where it has two or more). */
    private static boolean[] perLabel(int[] labels, double fraction, SplittableRandom rng) {
        boolean[] chosen = new boolean[labels.length];
        for (int label = 0; label < 3; label++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == label) {
                    idx.add(i);
                }
            }
            int[] order = shuffled(idx, rng);
            int n = order.length < 2 ? 0 : Math.max(1, (int) Math.round(fraction * order.length));
            for (int i = 0; i < n; i++) {
                chosen[order[i]] = true;
            }
        }
        return chosen;
    }

    /** A seeded {@code fraction} of the used sentences (at least one where two or more are left). */
    private static boolean[] take(boolean[] use, double fraction, SplittableRandom rng) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < use.length; i++) {
            if (use[i]) {
                idx.add(i);
            }
        }
        int[] order = shuffled(idx, rng);
        int n = order.length < 2 ? 0 : Math.max(1, (int) Math.round(fraction * order.length));
        boolean[] chosen = new boolean[use.length];
        for (int i = 0; i < n; i++) {
            chosen[order[i]] = true;
        }
        return chosen;
    }

    /** The indexes in a seeded Fisher-Yates order (the classifier's split uses the same). */
    static int[] shuffled(List<Integer> idx, SplittableRandom rng) {
        int[] order = idx.stream().mapToInt(Integer::intValue).toArray();
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The chosen items as a corpus of their own; they are marked dropped in {@code labels}. */
    private static DataSets.SentimentCorpus part(DataSets.SentimentCorpus file, int[] labels, boolean[] chosen,
            String what, String suffix) {
        List<String> texts = new ArrayList<>();
        List<Integer> partLabels = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (chosen[i]) {
                texts.add(file.texts().get(i));
                partLabels.add(labels[i]);
                labels[i] = DataSets.DROPPED;
            }
        }
        return new DataSets.SentimentCorpus(file.name() + " (" + what + ")", file.cacheName() + "_" + suffix, texts,
                partLabels.stream().mapToInt(Integer::intValue).toArray(), false, file.domain());
    }

    private static DataSets.NerCorpus part(DataSets.NerCorpus file, boolean[] use, boolean[] chosen, String what,
            String suffix) {
        List<HeadData.ConllSentence> sentences = new ArrayList<>();
        for (int i = 0; i < use.length; i++) {
            if (chosen[i]) {
                sentences.add(file.sentences().get(i));
                use[i] = false;
            }
        }
        Set<EntityKind> types = file.types();
        return DataSets.ner(file.name() + " (" + what + ")", file.cacheName() + "_" + suffix, sentences, types,
                file.domain());
    }

    private static int countTrue(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }

    /** A held-out file named by the user, renamed so it reads as one in the report. */
    static DataSets.SentimentCorpus heldOutFile(DataSets.SentimentCorpus c) {
        return new DataSets.SentimentCorpus(c.name() + " (held out)", c.cacheName() + "_given", c.texts(),
                Arrays.copyOf(c.labels(), c.labels().length), false, c.domain());
    }
}
