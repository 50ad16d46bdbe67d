package io.streamnlp.training;

import io.streamnlp.model.SentimentScores;
import io.streamnlp.model.Polarity;
import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.EntityKind;
import io.streamnlp.heads.SentimentHead;
import io.streamnlp.heads.NerHead;
import io.streamnlp.heads.Heads;
import io.streamnlp.inference.EncodedText;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderSession;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.inference.TokenizedText;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Figures of an encoder's heads on the public data: SST-2 dev/test (two-class view), SST-5 dev/test
 * grouped to three classes, the customer reviews (two-class; never trained on), CoNLL-2003 entity F1
 * (conlleval rules: exact span and type) on CoNLL++ dev, the original test and the CoNLL++ test, per
 * type too; and the cost per text of the encoder and of each head, measured.
 */
public final class HeadEvaluator {

    /**
     * @param headsDir read heads from {@code headsDir/<model>/}; null: from the classpath
     * @param cacheDir feature cache; null: encode everything afresh
     * @param sample evaluate a fixed seeded sample of this many items per set; 0: everything
     * @param timing also run the cost measurement
     */
    public record Options(String model, Path dataDir, Path headsDir, Path cacheDir, int sample, int maxLength,
            int threads, int encodeBatch, boolean timing) {}

    public record SentimentResult(String set, int texts, boolean twoClass, double accuracy) {}

    public record NerResult(String set, int sentences, ConllEval.Score score) {}

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
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "### %s (heads %s, %s)%s%n%n", model, sentimentVersion, nerVersion,
                    sample > 0 ? ", fixed sample of " + sample + " per set" : ""));
            sb.append("| set | size | metric | value |\n|---|---:|---|---:|\n");
            for (SentimentResult r : sentiment) {
                sb.append(String.format(Locale.ROOT, "| %s | %,d | accuracy, %s | %.2f %% |%n", r.set(), r.texts(),
                        r.twoClass() ? "two-class (neg vs pos)" : "three-class", r.accuracy()));
            }
            for (NerResult r : ner) {
                sb.append(String.format(Locale.ROOT, "| %s | %,d sent. | entity micro F1 (P / R) | %.2f (%.2f / %.2f) |%n",
                        r.set(), r.sentences(), r.score().f1(), r.score().precision(), r.score().recall()));
            }
            sb.append("\n| NER set | PER | ORG | LOC | MISC | all |\n|---|---:|---:|---:|---:|---:|\n");
            for (NerResult r : ner) {
                sb.append("| ").append(r.set());
                for (EntityKind t : EntityKind.values()) {
                    sb.append(String.format(Locale.ROOT, " | %.2f", r.score().f1(t.name())));
                }
                sb.append(String.format(Locale.ROOT, " | %.2f |%n", r.score().f1()));
            }
            if (cost != null) {
                sb.append(String.format(Locale.ROOT, "%n| cost per text | ms |%n|---|---:|%n"
                        + "| encoder, sentences of SST-2 dev (%d texts, batches of %d) | %.3f |%n"
                        + "| encoder, sentences of CoNLL test (%d texts, batches of %d) | %.3f |%n"
                        + "| sentiment head | %.4f |%n| NER head (features, MLP, Viterbi, spans) | %.4f |%n",
                        cost.sentimentTexts(), cost.batch(), cost.encoderSentimentMs(), cost.nerTexts(), cost.batch(),
                        cost.encoderNerMs(), cost.sentimentHeadMs(), cost.nerHeadMs()));
            }
            sb.append("\nSummary row: ").append(summaryRow()).append('\n');
            return sb.toString();
        }

        /** One row for a table comparing encoders. */
        public String summaryRow() {
            StringBuilder sb = new StringBuilder("| ").append(model);
            for (String set : List.of("SST-2 dev", "SST-2 test", "SST-5 dev (3 classes)", "SST-5 test (3 classes)", "CR")) {
                sb.append(String.format(Locale.ROOT, " | %.2f", sentiment(set).accuracy()));
            }
            for (String set : List.of("CoNLL-2003 dev (CoNLL++)", "CoNLL-2003 test (original)", "CoNLL++ test")) {
                sb.append(String.format(Locale.ROOT, " | %.2f", ner(set).score().f1()));
            }
            if (cost != null) {
                sb.append(String.format(Locale.ROOT, " | %.2f / %.2f | %.3f / %.3f", cost.encoderSentimentMs(),
                        cost.encoderNerMs(), cost.sentimentHeadMs(), cost.nerHeadMs()));
            }
            return sb.append(" |").toString();
        }
    }

    private final Options o;
    private final PrintStream log;

    public HeadEvaluator(Options options, PrintStream log) {
        this.o = options;
        this.log = log;
    }

    public Report run() {
        EncoderSpec spec = ModelCatalogue.byName(o.model());
        Heads heads = o.headsDir() == null ? Heads.load(spec.name()) : Heads.load(spec.name(), o.headsDir());
        log.printf("Evaluating %s with heads %s%n", spec.name(), heads.versions());
        Path data = o.dataDir();
        long seed = 2003;
        try (Encoder encoder = Encoder.load(spec, o.maxLength(), o.threads(), true)) {
            FeatureCache cache = new FeatureCache(encoder, o.cacheDir(), o.encodeBatch(), log);
            List<SentimentResult> sentiment = new ArrayList<>();
            sentiment.add(sentiment(heads, cache, "SST-2 dev", "sst2_dev",
                    HeadData.sst2(HeadData.file(data, HeadData.SST2_DEV)), true, seed));
            sentiment.add(sentiment(heads, cache, "SST-2 test", "sst2_test",
                    HeadData.sst2(HeadData.file(data, HeadData.SST2_TEST)), true, seed));
            sentiment.add(sentiment(heads, cache, "SST-5 dev (3 classes)", "stsa_fine_dev",
                    HeadData.fineGrouped(HeadData.file(data, HeadData.SST_FINE_DEV)), false, seed));
            sentiment.add(sentiment(heads, cache, "SST-5 test (3 classes)", "stsa_fine_test",
                    HeadData.fineGrouped(HeadData.file(data, HeadData.SST_FINE_TEST)), false, seed));
            sentiment.add(sentiment(heads, cache, "CR", "cr",
                    HeadData.binary(HeadData.file(data, HeadData.CR)), true, seed));
            List<NerResult> ner = new ArrayList<>();
            ner.add(ner(heads, cache, "CoNLL-2003 dev (CoNLL++)", "conllpp_dev",
                    HeadData.conll(HeadData.file(data, HeadData.CONLL_DEV)), seed));
            ner.add(ner(heads, cache, "CoNLL-2003 test (original)", "conll_test",
                    HeadData.conll(HeadData.file(data, HeadData.CONLL_TEST_ORIGINAL)), seed));
            ner.add(ner(heads, cache, "CoNLL++ test", "conll_test",
                    HeadData.conll(HeadData.file(data, HeadData.CONLL_TEST_PP)), seed));
            Cost cost = o.timing() ? cost(encoder, heads, data) : null;
            return new Report(spec.name(), heads.sentiment().version(), heads.ner().version(), o.sample(), sentiment,
                    ner, cost);
        }
    }

    private SentimentResult sentiment(Heads heads, FeatureCache cache, String set, String cacheName,
            List<HeadData.LabelledText> items, boolean twoClass, long seed) {
        List<HeadData.LabelledText> chosen = HeadData.sample(items, o.sample(), seed);
        String name = chosen.size() == items.size() ? cacheName : cacheName + "_sample" + chosen.size();
        float[][] vectors = cache.sentenceVectors(name, HeadData.texts(chosen));
        double accuracy = sentimentAccuracy(heads.sentiment(), vectors, chosen, twoClass);
        log.printf(Locale.ROOT, "%s: %.2f %% of %d%n", set, accuracy, chosen.size());
        return new SentimentResult(set, chosen.size(), twoClass, accuracy);
    }

    private NerResult ner(Heads heads, FeatureCache cache, String set, String cacheName,
            List<HeadData.ConllSentence> sentences, long seed) {
        List<HeadData.ConllSentence> chosen = HeadData.sample(sentences, o.sample(), seed);
        String name = chosen.size() == sentences.size() ? cacheName : cacheName + "_sample" + chosen.size();
        FeatureCache.Encoded encoded = cache.tokenStates(name, HeadTrainer.texts(chosen));
        ConllEval.Score score = nerScore(heads.ner(), chosen, encoded);
        log.printf(Locale.ROOT, "%s: %s (%d sentences)%n", set, score, chosen.size());
        return new NerResult(set, chosen.size(), score);
    }

    /** Accuracy in percent: two-class view against neg/pos gold labels, or three-class argmax. */
    public static double sentimentAccuracy(SentimentHead head, float[][] vectors, List<HeadData.LabelledText> items,
            boolean twoClass) {
        int correct = 0;
        for (int i = 0; i < items.size(); i++) {
            SentimentScores s = head.predict(vectors[i]);
            Polarity predicted = twoClass ? s.twoClass() : s.label();
            if (predicted.ordinal() == items.get(i).label()) {
                correct++;
            }
        }
        return items.isEmpty() ? 0 : 100.0 * correct / items.size();
    }

    /** EntitySpan scores of the head's spans (through {@link NerHead#predict}) against the gold chunks. */
    public static ConllEval.Score nerScore(NerHead head, List<HeadData.ConllSentence> sentences,
            FeatureCache.Encoded encoded) {
        ConllEval.Score score = new ConllEval.Score();
        for (int s = 0; s < sentences.size(); s++) {
            HeadData.ConllSentence sentence = sentences.get(s);
            String text = sentence.text();
            List<ConllEval.Span> predicted = new ArrayList<>();
            for (EntitySpan e : head.predict(text, encoded.tokens().get(s), encoded.encoded()[s])) {
                if (!e.text().equals(text.substring(e.start(), e.end()))) {
                    throw new IllegalStateException("Span text does not match its offsets: " + e);
                }
                predicted.add(new ConllEval.Span(e.type().name(), e.start(), e.end()));
            }
            score.add(sentence.goldSpans(), predicted);
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

    /** ms per text: encoder, sentiment head, NER head. */
    private static double[] timed(Encoder encoder, EncoderSession session, Heads heads, List<String> texts, int batch) {
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
            for (EncodedText e : encoded) {
                sink += heads.sentiment().predict(e.sentenceVector()).label().ordinal();
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < part.size(); i++) {
                sink += heads.ner().predict(part.get(i), tokens.get(i), encoded[i]).size();
            }
            long t3 = System.nanoTime();
            enc += t1 - t0;
            sent += t2 - t1;
            ner += t3 - t2;
        }
        if (sink == Long.MIN_VALUE) {
            System.out.print("");
        }
        double n = Math.max(1, texts.size());
        return new double[] {enc / 1e6 / n, sent / 1e6 / n, ner / 1e6 / n};
    }
}
