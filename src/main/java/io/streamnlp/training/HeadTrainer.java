package io.streamnlp.training;

import io.streamnlp.heads.BioTags;
import io.streamnlp.heads.HeadFile;
import io.streamnlp.heads.Heads;
import io.streamnlp.heads.Mlp;
import io.streamnlp.heads.NerHead;
import io.streamnlp.heads.Pca;
import io.streamnlp.heads.SentimentHead;
import io.streamnlp.heads.features.NerStates;
import io.streamnlp.heads.features.SentimentInput;
import io.streamnlp.heads.features.WordShape;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.CustomModel;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.model.EntityKind;
import io.streamnlp.model.HeadProfile;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Trains the sentiment and NER heads of one encoder on its frozen outputs and writes them as
 * {@code <out>/<model>/sentiment.bin} and {@code ner.bin}. Seeded and deterministic: the same command
 * (same data, settings, thread count) writes the same bytes.
 *
 * <ul>
 *   <li>Sentiment, multi-domain: SST sentences (3 classes) and SST-2 phrases (two-class loss), the
 *       SemEval-2017 4A tweets (2013-2016 releases but the 2016 devtest and test), GoEmotions train
 *       (Reddit), the SemEval-2014 ABSA review sentences, optionally the airline tweets
 *       (non-commercial licence) and the user's own files; one weight per domain. Model selection on
 *       SST-2 dev, SST-5 dev, SemEval twitter-2016devtest-A and GoEmotions dev; then the class
 *       priors (logit biases of negative and neutral) are calibrated on the same sets.</li>
 *   <li>NER, multi-domain (release 2, {@link CrfNerTrainer}): CoNLL-2003 (CoNLL++) train, BTC
 *       train, WNUT-17 train, Tweebank train, three quarters of UNER-EWT dev, and the user's files;
 *       one weight per domain. Model selection on CoNLL++ dev, BTC dev, Tweebank dev and the last
 *       quarter of UNER-EWT dev. {@code --ner-arch window-mlp} trains the release-1 head on CoNLL
 *       alone, as before.</li>
 * </ul>
 *
 * Every training item whose text equals a held-out or selection item ({@link HeldOut}, by
 * {@link DataSets#key}) is dropped, and so is every repeat of a text within the training sets; the
 * SemEval tweets are also de-duplicated by id.
 */
public final class HeadTrainer {

    /** Release of the heads this trainer writes: the {@code v2} in {@code ner-v2-3fa2b1c0}. */
    public static final String RELEASE = "2";
    /** Release of a NER head that mixes in an intermediate layer ({@link NerStates}): {@code ner-v3-...}. */
    public static final String LAYER_MIX_RELEASE = "3";

    /** A user's own labelled file and how much it weighs; {@code types} only for NER files. */
    public record UserFile(Path path, float weight, Set<EntityKind> types) {

        /**
         * {@code FILE[:WEIGHT]} (sentiment) or {@code FILE[:WEIGHT[:TYPES]]} (NER, TYPES such as
         * {@code PER+ORG+LOC}; default all four), as the {@code --sentiment-data} / {@code --ner-data}
         * flags take them.
         */
        public static UserFile parse(String spec, boolean ner) {
            String[] parts = spec.split(":");
            int n = parts.length;
            Set<EntityKind> types = EnumSet.allOf(EntityKind.class);
            float weight = 1f;
            int pathParts = n;
            if (ner && n >= 3 && parts[n - 1].matches("[A-Za-z+,]+") && parts[n - 2].matches("[0-9.]+")) {
                types = parseTypes(parts[n - 1]);
                weight = Float.parseFloat(parts[n - 2]);
                pathParts = n - 2;
            } else if (n >= 2 && parts[n - 1].matches("[0-9.]+")) {
                weight = Float.parseFloat(parts[n - 1]);
                pathParts = n - 1;
            }
            Path path = Path.of(String.join(":", java.util.Arrays.copyOf(parts, pathParts)));
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("No such file: " + path);
            }
            return new UserFile(path, weight, types);
        }
    }

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
            // Release 2.
            String nerArch,
            int charBuckets,
            int charDim,
            int nerBatchSentences,
            boolean airline,
            String calibrate,
            String sentimentInput,
            Map<String, Float> sentimentWeights,
            Map<String, Float> nerWeights,
            List<UserFile> userSentiment,
            List<UserFile> userNer,
            boolean encodeOnly,
            boolean nerTransitions,
            int sentimentEnsemble,
            Path modelPath,
            // The name, as heads.profile and train --profile spell it.
            String profileName,
            // Release 3: auto, last or mean-last-intermediate (NerStates).
            String nerStatesName,
            // Release 3: a name list learned from the NER training sets (NameListBuilder).
            boolean nerNames,
            // Which graph of the encoder the heads are trained on (model.graph): packaged or fused.
            String graphName) {

        /**
         * The layers the NER head reads: as named, or for {@code auto} the mix with the encoder's
         * intermediate layer where it exposes one (the catalogue's e5-small-q), else the last layer.
         */
        NerStates nerStates(EncoderSpec spec) {
            if (!"auto".equals(nerStatesName)) {
                return NerStates.of(nerStatesName);
            }
            return spec.intermediateOutput() == null ? NerStates.LAST : NerStates.MEAN_OF_LAST_AND_INTERMEDIATE;
        }

        /**
         * What the sentiment head reads: as named, or for {@code auto} the sentence vector beside the encoder's
         * intermediate layer where it exposes one (release 3), else the sentence vector alone.
         */
        SentimentInput sentimentInput(EncoderSpec spec) {
            if (!"auto".equals(sentimentInput)) {
                return SentimentInput.of(sentimentInput);
            }
            return spec.intermediateOutput() == null ? SentimentInput.VECTOR : SentimentInput.VECTOR_AND_INTERMEDIATE;
        }

        /** Which shared sets may train the heads: {@code profileName}'s profile. */
        HeadProfile profile() {
            return HeadProfile.of(profileName);
        }

        /** The encoder trained for: the custom one of {@code modelPath} (checked), else the catalogue's {@code model}. */
        EncoderSpec spec() {
            return modelPath != null ? CustomModel.load(modelPath) : ModelCatalogue.byName(model);
        }

        /**
         * Where the heads go: {@code <modelPath>/heads/} for a custom encoder, else {@code <outDir>/<name>/}, and
         * its {@code commercial/} sub-folder for that profile (where {@code heads.profile=commercial} finds them), and
         * a {@code fused/} sub-folder of that for heads trained on the fused graph (where it finds them).
         */
        Path folder(EncoderSpec spec) {
            if (modelPath != null) {
                return CustomModel.headsOf(spec);
            }
            Path profileFolder = outDir.resolve(spec.name()).resolve(profile().subfolder());
            return EncoderGraph.of(graphName()) == EncoderGraph.FUSED ? profileFolder.resolve(Heads.FUSED_SUBFOLDER) : profileFolder;
        }

        /** Only the shared sets whose licence allows commercial use (and the user's own files). */
        boolean commercial() {
            return profile() == HeadProfile.COMMERCIAL;
        }
    }

    /**
     * Is {@code profile} (as {@code train --profile} takes it) the commercial one?
     *
     * @throws IllegalArgumentException when it names no profile
     */
    public static boolean commercialProfile(String profile) {
        return HeadProfile.of(profile) == HeadProfile.COMMERCIAL;
    }

    /** Default weight of each sentiment domain (the loss of one item of it). */
    public static final Map<String, Float> SENTIMENT_WEIGHTS = Map.of("sst", 2.5f, "sst-phrases", 1.25f, "tweets",
            1.5f, "reddit", 0.25f, "reviews", 2f, "user", 1f);

    /** Default weight of each NER domain (the loss of one sentence of it). */
    public static final Map<String, Float> NER_WEIGHTS = Map.of("news", 1f, "tweets", 1f, "web", 2f, "user", 1f);

    /**
     * Held-out data when training from the user's files alone ({@code dataDir} null): the files named
     * for it, else a seeded {@code fraction} of each user file (per label for sentiment, by sentence
     * for NER).
     */
    public record UserHeldOut(double fraction, List<Path> sentiment, List<Path> ner) {

        public static final double DEFAULT_FRACTION = ClassifierTrainer.DEFAULT_HELD_OUT_PERCENT / 100.0;

        public UserHeldOut {
            if (fraction <= 0 || fraction >= 0.9) {
                throw new IllegalArgumentException("--held-out-fraction must be above 0 and below 0.9");
            }
            sentiment = List.copyOf(sentiment);
            ner = List.copyOf(ner);
        }
    }

    private final Options o;
    private final UserHeldOut userHeldOut;
    private final PrintStream log;
    private List<UserSplits.Sentiment> sentimentSplits;
    private List<UserSplits.Ner> nerSplits;

    public HeadTrainer(Options options, PrintStream log) {
        this(options, new UserHeldOut(UserHeldOut.DEFAULT_FRACTION, List.of(), List.of()), log);
    }

    public HeadTrainer(Options options, UserHeldOut userHeldOut, PrintStream log) {
        this.o = options;
        this.userHeldOut = userHeldOut;
        this.log = log;
    }

    /** True when only the user's files train the heads: no shared data folder. */
    boolean userOnly() {
        return o.dataDir() == null;
    }

    /** The user's sentiment files, split (user-only mode). */
    List<UserSplits.Sentiment> sentimentSplits() {
        if (sentimentSplits == null) {
            DataSets.SentimentCorpus given = null;
            if (!userHeldOut.sentiment().isEmpty()) {
                List<String> texts = new ArrayList<>();
                List<Integer> labels = new ArrayList<>();
                for (Path p : userHeldOut.sentiment()) {
                    DataSets.SentimentCorpus c = DataSets.userSentiment(p);
                    texts.addAll(c.texts());
                    for (int l : c.labels()) {
                        labels.add(l);
                    }
                }
                given = new DataSets.SentimentCorpus("user held-out file(s)", "user_heldout_given", texts,
                        labels.stream().mapToInt(Integer::intValue).toArray(), false, "user");
            }
            List<UserSplits.Sentiment> out = new ArrayList<>();
            for (UserFile f : o.userSentiment()) {
                // The named held-out set is reported once, with the first file's split.
                out.add(UserSplits.sentiment(DataSets.userSentiment(f.path()), out.isEmpty() ? given
                        : emptyLike(given), userHeldOut.fraction(), o.seed()));
            }
            sentimentSplits = out;
        }
        return sentimentSplits;
    }

    private static DataSets.SentimentCorpus emptyLike(DataSets.SentimentCorpus given) {
        return given == null ? null : new DataSets.SentimentCorpus(given.name(), given.cacheName(), List.of(),
                new int[0], false, "user");
    }

    /** The user's NER files, split (user-only mode). */
    List<UserSplits.Ner> nerSplits() {
        if (nerSplits == null) {
            List<UserSplits.Ner> out = new ArrayList<>();
            for (UserFile f : o.userNer()) {
                DataSets.NerCorpus given = null;
                if (!userHeldOut.ner().isEmpty()) {
                    List<HeadData.ConllSentence> sentences = new ArrayList<>();
                    if (out.isEmpty()) {
                        for (Path p : userHeldOut.ner()) {
                            sentences.addAll(DataSets.userNer(p, f.types()).sentences());
                        }
                    }
                    given = DataSets.ner("user held-out file(s)", "user_heldout_given", sentences, f.types(), "user");
                }
                out.add(UserSplits.ner(DataSets.userNer(f.path(), f.types()), given, userHeldOut.fraction(),
                        o.seed()));
            }
            nerSplits = out;
        }
        return nerSplits;
    }

    public void run() {
        EncoderSpec spec = o.spec();
        Path folder = o.folder(spec);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (o.commercial()) {
            log.printf("Profile %s: %s%s%n", o.profile().settingName(), o.profile().licence(),
                    o.userSentiment().isEmpty() && o.userNer().isEmpty() ? "" : "; plus your own files (their terms are yours)");
        }
        try (Encoder encoder = Encoder.load(spec, o.maxLength(), o.threads(), true, EncoderGraph.of(o.graphName()))) {
            FeatureCache cache = new FeatureCache(encoder, o.cacheDir(), o.encodeBatch(), log);
            if (o.sentiment()) {
                HeadFile file = trainSentiment(spec, cache);
                if (file != null) {
                    write(folder.resolve(Heads.SENTIMENT_FILE), file);
                }
            }
            if (o.ner()) {
                FeatureCache nerCache = cache.withNerStates(o.nerStates(spec));
                HeadFile file = o.nerArch().equals("window-mlp") ? trainNerWindowMlp(spec, nerCache)
                        : trainNerCrf(spec, nerCache);
                if (file != null) {
                    write(folder.resolve(Heads.NER_FILE), file);
                }
            }
        }
        if (userOnly() && !o.encodeOnly()) {
            keepOtherHead(spec, folder, Heads.SENTIMENT_FILE, o.sentiment());
            keepOtherHead(spec, folder, Heads.NER_FILE, o.ner());
        }
    }

    /**
     * Training one head from the user's file leaves the other as it was; the stream needs both, so a
     * folder without the other gets the bundled one of a catalogue encoder (said in the log), and for
     * an encoder without bundled heads the log says what to train.
     */
    private void keepOtherHead(EncoderSpec spec, Path folder, String file, boolean trained) {
        if (trained || Files.isRegularFile(folder.resolve(file))) {
            return;
        }
        java.io.InputStream bundled = o.modelPath() != null ? null
                : Heads.class.getClassLoader().getResourceAsStream(Heads.resource(spec.name(), o.profile(), file));
        if (bundled == null) {
            log.printf("No %s in %s: train it too (the stream needs both heads), e.g. with --%s FILE%n", file,
                    folder, file.equals(Heads.SENTIMENT_FILE) ? "sentiment-data" : "ner-data");
            return;
        }
        try (java.io.InputStream in = bundled) {
            Files.copy(in, folder.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + folder.resolve(file), e);
        }
        log.printf("Copied the bundled %s of %s to %s (not trained: no data for it given)%n", file, spec.name(),
                folder);
    }

    /** A commercial-profile head says so, and what its data allows (the research heads' bytes stay as they were). */
    private void putProfile(Map<String, String> meta) {
        if (o.commercial()) {
            meta.put("profile", o.profile().settingName());
            meta.put("licence", o.profile().licence());
        }
        if (EncoderGraph.of(o.graphName()) != EncoderGraph.PACKAGED) {
            meta.put("encoder.graph", o.graphName()); // the graph whose outputs the head learned from
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

    // ------------------------------------------------------------------------------------ sentiment

    /** The sentiment training sets, before de-duplication. */
    List<DataSets.SentimentCorpus> sentimentTraining() {
        if (userOnly()) {
            return sentimentSplits().stream().map(UserSplits.Sentiment::train).toList();
        }
        Path data = o.dataDir();
        List<DataSets.SentimentCorpus> train = new ArrayList<>();
        if (o.commercial()) {
            // GoEmotions (Apache-2.0) is the one shared sentiment set whose licence allows commercial use.
            train.add(DataSets.goEmotions(data, DataSets.GOEMOTIONS_TRAIN, "GoEmotions train", "goemotions_train"));
            for (UserFile f : o.userSentiment()) {
                train.add(DataSets.userSentiment(f.path()));
            }
            return train;
        }
        train.add(DataSets.sstFine(data, HeadData.SST_FINE_TRAIN, "SST sentences (stsa.fine.train, 3 classes)",
                "stsa_fine_train"));
        if (o.sstPhrases()) {
            DataSets.SentimentCorpus phrases = DataSets.sst2(data, HeadData.SST2_TRAIN, "SST-2 train phrases",
                    "sst2_train");
            train.add(new DataSets.SentimentCorpus(phrases.name(), phrases.cacheName(), phrases.texts(),
                    phrases.labels(), true, "sst-phrases"));
        }
        Set<String> excludedIds = new java.util.HashSet<>(DataSets.semevalIds(data, DataSets.SEMEVAL_TEST));
        excludedIds.addAll(DataSets.semevalIds(data, DataSets.SEMEVAL_SELECT));
        train.add(DataSets.withoutIds(data, DataSets.semevalTrain(data), excludedIds));
        train.add(DataSets.goEmotions(data, DataSets.GOEMOTIONS_TRAIN, "GoEmotions train", "goemotions_train"));
        train.add(DataSets.absa(data, DataSets.ABSA_RESTAURANTS, "SemEval-2014 ABSA restaurants", "absa_restaurants"));
        train.add(DataSets.absa(data, DataSets.ABSA_LAPTOPS, "SemEval-2014 ABSA laptops", "absa_laptops"));
        if (o.airline()) {
            train.add(DataSets.airline(data));
        }
        for (UserFile f : o.userSentiment()) {
            train.add(DataSets.userSentiment(f.path()));
        }
        return train;
    }

    /** Model-selection sets of the sentiment head (never trained on). */
    List<DataSets.SentimentCorpus> sentimentSelection() {
        if (userOnly()) {
            return sentimentSplits().stream().map(UserSplits.Sentiment::validation).toList();
        }
        Path data = o.dataDir();
        if (o.commercial()) {
            // Chosen on data of the same licence too, so that nothing of another licence shaped the weights.
            return List.of(DataSets.goEmotions(data, DataSets.GOEMOTIONS_DEV, "GoEmotions dev", "goemotions_dev"));
        }
        return List.of(DataSets.sst2(data, HeadData.SST2_DEV, HeldOut.SST2_DEV, "sst2_dev"),
                DataSets.sstFine(data, HeadData.SST_FINE_DEV, HeldOut.SST5_DEV, "stsa_fine_dev"),
                DataSets.semevalSet(data, DataSets.SEMEVAL_SELECT, "SemEval twitter-2016devtest-A",
                        "semeval_2016devtest"),
                DataSets.goEmotions(data, DataSets.GOEMOTIONS_DEV, "GoEmotions dev", "goemotions_dev"));
    }

    private float sentimentWeight(DataSets.SentimentCorpus c) {
        if (c.domain().equals("user")) {
            for (UserFile f : o.userSentiment()) {
                if (c.cacheName().equals(DataSets.userSentiment(f.path()).cacheName())) {
                    return f.weight();
                }
            }
        }
        Float w = o.sentimentWeights().get(c.domain());
        if (w == null) {
            throw new IllegalArgumentException("No weight for sentiment domain " + c.domain());
        }
        return w;
    }

    HeadFile trainSentiment(EncoderSpec spec, FeatureCache cache) {
        Path data = o.dataDir();
        SentimentInput input = o.sentimentInput(spec);
        List<DataSets.SentimentCorpus> select = sentimentSelection();
        List<DataSets.SentimentCorpus> reported = userOnly()
                ? sentimentSplits().stream().map(UserSplits.Sentiment::heldOut).filter(c -> !c.texts().isEmpty())
                        .toList()
                : List.of();
        List<DataSets.SentimentCorpus> heldOut = new ArrayList<>(userOnly() ? reported
                : HeldOut.sentiment(data, !o.airline()));
        heldOut.addAll(select);
        List<DataSets.SentimentCorpus> train = new ArrayList<>();
        Map<String, int[]> dropped = DataSets.dedupeSentiment(sentimentTraining(), heldOut, train);

        log.printf("Sentiment training sets of %s (%s input):%n", spec.name(), input.settingName());
        List<float[][]> features = new ArrayList<>();
        for (DataSets.SentimentCorpus c : train) {
            features.add(cache.sentimentInputs(input, c.cacheName(), c.texts()));
            int[] counts = DataSets.labelCounts(c);
            int[] d = dropped.get(c.name());
            log.printf(Locale.ROOT, "  %-45s %-11s weight %.2f: %,7d items (neg %,d / neu %,d / pos %,d)%s; dropped: "
                    + "%,d equal to a held-out or selection text, %,d repeats%n", c.name(), c.domain(),
                    sentimentWeight(c), c.used(), counts[0], counts[1], counts[2], c.twoClass() ? ", two-class" : "",
                    d[0], d[1]);
        }
        List<float[][]> selectFeatures = new ArrayList<>();
        for (DataSets.SentimentCorpus c : select) {
            selectFeatures.add(cache.sentimentInputs(input, c.cacheName(), c.texts()));
        }
        if (o.encodeOnly()) {
            return null;
        }
        int n = 0;
        for (DataSets.SentimentCorpus c : train) {
            n += c.used();
        }
        int dim = input.width(spec.dimension());
        double[] sum = new double[dim];
        double[] sq = new double[dim];
        float[] x = new float[n * dim];
        int[] labels = new int[n];
        int[] allowed = new int[n];
        float[] weights = new float[n];
        int k = 0;
        for (int ci = 0; ci < train.size(); ci++) {
            DataSets.SentimentCorpus c = train.get(ci);
            float[][] f = features.get(ci);
            float w = sentimentWeight(c);
            for (int i = 0; i < c.texts().size(); i++) {
                if (c.labels()[i] < 0) {
                    continue;
                }
                float[] v = f[i];
                for (int d = 0; d < dim; d++) {
                    sum[d] += v[d];
                    sq[d] += (double) v[d] * v[d];
                }
                System.arraycopy(v, 0, x, k * dim, dim);
                labels[k] = c.labels()[i];
                allowed[k] = c.twoClass() ? 0b101 : 0b111;
                weights[k] = w;
                k++;
            }
        }
        features = null;
        float[] mean = new float[dim];
        float[] invStd = new float[dim];
        for (int d = 0; d < dim; d++) {
            double m = sum[d] / n;
            mean[d] = (float) m;
            invStd[d] = (float) (1.0 / Math.sqrt(Math.max(sq[d] / n - m * m, 1e-12)));
        }
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                x[i * dim + d] = (x[i * dim + d] - mean[d]) * invStd[d];
            }
        }
        final int rowDim = dim;
        final int rowsN = n;
        MlpTrainer.Rows rows = new MlpTrainer.Rows() {
            @Override
            public int size() {
                return rowsN;
            }

            @Override
            public int dim() {
                return rowDim;
            }

            @Override
            public void fill(int example, float[] dst) {
                System.arraycopy(x, example * rowDim, dst, 0, rowDim);
            }
        };
        log.printf("Training the sentiment head of %s: %,d examples, %s%s%n", spec.name(), n,
                o.sentimentHidden() > 0 ? "MLP, " + o.sentimentHidden() + " hidden" : "softmax regression",
                o.sentimentEnsemble() > 1 ? ", ensemble of " + o.sentimentEnsemble() : "");
        // A user's file alone is small: as the classifier trainer does, enough epochs for some 1,500 steps
        // and no weight averaging (an average over a few dozen steps stays near the initial weights).
        int sentimentEpochs = userOnly() ? smallDataEpochs(o.sentimentEpochs(), (n + 63) / 64, 1500) : o.sentimentEpochs();
        float ema = userOnly() ? 0f : o.emaDecay();
        if (userOnly()) {
            log.printf("Small data: %d epochs, no weight averaging%n", sentimentEpochs);
        }
        List<Mlp> model = new ArrayList<>();
        for (int member = 0; member < Math.max(1, o.sentimentEnsemble()); member++) {
            MlpTrainer.Config config = new MlpTrainer.Config(o.sentimentHidden(), sentimentEpochs, 64,
                    o.sentimentLearningRate(), o.sentimentWeightDecay(), o.sentimentDropout(), 0f, ema,
                    o.seed() + 1000L * member, o.threads());
            model.add(MlpTrainer.train(rows, labels, allowed, weights, 3, config, m -> {
                SentimentHead head = new SentimentHead(sentimentFile(spec, List.of(m), mean, invStd, null, input,
                        Map.of(), false));
                return selectionScore(head, select, selectFeatures, true);
            }, log, "sentiment" + (o.sentimentEnsemble() > 1 ? " " + (member + 1) : "")));
        }

        float[] bias = null;
        if (!o.calibrate().equals("none")) {
            // Calibration of the class priors on the selection sets: logit biases of negative (priors only)
            // and neutral (positive is the reference), chosen for the best mean of two-class accuracy and
            // three-class macro recall (the SemEval measure: every class counts the same).
            // The ensemble's logits are computed once per selection text; each bias only re-scores them.
            boolean priors = o.calibrate().equals("priors");
            float[][][] logits = selectionLogits(new SentimentHead(sentimentFile(spec, model, mean, invStd, null,
                    input, Map.of(), true)), select, selectFeatures);
            double best = calibrationScore(logits, null, select);
            float[] chosen = {0, 0, 0};
            for (int ni = priors ? -5 : 0; ni <= (priors ? 10 : 0); ni++) {
                for (int ui = -15; ui <= 10; ui++) {
                    float[] b = {ni * 0.1f, ui * 0.1f, 0};
                    double score = calibrationScore(logits, b, select);
                    if (score > best + 1e-9) {
                        best = score;
                        chosen = b;
                    }
                }
            }
            log.printf(Locale.ROOT, "Logit biases chosen on the selection sets: negative %+.1f, neutral %+.1f "
                    + "(calibration score %.3f)%n", chosen[0], chosen[1], best);
            bias = chosen;
        }

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("input", switch (input) {
            case VECTOR -> "pooled L2-normalised sentence vector, standardised (mean, inv_std)";
            case POOLED3 -> "pooled3: sentence vector, max over token states, first token state; standardised";
            case VECTOR_AND_INTERMEDIATE -> "sentence vector beside the L2-normalised mean of the intermediate layer's "
                    + "token states (" + spec.intermediateOutput() + "); standardised";
            case MEAN_OF_LAST_AND_INTERMEDIATE -> "L2-normalised mean over the tokens of (last layer + intermediate layer "
                    + spec.intermediateOutput() + ") / 2; standardised";
        });
        StringBuilder sets = new StringBuilder();
        for (DataSets.SentimentCorpus c : train) {
            sets.append(sets.isEmpty() ? "" : "; ").append(c.name()).append(" (").append(c.used()).append(", weight ")
                    .append(sentimentWeight(c)).append(')');
        }
        meta.put("train.data", sets.toString());
        putProfile(meta);
        meta.put("train.examples", Integer.toString(n));
        meta.put("train.hidden", Integer.toString(o.sentimentHidden()));
        meta.put("train.epochs", Integer.toString(sentimentEpochs));
        meta.put("train.hiddenDropout", Float.toString(o.sentimentDropout()));
        meta.put("train.ema", Float.toString(ema));
        meta.put("train.seed", Long.toString(o.seed()));
        meta.put("encoder.maxLength", Integer.toString(o.maxLength()));
        HeadFile file = sentimentFile(spec, model, mean, invStd, bias, input, meta, true);
        SentimentHead head = new SentimentHead(file);
        log.printf(Locale.ROOT, "Sentiment head %s (weights as shipped):%n", file.version());
        for (int i = 0; i < select.size(); i++) {
            DataSets.SentimentCorpus c = select.get(i);
            HeadEvaluator.SentimentResult r = HeadEvaluator.sentimentResult(c.name(), head, used(c, selectFeatures.get(i)),
                    c.items(), c.twoClass());
            log.printf(Locale.ROOT, "  %s: accuracy %.2f %%, macro recall %.2f%n", c.name(), r.accuracy(),
                    r.macroRecall());
        }
        if (userOnly()) {
            List<float[][]> vectors = new ArrayList<>();
            for (DataSets.SentimentCorpus c : reported) {
                vectors.add(cache.sentimentInputs(input, c.cacheName(), c.texts()));
            }
            log.printf("Sentiment held-out table (never trained or selected on):%n");
            log.printf("  %-50s %6s %9s %13s%n", "set", "texts", "accuracy", "macro recall");
            for (int i = 0; i < reported.size(); i++) {
                DataSets.SentimentCorpus c = reported.get(i);
                float[][] v = vectors.get(i);
                HeadEvaluator.SentimentResult r = HeadEvaluator.sentimentResult(c.name(), head, v, c.items(), false);
                log.printf(Locale.ROOT, "  %-50s %6d %8.2f%% %13.2f%n", c.name(), c.used(), r.accuracy(),
                        r.macroRecall());
            }
        }
        return file;
    }

    private static float[][] used(DataSets.SentimentCorpus c, float[][] all) {
        float[][] out = new float[c.used()][];
        int k = 0;
        for (int i = 0; i < all.length; i++) {
            if (c.labels()[i] >= 0) {
                out[k++] = all[i];
            }
        }
        return out;
    }

    /**
     * Mean over the selection sets of: accuracy (two-class sets), the mean of accuracy and macro
     * recall (three-class sets). {@code print}: log each.
     */
    private double selectionScore(SentimentHead head, List<DataSets.SentimentCorpus> select, List<float[][]> features,
            boolean print) {
        double total = 0;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < select.size(); i++) {
            DataSets.SentimentCorpus c = select.get(i);
            HeadEvaluator.SentimentResult r = HeadEvaluator.sentimentResult(c.name(), head, used(c, features.get(i)),
                    c.items(), c.twoClass());
            double s = c.twoClass() ? r.accuracy() : (r.accuracy() + r.macroRecall()) / 2;
            total += s;
            sb.append(String.format(Locale.ROOT, "%s%s %.2f/%.2f", sb.isEmpty() ? "" : ", ", c.name(), r.accuracy(),
                    r.macroRecall()));
        }
        if (print) {
            log.printf("  %s%n", sb);
        }
        return total / select.size();
    }

    /** The head's mean logits (before any bias) of every labelled selection text, per set. */
    private static float[][][] selectionLogits(SentimentHead head, List<DataSets.SentimentCorpus> select,
            List<float[][]> features) {
        float[][][] logits = new float[select.size()][][];
        for (int i = 0; i < select.size(); i++) {
            float[][] rows = used(select.get(i), features.get(i));
            logits[i] = new float[rows.length][];
            for (int t = 0; t < rows.length; t++) {
                logits[i][t] = head.logits(rows[t]);
            }
        }
        return logits;
    }

    /**
     * Mean over the selection sets of: accuracy (two-class sets), macro recall (three-class sets), of the
     * precomputed logits under {@code bias} (the same arithmetic as a head file carrying that bias).
     */
    private static double calibrationScore(float[][][] logits, float[] bias, List<DataSets.SentimentCorpus> select) {
        double total = 0;
        for (int i = 0; i < select.size(); i++) {
            DataSets.SentimentCorpus c = select.get(i);
            float[][] set = logits[i];
            HeadEvaluator.SentimentResult r = HeadEvaluator.sentimentResult(c.name(),
                    t -> SentimentHead.scoresOfLogits(set[t], bias), c.items(), c.twoClass());
            total += c.twoClass() ? r.accuracy() : r.macroRecall();
        }
        return total / select.size();
    }

    private static HeadFile sentimentFile(EncoderSpec spec, List<Mlp> model, float[] mean, float[] invStd,
            float[] bias, SentimentInput input, Map<String, String> meta, boolean half) {
        List<HeadFile.Tensor> tensors = new ArrayList<>();
        tensors.add(new HeadFile.Tensor("mean", new int[] {mean.length}, mean, false));
        tensors.add(new HeadFile.Tensor("inv_std", new int[] {invStd.length}, invStd, false));
        for (int m = 0; m < model.size(); m++) {
            tensors.addAll(model.get(m).tensors(half, m == 0 ? "" : "m" + m + "."));
        }
        if (bias != null) {
            tensors.add(new HeadFile.Tensor("logit_bias", new int[] {3}, bias.clone(), false));
        }
        Map<String, String> m = new LinkedHashMap<>(meta);
        if (input != SentimentInput.VECTOR) {
            m.put("input.kind", input.settingName());
        }
        if (model.size() > 1) {
            m.put("ensemble", Integer.toString(model.size()));
        }
        return HeadFile.create(SentimentHead.KIND, input.needsIntermediate() ? LAYER_MIX_RELEASE : RELEASE, spec.name(),
                spec.version(), SentimentHead.LABELS, m,
                tensors);
    }

    // ------------------------------------------------------------------------------------ NER, release 2

    /** The NER training sets, before de-duplication; WNUT-17 annotates MISC only for products and works. */
    List<DataSets.NerCorpus> nerTraining() {
        if (userOnly()) {
            return nerSplits().stream().map(UserSplits.Ner::train).toList();
        }
        Path data = o.dataDir();
        List<DataSets.NerCorpus> train = new ArrayList<>();
        if (!o.commercial()) {
            train.add(DataSets.conll(data, HeadData.CONLL_TRAIN, "CoNLL-2003 train (CoNLL++)", "conllpp_train"));
        }
        train.add(DataSets.btc(data, DataSets.BTC_TRAIN, "BTC train (mentions O)", "btc_train", true));
        DataSets.NerCorpus wnut = DataSets.wnut(data, DataSets.WNUT_TRAIN, "WNUT-17 train", "wnut17_train");
        train.add(new DataSets.NerCorpus(wnut.name(), wnut.cacheName(), wnut.sentences(), wnut.use(),
                DataSets.PER_ORG_LOC, wnut.domain()));
        train.add(DataSets.tweebank(data, DataSets.TWEEBANK_TRAIN, "Tweebank-NER train", "tweebank_train"));
        if (!o.commercial()) {
            // UNER-EWT is CC BY-SA 4.0: share-alike would bind the weights' own licence.
            train.add(DataSets.uner(data, DataSets.UNER_DEV, "UNER-EWT dev (3/4 of the documents)",
                    "uner_ewt_dev_train", 0));
        }
        for (UserFile f : o.userNer()) {
            train.add(DataSets.userNer(f.path(), f.types()));
        }
        return train;
    }

    /** Model-selection sets of the NER head (never trained on). */
    List<DataSets.NerCorpus> nerSelection() {
        if (userOnly()) {
            return nerSplits().stream().map(UserSplits.Ner::validation).toList();
        }
        Path data = o.dataDir();
        if (o.commercial()) {
            return List.of(DataSets.btc(data, DataSets.BTC_DEV, "BTC dev (mentions O)", "btc_dev", true),
                    DataSets.tweebank(data, DataSets.TWEEBANK_DEV, "Tweebank-NER dev", "tweebank_dev"));
        }
        return List.of(DataSets.conll(data, HeadData.CONLL_DEV, HeldOut.CONLL_DEV, "conllpp_dev"),
                DataSets.btc(data, DataSets.BTC_DEV, "BTC dev (mentions O)", "btc_dev", true),
                DataSets.tweebank(data, DataSets.TWEEBANK_DEV, "Tweebank-NER dev", "tweebank_dev"),
                DataSets.uner(data, DataSets.UNER_DEV, "UNER-EWT dev (1/4 of the documents)", "uner_ewt_dev_select",
                        3));
    }

    private float nerWeight(DataSets.NerCorpus c) {
        if (c.domain().equals("user")) {
            for (UserFile f : o.userNer()) {
                if (c.cacheName().equals(DataSets.userNer(f.path(), f.types()).cacheName())) {
                    return f.weight();
                }
            }
        }
        Float w = o.nerWeights().get(c.domain());
        if (w == null) {
            throw new IllegalArgumentException("No weight for NER domain " + c.domain());
        }
        return w;
    }

    /** Why {@code --ner-states} cannot be used with these options' encoder, or null when it can. */
    public static String nerStatesProblem(Options options) {
        String name = options.nerStatesName();
        if ("auto".equals(name)) {
            return null;
        }
        NerStates states;
        try {
            states = NerStates.of(name);
        } catch (IllegalArgumentException e) {
            return "--ner-states must be auto, last or mean-last-intermediate, got '" + name + "'";
        }
        boolean exposes = options.modelPath() != null ? CustomModel.declaresIntermediateOutput(options.modelPath())
                : ModelCatalogue.all().containsKey(options.model())
                        && ModelCatalogue.byName(options.model()).intermediateOutput() != null;
        if (states.needsIntermediate() && !exposes) {
            return "--ner-states " + name + ": encoder " + (options.modelPath() != null ? "in " + options.modelPath()
                    : options.model()) + " exposes no intermediate layer; use --ner-states last (or auto)";
        }
        return null;
    }

    /** Why {@code name} is not a sentiment input ({@link SentimentInput}), or null where it is one. */
    public static String sentimentInputProblem(String name) {
        if ("auto".equals(name)) {
            return null;
        }
        try {
            SentimentInput.of(name);
            return null;
        } catch (IllegalArgumentException e) {
            return "--sentiment-input: " + e.getMessage();
        }
    }

    private String nerRelease(EncoderSpec spec) {
        return o.nerStates(spec) == NerStates.LAST ? RELEASE : LAYER_MIX_RELEASE;
    }

    /** The head file names the layers it reads unless it is the last one (so earlier heads' bytes stay as they were). */
    private void putStates(EncoderSpec spec, Map<String, String> meta) {
        NerStates states = o.nerStates(spec);
        if (states != NerStates.LAST) {
            meta.put("states", states.settingName());
        }
    }

    HeadFile trainNerCrf(EncoderSpec spec, FeatureCache cache) {
        Path data = o.dataDir();
        List<DataSets.NerCorpus> select = nerSelection();
        List<DataSets.NerCorpus> reported = userOnly()
                ? nerSplits().stream().map(UserSplits.Ner::heldOut).filter(c -> !c.sentences().isEmpty()).toList()
                : List.of();
        List<DataSets.NerCorpus> heldOut = new ArrayList<>(userOnly() ? reported : HeldOut.ner(data));
        heldOut.addAll(select);
        List<DataSets.NerCorpus> train = new ArrayList<>();
        Map<String, int[]> dropped = DataSets.dedupeNer(nerTraining(), heldOut, train);
        List<CrfNerData.Part> parts = new ArrayList<>();
        log.printf("NER training sets of %s:%n", spec.name());
        for (DataSets.NerCorpus c : train) {
            FeatureCache.Encoded encoded = cache.tokenStates(c.cacheName(), c.texts());
            boolean partial = !c.types().contains(EntityKind.MISC);
            parts.add(new CrfNerData.Part(c, encoded, nerWeight(c), partial));
            int[] d = dropped.get(c.name());
            log.printf(Locale.ROOT, "  %-40s %-7s weight %.2f: %,6d sentences %s%s; dropped: %,d equal to a held-out "
                    + "or selection sentence, %,d repeats%n", c.name(), c.domain(), nerWeight(c), c.used(),
                    DataSets.typeCounts(c), partial ? " (O may be MISC)" : "", d[0], d[1]);
        }
        List<FeatureCache.Encoded> selectEncoded = new ArrayList<>();
        for (DataSets.NerCorpus c : select) {
            selectEncoded.add(cache.tokenStates(c.cacheName(), c.texts()));
        }
        if (o.encodeOnly()) {
            return null;
        }
        int sentences = 0;
        for (CrfNerData.Part p : parts) {
            sentences += p.corpus().used();
        }
        // As for sentiment: a user's file alone gets enough epochs for some 300 steps, no weight averaging.
        int nerEpochs = userOnly() ? smallDataEpochs(o.nerEpochs(),
                (sentences + o.nerBatchSentences() - 1) / o.nerBatchSentences(), 300) : o.nerEpochs();
        float ema = userOnly() ? 0f : o.emaDecay();
        if (userOnly()) {
            log.printf("Small data: %d epochs, no weight averaging%n", nerEpochs);
        }
        CrfNerTrainer.Config config = new CrfNerTrainer.Config(o.nerHidden(), o.nerWindow(), o.charBuckets(),
                o.charDim(), nerEpochs, o.nerBatchSentences(), o.nerLearningRate(), o.nerWeightDecay(),
                o.nerInputDropout(), o.nerDropout(), ema, o.seed(), o.nerTransitions());
        NameListBuilder names = o.nerNames() ? new NameListBuilder(train) : null;
        if (names != null) {
            log.printf("Name list learned from the training sets: %,d names%n", names.list().size());
        }
        CrfNerData words = CrfNerData.build(parts, o.charBuckets(), names);
        parts = null;
        float[][] norm = words.meanInvStd();
        words.standardize(norm[0], norm[1]);
        log.printf("Training the NER head of %s: %,d words in %,d sentences, hidden %d, window +-%d, %d character "
                + "buckets x %d%n", spec.name(), words.words(), words.sentences, o.nerHidden(), o.nerWindow(),
                o.charBuckets(), o.charDim());
        Map<String, String> meta = new LinkedHashMap<>();
        putStates(spec, meta);
        if (names != null) {
            meta.putAll(names.list().toMeta());
        }
        StringBuilder sets = new StringBuilder();
        for (DataSets.NerCorpus c : train) {
            sets.append(sets.isEmpty() ? "" : "; ").append(c.name()).append(" (").append(c.used()).append(", weight ")
                    .append(nerWeight(c)).append(')');
        }
        meta.put("train.data", userOnly() || o.commercial() ? sets.toString()
                : sets + ". CoNLL-2003: Reuters RCV1, research use only");
        putProfile(meta);
        meta.put("train.words", Integer.toString(words.words()));
        meta.put("train.hidden", Integer.toString(o.nerHidden()));
        meta.put("train.epochs", Integer.toString(nerEpochs));
        meta.put("train.batchSentences", Integer.toString(o.nerBatchSentences()));
        meta.put("train.learningRate", Float.toString(o.nerLearningRate()));
        if (!o.nerTransitions()) {
            meta.put("train.transitions", "false");
        }
        meta.put("train.inputDropout", Float.toString(o.nerInputDropout()));
        meta.put("train.hiddenDropout", Float.toString(o.nerDropout()));
        meta.put("train.ema", Float.toString(ema));
        meta.put("train.seed", Long.toString(o.seed()));
        meta.put("encoder.maxLength", Integer.toString(o.maxLength()));
        CrfNerTrainer trainer = new CrfNerTrainer(config, words);
        java.util.function.Function<CrfNerTrainer.Params, HeadFile> toFile = p -> CrfNerTrainer.file(spec.name(),
                spec.version(), nerRelease(spec), config, norm[0], norm[1], p.table(), p.w1(), p.b1(), p.v(), p.b2(), p.pad(),
                p.start(), p.trans(), p.end(), meta, false);
        CrfNerTrainer.Params best = trainer.train(toFile, f -> nerSelectionScore(new NerHead(f), select,
                selectEncoded), log);
        HeadFile file = CrfNerTrainer.file(spec.name(), spec.version(), nerRelease(spec), config, norm[0], norm[1],
                best.table(), best.w1(), best.b1(), best.v(), best.b2(), best.pad(), best.start(), best.trans(),
                best.end(), meta, true);
        log.printf(Locale.ROOT, "NER head %s (weights as shipped): selection score %.2f%n", file.version(),
                nerSelectionScore(new NerHead(file), select, selectEncoded));
        if (userOnly()) {
            NerHead head = new NerHead(file);
            List<FeatureCache.Encoded> encoded = new ArrayList<>();
            for (DataSets.NerCorpus c : reported) {
                encoded.add(cache.tokenStates(c.cacheName(), c.texts()));
            }
            log.printf("NER held-out table (never trained or selected on; entity F1, %%):%n");
            log.printf("  %-50s %9s %6s %6s %6s %6s %6s%n", "set", "sentences", "F1", "PER", "ORG", "LOC", "MISC");
            for (int i = 0; i < reported.size(); i++) {
                DataSets.NerCorpus c = reported.get(i);
                ConllEval.Score s = HeadEvaluator.nerScore(head, c.sentences(), encoded.get(i), c.types());
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-50s %9d %6.2f", c.name(),
                        c.sentences().size(), s.f1()));
                for (EntityKind k : EntityKind.values()) {
                    row.append(c.types().contains(k) ? String.format(Locale.ROOT, " %6.2f", s.f1(k.name()))
                            : String.format(Locale.ROOT, " %6s", "-"));
                }
                log.println(row);
            }
        }
        return file;
    }

    /** Mean entity F1 over the selection sets (each on the types it annotates); logs each. */
    private double nerSelectionScore(NerHead head, List<DataSets.NerCorpus> select,
            List<FeatureCache.Encoded> encoded) {
        double total = 0;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < select.size(); i++) {
            DataSets.NerCorpus c = select.get(i);
            ConllEval.Score s = HeadEvaluator.nerScore(head, c.sentences(), encoded.get(i), c.types());
            total += s.f1();
            sb.append(String.format(Locale.ROOT, "%s%s %.2f", sb.isEmpty() ? "" : ", ", c.name(), s.f1()));
        }
        log.printf("  %s%n", sb);
        return total / select.size();
    }

    // ------------------------------------------------------------------------------------ NER, release 1

    /** The release-1 head: window MLP over CoNLL-2003 only, tag-bigram Viterbi (kept for comparison). */
    HeadFile trainNerWindowMlp(EncoderSpec spec, FeatureCache cache) {
        Path data = o.dataDir();
        List<HeadData.ConllSentence> train = HeadData.conll(HeadData.file(data, HeadData.CONLL_TRAIN));
        List<HeadData.ConllSentence> dev = HeadData.conll(HeadData.file(data, HeadData.CONLL_DEV));
        FeatureCache.Encoded trainEncoded = cache.tokenStates("conllpp_train", texts(train));
        FeatureCache.Encoded devEncoded = cache.tokenStates("conllpp_dev", texts(dev));
        if (o.encodeOnly()) {
            return null;
        }
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
        putStates(spec, meta);
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
        HeadFile file = HeadFile.create(NerHead.KIND, "1", spec.name(), spec.version(), BioTags.LABELS, meta,
                tensors);
        ConllEval.Score shipped = HeadEvaluator.nerScore(new NerHead(file), dev, devEncoded);
        log.printf(Locale.ROOT, "NER head %s: CoNLL++ dev %s (weights as shipped)%n", file.version(), shipped);
        return file;
    }

    /** At least {@code configured} epochs, and enough for {@code targetSteps} steps (at most 150). */
    static int smallDataEpochs(int configured, int stepsPerEpoch, int targetSteps) {
        int needed = (targetSteps + Math.max(1, stepsPerEpoch) - 1) / Math.max(1, stepsPerEpoch);
        return Math.max(configured, Math.min(150, needed));
    }

    static List<String> texts(List<HeadData.ConllSentence> sentences) {
        return sentences.stream().map(HeadData.ConllSentence::text).toList();
    }

    static Set<EntityKind> parseTypes(String s) {
        Set<EntityKind> types = EnumSet.noneOf(EntityKind.class);
        for (String t : s.split("[+,]")) {
            types.add(EntityKind.valueOf(t.trim().toUpperCase(Locale.ROOT)));
        }
        return types;
    }
}
