package io.streamnlp.training;

import io.streamnlp.model.SentimentScores;
import io.streamnlp.model.Polarity;
import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.EntityKind;
import io.streamnlp.heads.SentimentHead;
import io.streamnlp.heads.NerHead;
import io.streamnlp.heads.Heads;
import io.streamnlp.heads.features.SentimentInput;
import io.streamnlp.model.HeadProfile;
import io.streamnlp.inference.EncodedText;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.EncoderSession;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.inference.TokenizedText;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Figures of an encoder's heads on every evaluation set of {@link HeldOut}: sentiment accuracy and
 * macro-averaged recall (the two-class view on the negative/positive sets: SST-2, CR), entity micro F1
 * and F1 per type (conlleval rules: exact span and type; on sets that annotate only PER/ORG/LOC, MISC
 * is left out of both sides); and the cost per text of the encoder and of each head, measured.
 */
public final class HeadEvaluator {

    /**
     * @param headsDir read heads from {@code headsDir/<model>/}; null: from the classpath
     * @param cacheDir feature cache; null: encode everything afresh
     * @param sample evaluate a fixed seeded sample of this many items per set; 0: everything
     * @param timing also run the cost measurement
     * @param airline also evaluate on the airline tweets (when the heads were not trained on them)
     * @param sentiment also evaluate the sentiment head (false: the NER sets only, e.g. for an error analysis)
     * @param profile which heads ({@code heads.profile}): research or commercial
     * @param graph which graph of the encoder runs ({@code model.graph}): packaged or fused
     */
    public record Options(String model, Path dataDir, Path headsDir, Path cacheDir, int sample, int maxLength,
            int threads, int encodeBatch, boolean timing, boolean airline, boolean sentiment, String profile,
            String graph) {

        public Options(String model, Path dataDir, Path headsDir, Path cacheDir, int sample, int maxLength,
                int threads, int encodeBatch, boolean timing) {
            this(model, dataDir, headsDir, cacheDir, sample, maxLength, threads, encodeBatch, timing, true, true,
                    HeadProfile.RESEARCH.settingName(), EncoderGraph.PACKAGED.settingName());
        }
    }

    /** Catalogue encoders with packaged heads of {@code profile} (as {@code evaluate --profile} names it). */
    public static List<String> modelsWithHeads(String profile) {
        return Heads.availableModels(HeadProfile.of(profile));
    }

    /** Accuracy and macro-averaged recall in percent. */
    public record SentimentResult(String set, int texts, boolean twoClass, double accuracy, double macroRecall) {}

    /** @param errors per type the set annotates: why its spans go wrong ({@code evaluate --errors}) */
    public record NerResult(String set, int sentences, java.util.Set<EntityKind> types, ConllEval.Score score,
            Map<EntityKind, SpanErrors> errors) {}

    /** Milliseconds per text; encoder in batches of {@code batch} texts, heads one text at a time. */
    public record Cost(int batch, int sentimentTexts, double encoderSentimentMs, int nerTexts, double encoderNerMs,
            double sentimentHeadMs, double nerHeadMs) {}

    public record Report(String model, String sentimentVersion, String nerVersion, int sample,
            List<SentimentResult> sentiment, List<NerResult> ner, Cost cost) {

        public SentimentResult sentiment(String set) {
            return sentiment.stream().filter(r -> r.set().equals(set)).findFirst().orElseThrow();
        }

        public NerResult ner(String set) {
            return ner.stream().filter(r -> r.set().equals(set)).findFirst().orElseThrow();
        }

        public String markdown() {
            return HeadEvaluator.markdown(List.of(this));
        }

        /** One row for a table comparing encoders. */
        public String summaryRow() {
            StringBuilder sb = new StringBuilder("| ").append(model);
            for (SentimentResult r : sentiment) {
                sb.append(String.format(Locale.ROOT, " | %.2f", r.accuracy()));
            }
            for (NerResult r : ner) {
                sb.append(String.format(Locale.ROOT, " | %.2f", r.score().f1()));
            }
            if (cost != null) {
                sb.append(String.format(Locale.ROOT, " | %.3f / %.3f", cost.sentimentHeadMs(), cost.nerHeadMs()));
            }
            return sb.append(" |").toString();
        }
    }

    /**
     * One table of every set for every encoder: sentiment accuracy and macro recall, NER micro F1
     * and F1 per type; then the cost per text of each encoder and its heads.
     */
    public static String markdown(List<Report> reports) {
        StringBuilder sb = new StringBuilder();
        int sample = reports.isEmpty() ? 0 : reports.get(0).sample();
        sb.append("| encoder | set | size | accuracy | macro recall | entity F1 | PER | ORG | LOC | MISC |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Report r : reports) {
            for (SentimentResult s : r.sentiment()) {
                sb.append(String.format(Locale.ROOT, "| %s | %s%s | %,d | %.2f | %.2f | | | | | |%n", r.model(),
                        s.set(), s.twoClass() ? " (neg/pos)" : "", s.texts(), s.accuracy(), s.macroRecall()));
            }
            for (NerResult n : r.ner()) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %,d | | | %.2f", r.model(), n.set(), n.sentences(),
                        n.score().f1()));
                for (EntityKind t : EntityKind.values()) {
                    sb.append(n.types().contains(t) ? String.format(Locale.ROOT, " | %.2f", n.score().f1(t.name()))
                            : " | –");
                }
                sb.append(" |\n");
            }
        }
        sb.append('\n');
        for (Report r : reports) {
            sb.append(String.format(Locale.ROOT, "- %s: heads %s, %s%s%n", r.model(), r.sentimentVersion(),
                    r.nerVersion(), sample > 0 ? " (fixed sample of " + sample + " per set)" : ""));
        }
        if (reports.stream().anyMatch(r -> r.cost() != null)) {
            sb.append("\n| encoder | encoder, SST-2 dev sentences | encoder, CoNLL test sentences | sentiment head "
                    + "| NER head | both heads |\n|---|---:|---:|---:|---:|---:|\n");
            for (Report r : reports) {
                Cost c = r.cost();
                if (c != null) {
                    sb.append(String.format(Locale.ROOT, "| %s | %.2f ms | %.2f ms | %.4f ms | %.4f ms | %.4f ms |%n",
                            r.model(), c.encoderSentimentMs(), c.encoderNerMs(), c.sentimentHeadMs(), c.nerHeadMs(),
                            c.sentimentHeadMs() + c.nerHeadMs()));
                }
            }
            Cost any = reports.stream().map(Report::cost).filter(java.util.Objects::nonNull).findFirst().orElseThrow();
            sb.append(String.format(Locale.ROOT, "%nEncoder in batches of %d texts (wall clock); heads one text at a time "
                    + "on one thread (its CPU time; sentiment: %d SST-2 dev sentences; NER: %d CoNLL test sentences).%n",
                    any.batch(),
                    any.sentimentTexts(), any.nerTexts()));
        }
        return sb.toString();
    }

    /**
     * Why {@code type}'s spans go wrong on each set that annotates it: one table for every encoder,
     * then the texts most often missed and most often predicted without a gold span.
     */
    public static String errorsMarkdown(List<Report> reports, String typeName, int examples) {
        EntityKind type = entityType(typeName);
        StringBuilder sb = new StringBuilder(SpanErrors.markdownHeader(type.name()));
        for (Report r : reports) {
            for (NerResult n : r.ner()) {
                SpanErrors e = n.errors().get(type);
                if (e != null) {
                    sb.append(e.markdownRow(r.model() + ", " + n.set()));
                }
            }
        }
        for (Report r : reports) {
            for (NerResult n : r.ner()) {
                SpanErrors e = n.errors().get(type);
                if (e != null && examples > 0) {
                    sb.append(String.format(Locale.ROOT, "%n%s, %s: most missed %s: %s%n", r.model(), n.set(), type,
                            examples(e.topMissed(examples))));
                    sb.append(String.format(Locale.ROOT, "%s, %s: most spurious %s: %s%n", r.model(), n.set(), type,
                            examples(e.topSpurious(examples))));
                }
            }
        }
        return sb.toString();
    }

    /**
     * The entity type named {@code name} (any case), for {@code evaluate --errors}.
     *
     * @throws IllegalArgumentException naming the types there are
     */
    public static EntityKind entityType(String name) {
        try {
            return EntityKind.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--errors must name an entity type, one of "
                    + java.util.Arrays.toString(EntityKind.values()) + "; got '" + name + "'", e);
        }
    }

    private static String examples(List<Map.Entry<String, Long>> counted) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> e : counted) {
            sb.append(sb.isEmpty() ? "" : ", ").append('"').append(e.getKey().replace("|", "\\|")).append("\" x")
                    .append(e.getValue());
        }
        return sb.isEmpty() ? "none" : sb.toString();
    }

    private final Options o;
    private final PrintStream log;

    public HeadEvaluator(Options options, PrintStream log) {
        this.o = options;
        this.log = log;
    }

    public Report run() {
        EncoderSpec spec = ModelCatalogue.byName(o.model());
        HeadProfile profile = HeadProfile.of(o.profile());
        Heads heads = o.headsDir() == null ? Heads.load(spec.name(), profile, EncoderGraph.of(o.graph()))
                : Heads.load(spec.name(), o.headsDir(), profile);
        log.printf("Evaluating %s (model.graph=%s) with heads %s (profile %s: %s)%n", spec.name(), o.graph(),
                heads.versions(), profile.settingName(), profile.licence());
        Path data = o.dataDir();
        long seed = 2003;
        try (Encoder encoder = Encoder.load(spec, o.maxLength(), o.threads(), true, EncoderGraph.of(o.graph()))) {
            FeatureCache cache = new FeatureCache(encoder, o.cacheDir(), o.encodeBatch(), log);
            FeatureCache nerCache = cache.withNerStates(heads.ner().states());
            List<SentimentResult> sentiment = new ArrayList<>();
            if (o.sentiment()) {
                for (DataSets.SentimentCorpus set : HeldOut.sentiment(data, o.airline())) {
                    sentiment.add(sentiment(heads, cache, set, seed));
                }
            }
            List<NerResult> ner = new ArrayList<>();
            for (DataSets.NerCorpus set : HeldOut.ner(data)) {
                ner.add(ner(heads, nerCache, set, seed));
            }
            Cost cost = o.timing() ? cost(encoder, heads, data) : null;
            return new Report(spec.name(), heads.sentiment().version(), heads.ner().version(), o.sample(), sentiment,
                    ner, cost);
        }
    }

    private SentimentResult sentiment(Heads heads, FeatureCache cache, DataSets.SentimentCorpus set, long seed) {
        List<HeadData.LabelledText> items = set.items();
        List<HeadData.LabelledText> chosen = HeadData.sample(items, o.sample(), seed);
        float[][] vectors;
        SentimentInput input = heads.sentiment().input();
        if (chosen.size() == items.size()) {
            // The whole file through the cache (one encoding per file), then its used items.
            float[][] all = cache.sentimentInputs(input, set.cacheName(), set.texts());
            vectors = new float[chosen.size()][];
            int k = 0;
            for (int i = 0; i < all.length; i++) {
                if (set.labels()[i] >= 0) {
                    vectors[k++] = all[i];
                }
            }
        } else {
            String name = set.cacheName() + "_sample" + chosen.size();
            vectors = cache.sentimentInputs(input, name, HeadData.texts(chosen));
        }
        SentimentResult r = sentimentResult(set.name(), heads.sentiment(), vectors, chosen, set.twoClass());
        log.printf(Locale.ROOT, "%s: accuracy %.2f %%, macro recall %.2f of %d%n", set.name(), r.accuracy(),
                r.macroRecall(), chosen.size());
        return r;
    }

    private NerResult ner(Heads heads, FeatureCache cache, DataSets.NerCorpus set, long seed) {
        List<HeadData.ConllSentence> sentences = set.usedSentences();
        List<HeadData.ConllSentence> chosen = HeadData.sample(sentences, o.sample(), seed);
        FeatureCache.Encoded encoded;
        if (chosen.size() == set.sentences().size()) {
            encoded = cache.tokenStates(set.cacheName(), set.texts());
        } else {
            encoded = cache.tokenStates(set.cacheName() + "_sample" + chosen.size(), HeadTrainer.texts(chosen));
        }
        Map<EntityKind, SpanErrors> errors = new java.util.EnumMap<>(EntityKind.class);
        set.types().forEach(type -> errors.put(type, new SpanErrors(type.name())));
        ConllEval.Score score = nerScore(heads.ner(), chosen, encoded, set.types(), errors);
        log.printf(Locale.ROOT, "%s: %s (%d sentences)%n", set.name(), score, chosen.size());
        return new NerResult(set.name(), chosen.size(), set.types(), score, errors);
    }

    /** Accuracy and macro recall (percent): two-class view against neg/pos gold labels, or three-class argmax. */
    public static SentimentResult sentimentResult(String name, SentimentHead head, float[][] vectors,
            List<HeadData.LabelledText> items, boolean twoClass) {
        return sentimentResult(name, i -> head.scores(vectors[i]), items, twoClass);
    }

    /** As above, from the scores of item {@code i} (calibration scores precomputed logits under a bias). */
    static SentimentResult sentimentResult(String name, java.util.function.IntFunction<SentimentScores> scores,
            List<HeadData.LabelledText> items, boolean twoClass) {
        int[] gold = new int[3];
        int[] hit = new int[3];
        int correct = 0;
        for (int i = 0; i < items.size(); i++) {
            SentimentScores s = scores.apply(i);
            Polarity predicted = twoClass ? s.twoClass() : s.label();
            int label = items.get(i).label();
            gold[label]++;
            if (predicted.ordinal() == label) {
                correct++;
                hit[label]++;
            }
        }
        double recall = 0;
        int classes = 0;
        for (int c = 0; c < 3; c++) {
            if (gold[c] > 0) {
                recall += 100.0 * hit[c] / gold[c];
                classes++;
            }
        }
        return new SentimentResult(name, items.size(), twoClass, items.isEmpty() ? 0 : 100.0 * correct / items.size(),
                classes == 0 ? 0 : recall / classes);
    }

    /** Accuracy in percent: two-class view against neg/pos gold labels, or three-class argmax. */
    public static double sentimentAccuracy(SentimentHead head, float[][] vectors, List<HeadData.LabelledText> items,
            boolean twoClass) {
        return sentimentResult("", head, vectors, items, twoClass).accuracy();
    }

    /** EntitySpan scores of the head's spans (through {@link NerHead#predict}) against the gold chunks. */
    public static ConllEval.Score nerScore(NerHead head, List<HeadData.ConllSentence> sentences,
            FeatureCache.Encoded encoded) {
        return nerScore(head, sentences, encoded, DataSets.ALL_TYPES);
    }

    /**
     * As above, scoring only the types a set annotates: gold and predicted entities of other types
     * are left out. {@code encoded} holds the sentences' encodings in order.
     */
    public static ConllEval.Score nerScore(NerHead head, List<HeadData.ConllSentence> sentences,
            FeatureCache.Encoded encoded, java.util.Set<EntityKind> types) {
        return nerScore(head, sentences, encoded, types, Map.of());
    }

    /**
     * As above, also adding each sentence to {@code errors} (per type) with every predicted span,
     * before the type filter: a gold organisation tagged MISC is a wrong type, not a miss.
     */
    public static ConllEval.Score nerScore(NerHead head, List<HeadData.ConllSentence> sentences,
            FeatureCache.Encoded encoded, java.util.Set<EntityKind> types, Map<EntityKind, SpanErrors> errors) {
        ConllEval.Score score = new ConllEval.Score();
        for (int s = 0; s < sentences.size(); s++) {
            HeadData.ConllSentence sentence = sentences.get(s);
            String text = sentence.text();
            List<ConllEval.Span> predicted = new ArrayList<>();
            List<ConllEval.Span> everyPredicted = new ArrayList<>();
            for (EntitySpan e : head.predict(text, encoded.tokens().get(s), encoded.encoded()[s])) {
                if (!e.text().equals(text.substring(e.start(), e.end()))) {
                    throw new IllegalStateException("Span text does not match its offsets: " + e);
                }
                ConllEval.Span span = new ConllEval.Span(e.type().name(), e.start(), e.end());
                everyPredicted.add(span);
                if (types.contains(e.type())) {
                    predicted.add(span);
                }
            }
            List<ConllEval.Span> gold = new ArrayList<>();
            for (ConllEval.Span g : sentence.goldSpans()) {
                if (types.contains(EntityKind.valueOf(g.type()))) {
                    gold.add(g);
                }
            }
            score.add(gold, predicted);
            for (SpanErrors typeErrors : errors.values()) {
                typeErrors.add(text, gold, everyPredicted);
            }
        }
        return score;
    }

    /** Times the encoder and each head on real texts, as the stream stage would run them. */
    private Cost cost(Encoder encoder, Heads heads, Path data) {
        List<String> sentences = HeadData.texts(HeadData.sample(HeadData.sst2(HeadData.file(data, HeadData.SST2_DEV)),
                o.sample() > 0 ? Math.min(o.sample(), 872) : 872, 7));
        List<String> conll = HeadTrainer.texts(HeadData.conll(HeadData.file(data, HeadData.CONLL_TEST_ORIGINAL)));
        conll = conll.subList(0, Math.min(conll.size(), o.sample() > 0 ? Math.min(o.sample(), 1000) : 1000));
        int batch = 32;
        try (EncoderSession session = encoder.newSession()) {
            // Warm-up: JIT and ONNX Runtime's first calls.
            timed(encoder, session, heads, sentences.subList(0, Math.min(320, sentences.size())), batch);
            timed(encoder, session, heads, conll.subList(0, Math.min(320, conll.size())), batch);
            double[] s = timed(encoder, session, heads, sentences, batch);
            double[] c = timed(encoder, session, heads, conll, batch);
            Cost cost = new Cost(batch, sentences.size(), s[0], conll.size(), c[0], s[1], c[2]);
            log.printf(Locale.ROOT, "Cost per text: encoder %.3f ms (SST) / %.3f ms (CoNLL), sentiment head %.4f ms, "
                    + "NER head %.4f ms%n", cost.encoderSentimentMs(), cost.encoderNerMs(), cost.sentimentHeadMs(),
                    cost.nerHeadMs());
            return cost;
        }
    }

    /** ms per text: encoder (wall clock), sentiment head, NER head (the thread's CPU time). */
    private static double[] timed(Encoder encoder, EncoderSession session, Heads heads, List<String> texts, int batch) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long enc = 0;
        long sent = 0;
        long ner = 0;
        long sink = 0;
        for (int from = 0; from < texts.size(); from += batch) {
            List<String> part = texts.subList(from, Math.min(texts.size(), from + batch));
            long t0 = System.nanoTime();
            List<TokenizedText> tokens = part.stream().map(encoder.tokenizer()::tokenize).toList();
            EncodedText[] encoded = session.encode(tokens);
            long t1 = System.nanoTime();
            long c1 = mx.getCurrentThreadCpuTime();
            for (EncodedText e : encoded) {
                sink += heads.sentiment().predict(e).label().ordinal();
            }
            long c2 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < part.size(); i++) {
                sink += heads.ner().predict(part.get(i), tokens.get(i), encoded[i]).size();
            }
            long c3 = mx.getCurrentThreadCpuTime();
            enc += t1 - t0;
            sent += c2 - c1;
            ner += c3 - c2;
        }
        if (sink == Long.MIN_VALUE) {
            System.out.print("");
        }
        double n = Math.max(1, texts.size());
        return new double[] {enc / 1e6 / n, sent / 1e6 / n, ner / 1e6 / n};
    }
}
