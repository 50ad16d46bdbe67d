package io.streamnlp.training;

import io.streamnlp.model.SentimentScores;
import io.streamnlp.heads.features.WordShape;
import io.streamnlp.heads.SentimentHead;
import io.streamnlp.heads.Pca;
import io.streamnlp.heads.NerHead;
import io.streamnlp.heads.Mlp;
import io.streamnlp.heads.Heads;
import io.streamnlp.heads.HeadFile;
import io.streamnlp.heads.BioTags;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.CustomModel;
import io.streamnlp.inference.ModelCatalogue;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the sentiment and NER heads of one encoder on its frozen outputs and writes them as
 * {@code <out>/<model>/sentiment.bin} and {@code ner.bin}. Seeded and deterministic: the same command
 * (same data, settings, thread count) writes the same bytes.
 *
 * <ul>
 *   <li>SentimentScores: SST sentence level, fine-grained train (8,544 sentences, grouped to 3 classes),
 *       plus optionally the SST-2 train phrases (67,349, negative/positive only: they are scored on
 *       the two-class view of the three outputs). Model selection on SST-2 dev and SST-5 dev.</li>
 *   <li>NER: CoNLL-2003 (CoNLL++) train; model selection on CoNLL++ dev entity F1.</li>
 * </ul>
 */
public final class HeadTrainer {

    /** Head release, the {@code v1} in {@code ner-v1-3fa2b1c0}: bump when features or format change. */
    public static final String RELEASE = "1";

    public record Options(
            String model,
            Path dataDir,
            Path outDir,
            Path cacheDir,
            int maxLength,
            int threads,
            int encodeBatch,
            long seed,
            boolean sentiment,
            boolean ner,
            boolean sstPhrases,
            int sentimentHidden,
            int sentimentEpochs,
            float sentimentLearningRate,
            float sentimentWeightDecay,
            float sentimentDropout,
            int nerHidden,
            int nerWindow,
            int nerEpochs,
            float nerLearningRate,
            float nerWeightDecay,
            float nerDropout,
            float nerInputDropout,
            float emaDecay,
            boolean nerBigram,
            int nerProjection,
            Path modelPath) {

        /** The encoder trained for: the custom one of {@code modelPath} (checked), else the catalogue's {@code model}. */
        EncoderSpec spec() {
            return modelPath != null ? CustomModel.load(modelPath) : ModelCatalogue.byName(model);
        }

        /** Where the heads go: {@code <modelPath>/heads/} for a custom encoder, else {@code <outDir>/<name>/}. */
        Path folder(EncoderSpec spec) {
            return modelPath != null ? CustomModel.headsOf(spec) : outDir.resolve(spec.name());
        }
    }

    private final Options o;
    private final PrintStream log;

    public HeadTrainer(Options options, PrintStream log) {
        this.o = options;
        this.log = log;
    }

    public void run() {
        EncoderSpec spec = o.spec();
        Path folder = o.folder(spec);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Encoder encoder = Encoder.load(spec, o.maxLength(), o.threads(), true)) {
            FeatureCache cache = new FeatureCache(encoder, o.cacheDir(), o.encodeBatch(), log);
            if (o.sentiment()) {
                write(folder.resolve(Heads.SENTIMENT_FILE), trainSentiment(spec, cache));
            }
            if (o.ner()) {
                write(folder.resolve(Heads.NER_FILE), trainNer(spec, cache));
            }
        }
    }

    private void write(Path file, HeadFile head) {
        try {
            Files.write(file, head.toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        log.printf("Wrote %s (%s, %,d bytes)%n", file, head.version(), head.toBytes().length);
    }

    HeadFile trainSentiment(EncoderSpec spec, FeatureCache cache) {
        Path data = o.dataDir();
        List<HeadData.LabelledText> fine = HeadData.fineGrouped(HeadData.file(data, HeadData.SST_FINE_TRAIN));
        List<HeadData.LabelledText> train = new ArrayList<>(fine);
        List<float[]> vectors = new ArrayList<>(List.of(cache.sentenceVectors("stsa_fine_train", HeadData.texts(fine))));
        int threeClass = fine.size();
        if (o.sstPhrases()) {
            List<HeadData.LabelledText> phrases = HeadData.sst2(HeadData.file(data, HeadData.SST2_TRAIN));
            train.addAll(phrases);
            vectors.addAll(List.of(cache.sentenceVectors("sst2_train", HeadData.texts(phrases))));
        }
        List<HeadData.LabelledText> sst2Dev = HeadData.sst2(HeadData.file(data, HeadData.SST2_DEV));
        float[][] sst2DevVectors = cache.sentenceVectors("sst2_dev", HeadData.texts(sst2Dev));
        List<HeadData.LabelledText> fineDev = HeadData.fineGrouped(HeadData.file(data, HeadData.SST_FINE_DEV));
        float[][] fineDevVectors = cache.sentenceVectors("stsa_fine_dev", HeadData.texts(fineDev));

        int n = train.size();
        int dim = spec.dimension();
        double[] sum = new double[dim];
        double[] sq = new double[dim];
        for (float[] v : vectors) {
            for (int d = 0; d < dim; d++) {
                sum[d] += v[d];
                sq[d] += (double) v[d] * v[d];
            }
        }
        float[] mean = new float[dim];
        float[] invStd = new float[dim];
        for (int d = 0; d < dim; d++) {
            double m = sum[d] / n;
            mean[d] = (float) m;
            invStd[d] = (float) (1.0 / Math.sqrt(Math.max(sq[d] / n - m * m, 1e-12)));
        }
        float[] x = new float[n * dim];
        int[] labels = new int[n];
        int[] allowed = new int[n];
        for (int i = 0; i < n; i++) {
            float[] v = vectors.get(i);
            for (int d = 0; d < dim; d++) {
                x[i * dim + d] = (v[d] - mean[d]) * invStd[d];
            }
            labels[i] = train.get(i).label();
            allowed[i] = i < threeClass ? 0b111 : 0b101;
        }
        MlpTrainer.Rows rows = new MlpTrainer.Rows() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public int dim() {
                return dim;
            }

            @Override
            public void fill(int example, float[] dst) {
                System.arraycopy(x, example * dim, dst, 0, dim);
            }
        };
        MlpTrainer.Config config = new MlpTrainer.Config(o.sentimentHidden(), o.sentimentEpochs(), 64,
                o.sentimentLearningRate(), o.sentimentWeightDecay(), o.sentimentDropout(), 0f, o.emaDecay(), o.seed(),
                o.threads());
        log.printf("Training the sentiment head of %s: %,d examples (%,d three-class sentences%s), %s%n", spec.name(), n,
                threeClass, o.sstPhrases() ? ", " + (n - threeClass) + " two-class SST-2 phrases" : "",
                o.sentimentHidden() > 0 ? "MLP, " + o.sentimentHidden() + " hidden" : "softmax regression");
        double[] last = new double[2];
        Mlp model = MlpTrainer.train(rows, labels, allowed, 3, config, m -> {
            SentimentHead head = new SentimentHead(sentimentFile(spec, m, mean, invStd, Map.of(), false));
            last[0] = HeadEvaluator.sentimentAccuracy(head, sst2DevVectors, sst2Dev, true);
            last[1] = HeadEvaluator.sentimentAccuracy(head, fineDevVectors, fineDev, false);
            log.printf(Locale.ROOT, "  SST-2 dev %.2f %%, SST-5 dev grouped %.2f %%%n", last[0], last[1]);
            return (last[0] + last[1]) / 2;
        }, log, "sentiment");

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("input", "pooled L2-normalised sentence vector, standardised (mean, inv_std)");
        meta.put("train.data", "SST sentence level stsa.fine.train grouped 0-1/2/3-4"
                + (o.sstPhrases() ? " + SST-2 train phrases (two-class loss)" : ""));
        meta.put("train.examples", Integer.toString(n));
        meta.put("train.hidden", Integer.toString(o.sentimentHidden()));
        meta.put("train.epochs", Integer.toString(o.sentimentEpochs()));
        meta.put("train.hiddenDropout", Float.toString(o.sentimentDropout()));
        meta.put("train.ema", Float.toString(o.emaDecay()));
        meta.put("train.seed", Long.toString(o.seed()));
        meta.put("encoder.maxLength", Integer.toString(o.maxLength()));
        HeadFile file = sentimentFile(spec, model, mean, invStd, meta, true);
        SentimentHead head = new SentimentHead(file);
        log.printf(Locale.ROOT, "Sentiment head %s: SST-2 dev %.2f %%, SST-5 dev grouped %.2f %% (weights as shipped)%n",
                file.version(), HeadEvaluator.sentimentAccuracy(head, sst2DevVectors, sst2Dev, true),
                HeadEvaluator.sentimentAccuracy(head, fineDevVectors, fineDev, false));
        return file;
    }

    private static HeadFile sentimentFile(EncoderSpec spec, Mlp model, float[] mean, float[] invStd,
            Map<String, String> meta, boolean half) {
        List<HeadFile.Tensor> tensors = new ArrayList<>();
        tensors.add(new HeadFile.Tensor("mean", new int[] {mean.length}, mean, false));
        tensors.add(new HeadFile.Tensor("inv_std", new int[] {invStd.length}, invStd, false));
        tensors.addAll(model.tensors(half));
        return HeadFile.create(SentimentHead.KIND, RELEASE, spec.name(), spec.version(), SentimentHead.LABELS, meta,
                tensors);
    }

    HeadFile trainNer(EncoderSpec spec, FeatureCache cache) {
        Path data = o.dataDir();
        List<HeadData.ConllSentence> train = HeadData.conll(HeadData.file(data, HeadData.CONLL_TRAIN));
        List<HeadData.ConllSentence> dev = HeadData.conll(HeadData.file(data, HeadData.CONLL_DEV));
        FeatureCache.Encoded trainEncoded = cache.tokenStates("conllpp_train", texts(train));
        FeatureCache.Encoded devEncoded = cache.tokenStates("conllpp_dev", texts(dev));
        NerSet trainSet = NerSet.build(train, trainEncoded);
        trainEncoded = null;
        NerSet devSet = NerSet.build(dev, devEncoded);
        float[][] norm = trainSet.meanInvStd();
        trainSet.standardize(norm[0], norm[1]);
        devSet.standardize(norm[0], norm[1]);
        float[][] projection = null;
        if (o.nerProjection() > 0) {
            projection = Pca.fit(trainSet.states, trainSet.totalWords(), trainSet.dim, o.nerProjection());
            trainSet.project(projection);
            devSet.project(projection);
            log.printf("Projected the states onto their top %d principal components%n", o.nerProjection());
        }
        int window = o.nerWindow();
        MlpTrainer.Rows rows = trainSet.rows(window);
        MlpTrainer.Config config = new MlpTrainer.Config(o.nerHidden(), o.nerEpochs(), 64, o.nerLearningRate(),
                o.nerWeightDecay(), o.nerDropout(), o.nerInputDropout(), o.emaDecay(), o.seed(), o.threads());
        log.printf("Training the NER head of %s: %,d words in %,d sentences, window +-%d, input %d, hidden %d%n",
                spec.name(), trainSet.totalWords(), train.size(), window, rows.dim(), o.nerHidden());
        Mlp model = MlpTrainer.train(rows, trainSet.labels, null, BioTags.size(), config, m -> {
            ConllEval.Score s = devSet.score(m, window, dev);
            log.printf(Locale.ROOT, "  CoNLL++ dev: %s%n", s);
            return s.f1();
        }, log, "ner");

        // Tag-bigram scores for Viterbi, weight tuned on dev (0 keeps the BIO constraints only).
        float[][] bigram = BioTags.bigramLogProbabilities(trainSet.labels, trainSet.base, trainSet.count);
        float weight = 0f;
        if (o.nerBigram()) {
            double bestF1 = devSet.score(model, window, dev).f1();
            for (float w : new float[] {0.25f, 0.5f, 0.75f, 1f}) {
                double f1 = devSet.score(model, window, dev, bigram, w).f1();
                log.printf(Locale.ROOT, "  tag-bigram weight %.2f: CoNLL++ dev F1 %.2f%n", w, f1);
                if (f1 > bestF1) {
                    bestF1 = f1;
                    weight = w;
                }
            }
            log.printf(Locale.ROOT, "  tag-bigram weight chosen: %.2f (dev F1 %.2f)%n", weight, bestF1);
        }
        float[] bigramFlat = new float[bigram.length * BioTags.size()];
        for (int i = 0; i < bigram.length; i++) {
            System.arraycopy(bigram[i], 0, bigramFlat, i * BioTags.size(), BioTags.size());
        }

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("window", Integer.toString(window));
        meta.put("transition.weight", Float.toString(weight));
        meta.put("input", "per word: first word-piece state (standardised) of the words in +-window, word shape "
                + WordShape.PER_WORD + ", padding flag; text shape " + WordShape.PER_TEXT);
        meta.put("train.data", "CoNLL-2003 (CoNLL++ conllpp_train.txt), Reuters RCV1, research use only");
        meta.put("train.words", Integer.toString(trainSet.totalWords()));
        meta.put("train.hidden", Integer.toString(o.nerHidden()));
        meta.put("train.epochs", Integer.toString(o.nerEpochs()));
        if (o.nerProjection() > 0) {
            meta.put("train.projection", Integer.toString(o.nerProjection()));
        }
        meta.put("train.inputDropout", Float.toString(o.nerInputDropout()));
        meta.put("train.hiddenDropout", Float.toString(o.nerDropout()));
        meta.put("train.ema", Float.toString(o.emaDecay()));
        meta.put("train.seed", Long.toString(o.seed()));
        meta.put("encoder.maxLength", Integer.toString(o.maxLength()));
        List<HeadFile.Tensor> tensors = new ArrayList<>();
        tensors.add(new HeadFile.Tensor("mean", new int[] {norm[0].length}, norm[0], false));
        tensors.add(new HeadFile.Tensor("inv_std", new int[] {norm[1].length}, norm[1], false));
        if (projection != null) {
            float[] flat = new float[projection.length * projection[0].length];
            for (int d = 0; d < projection.length; d++) {
                System.arraycopy(projection[d], 0, flat, d * projection[0].length, projection[0].length);
            }
            // f32: the projected states must match what the MLP was trained on.
            tensors.add(new HeadFile.Tensor("projection", new int[] {projection.length, projection[0].length}, flat,
                    false));
        }
        tensors.addAll(model.tensors(true));
        tensors.add(new HeadFile.Tensor("bigram", new int[] {bigram.length, BioTags.size()}, bigramFlat, false));
        HeadFile file = HeadFile.create(NerHead.KIND, RELEASE, spec.name(), spec.version(), BioTags.LABELS, meta,
                tensors);
        ConllEval.Score shipped = HeadEvaluator.nerScore(new NerHead(file), dev, devEncoded);
        log.printf(Locale.ROOT, "NER head %s: CoNLL++ dev %s (weights as shipped)%n", file.version(), shipped);
        return file;
    }

    static List<String> texts(List<HeadData.ConllSentence> sentences) {
        return sentences.stream().map(HeadData.ConllSentence::text).toList();
    }
}
