package io.streamnlp.cli;

import io.streamnlp.inference.CustomModel;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.training.ClassifierTrainer;
import io.streamnlp.training.HeadTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Trains the sentiment and NER heads of one encoder on the shared labelled data and the user's own. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the sentiment and NER heads of an encoder on its frozen outputs (seeded, deterministic) "
                + "and write them as <out>/<model>/sentiment.bin and ner.bin, or <model-path>/heads/ for your own encoder.",
                "Sentiment: SST, SemEval-2017 4A tweets, GoEmotions (Reddit), SemEval-2014 ABSA reviews (+ airline tweets "
                + "with --airline-tweets). NER: CoNLL-2003, BTC, WNUT-17, Tweebank-NER, UNER-EWT dev. Every held-out "
                + "set of `evaluate` is left out (and any training text equal to one of its texts).",
                "Your own data: --sentiment-data FILE[:WEIGHT] (UTF-8 lines text<TAB>negative|neutral|positive) and "
                + "--ner-data FILE[:WEIGHT[:TYPES]] (CoNLL columns, token first, IOB2 tag last, PER/ORG/LOC/MISC; "
                + "TYPES = the types the file annotates, e.g. PER+ORG+LOC, default all four); repeatable. Without "
                + "--data a head trains on its files alone (the other head: the bundled one is copied if the folder "
                + "lacks it), a seeded --held-out-fraction of each file held out unless --sentiment-held-out / "
                + "--ner-held-out names files, and the held-out table is printed.",
                "Your own labels: --classifier NAME --classifier-data FILE (text<TAB>label) trains a classifier head "
                + "instead (no --data needed) and prints its held-out table."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", description = "Encoder name (see ModelCatalogue), e.g. e5-small-q.")
    String model;

    @Option(names = "--model-path", paramLabel = "DIR",
            description = "Your own encoder (model.onnx, tokenizer.json, model.properties: see model.path); its heads "
                    + "are written to DIR/heads/, where model.path finds them.")
    Path modelPath;

    @Option(names = "--data", description = "The shared data folder (with sentiment/ and ner/), e.g. ../shared/data. "
            + "Without it the sentiment and NER heads train on your --sentiment-data / --ner-data files alone.")
    Path data;

    @Option(names = "--classifier", paramLabel = "NAME",
            description = "Train a classifier head over your own labels instead of the sentiment and NER heads, written "
                    + "beside them as classifier-NAME.bin; the stream loads it with classifiers=NAME.")
    String classifier;

    @Option(names = "--classifier-data", paramLabel = "FILE[:FILE...]", split = ":",
            description = "The classifier's training data: UTF-8 lines text<TAB>label, any label set, one label per line.")
    List<Path> classifierData = new ArrayList<>();

    @Option(names = "--classifier-held-out", paramLabel = "FILE[:FILE...]", split = ":",
            description = "Held-out files (same format) for the classifier's report; default: a seeded share of the data "
                    + "(--held-out-fraction).")
    List<Path> classifierHeldOut = new ArrayList<>();

    @Option(names = "--held-out-fraction", defaultValue = "0.2",
            description = "Share of each label's texts (classifier, sentiment) or of the sentences (NER) held out, seeded, "
                    + "when no held-out file is given (default ${DEFAULT-VALUE}).")
    double heldOutFraction;

    @Option(names = "--out", defaultValue = "src/main/resources/heads", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--cache", defaultValue = "${java.io.tmpdir}/streamnlp-features",
            description = "Encoded-feature cache (default ${DEFAULT-VALUE}); re-runs do not encode again.")
    Path cache;

    @Option(names = "--no-cache", description = "Encode everything afresh and keep nothing.")
    boolean noCache;

    @Option(names = "--heads", defaultValue = "all", description = "all, sentiment or ner (default ${DEFAULT-VALUE}).")
    String heads;

    @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime threads, and sentiment training threads (the NER trainer is single-threaded) (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--max-length", defaultValue = "256", description = "Encoder max tokens per text (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--seed", defaultValue = "13", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--sst-phrases", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Also train sentiment on the 67k SST-2 train phrases (two-class loss) (default ${DEFAULT-VALUE}).")
    boolean sstPhrases;

    @Option(names = "--sentiment-hidden", defaultValue = "256", description = "Hidden units of the sentiment MLP; 0 = softmax regression (default ${DEFAULT-VALUE}).")
    int sentimentHidden;

    @Option(names = "--sentiment-epochs", defaultValue = "12", description = "(default ${DEFAULT-VALUE})")
    int sentimentEpochs;

    @Option(names = "--sentiment-lr", defaultValue = "0.0005", description = "(default ${DEFAULT-VALUE})")
    float sentimentLr;

    @Option(names = "--sentiment-weight-decay", defaultValue = "0.0001", description = "(default ${DEFAULT-VALUE})")
    float sentimentWeightDecay;

    @Option(names = "--sentiment-dropout", defaultValue = "0.3", description = "(default ${DEFAULT-VALUE})")
    float sentimentDropout;

    @Option(names = "--ner-arch", defaultValue = "word-crf",
            description = "word-crf (release 2: per-word hidden layer, character features, CRF, all NER sets) or "
                    + "window-mlp (release 1: window MLP, tag bigram, CoNLL only) (default ${DEFAULT-VALUE}).")
    String nerArch;

    @Option(names = "--ner-hidden", defaultValue = "96", description = "Hidden units of the NER head (default ${DEFAULT-VALUE}).")
    int nerHidden;

    @Option(names = "--ner-window", defaultValue = "2", description = "Neighbouring words each side (default ${DEFAULT-VALUE}).")
    int nerWindow;

    @Option(names = "--ner-epochs", defaultValue = "10", description = "(default ${DEFAULT-VALUE})")
    int nerEpochs;

    @Option(names = "--ner-batch", defaultValue = "16", description = "Sentences per NER mini-batch (word-crf) (default ${DEFAULT-VALUE}).")
    int nerBatch;

    @Option(names = "--char-buckets", defaultValue = "32768", description = "Rows of the hashed character-key embedding (a power of two) (default ${DEFAULT-VALUE}).")
    int charBuckets;

    @Option(names = "--char-dim", defaultValue = "24", description = "Width of the character-key embedding (default ${DEFAULT-VALUE}).")
    int charDim;

    @Option(names = "--ner-lr", defaultValue = "0.001", description = "(default ${DEFAULT-VALUE})")
    float nerLr;

    @Option(names = "--ner-weight-decay", defaultValue = "0.0001", description = "(default ${DEFAULT-VALUE})")
    float nerWeightDecay;

    @Option(names = "--ner-dropout", defaultValue = "0.3", description = "(default ${DEFAULT-VALUE})")
    float nerDropout;

    @Option(names = "--ner-input-dropout", defaultValue = "0.1", description = "(default ${DEFAULT-VALUE})")
    float nerInputDropout;

    @Option(names = "--ema", defaultValue = "0.999", description = "Average the weights with this decay per step; 0 = off (default ${DEFAULT-VALUE}).")
    float ema;

    @Option(names = "--ner-bigram", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Tune a tag-bigram weight for Viterbi on dev (default ${DEFAULT-VALUE}).")
    boolean nerBigram;

    @Option(names = "--ner-projection", defaultValue = "0",
            description = "Project the states onto this many principal components first; 0 = off (default ${DEFAULT-VALUE}).")
    int nerProjection;

    @Option(names = "--airline-tweets", description = "Also train sentiment on the airline tweets (CC BY-NC-SA 4.0: "
            + "non-commercial, share-alike; the shipped heads are not trained on them).")
    boolean airline;

    @Option(names = "--calibrate", defaultValue = "priors",
            description = "Sentiment calibration on the selection sets: priors (logit biases of negative and neutral), "
                    + "neutral (neutral only) or none (default ${DEFAULT-VALUE}).")
    String calibrate;

    @Option(names = "--sentiment-input", defaultValue = "auto",
            description = "vector (the pooled sentence vector), pooled3 (it, the max over the token states and the "
                    + "first token's state), vector+intermediate (it beside the mean of the intermediate layer's token "
                    + "states), mean-last-intermediate (the mean over the tokens of the last and the intermediate "
                    + "layer), or auto: vector+intermediate where the encoder exposes an intermediate layer, else vector "
                    + "(default ${DEFAULT-VALUE}).")
    String sentimentInput;

    @Option(names = "--sentiment-weight", paramLabel = "DOMAIN=W",
            description = "Weight of a sentiment domain: sst, sst-phrases, tweets, reddit, reviews, user "
                    + "(defaults sst=2.5, sst-phrases=1.25, tweets=1.5, reddit=0.25, reviews=2, user=1).")
    Map<String, Float> sentimentWeights = new LinkedHashMap<>();

    @Option(names = "--ner-weight", paramLabel = "DOMAIN=W",
            description = "Weight of an NER domain: news, tweets, web, user (defaults news=1, tweets=1, web=2, user=1).")
    Map<String, Float> nerWeights = new LinkedHashMap<>();

    @Option(names = "--sentiment-data", paramLabel = "FILE[:WEIGHT]",
            description = "Your own sentiment data: text<TAB>negative|neutral|positive per line; repeatable.")
    List<String> sentimentData = new ArrayList<>();

    @Option(names = "--ner-data", paramLabel = "FILE[:WEIGHT[:TYPES]]",
            description = "Your own NER data: CoNLL IOB2 columns (token first, tag last); repeatable.")
    List<String> nerData = new ArrayList<>();

    @Option(names = "--sentiment-held-out", paramLabel = "FILE[:FILE...]", split = ":",
            description = "Without --data: held-out files (as --sentiment-data) for the report; default: a seeded share "
                    + "of each --sentiment-data file (--held-out-fraction).")
    List<Path> sentimentHeldOut = new ArrayList<>();

    @Option(names = "--ner-held-out", paramLabel = "FILE[:FILE...]", split = ":",
            description = "Without --data: held-out files (as --ner-data) for the report; default: a seeded share of "
                    + "each --ner-data file's sentences (--held-out-fraction).")
    List<Path> nerHeldOut = new ArrayList<>();

    @Option(names = "--ner-transitions", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "word-crf: learn the CRF's transition scores (--no-ner-transitions: emissions under the BIO "
                    + "constraints only, the ablation) (default ${DEFAULT-VALUE}).")
    boolean nerTransitions;

    @Option(names = "--sentiment-ensemble", defaultValue = "3",
            description = "Train this many sentiment MLPs (seeds seed, seed+1000, ...) and average their logits (default ${DEFAULT-VALUE}).")
    int sentimentEnsemble;

    @Option(names = "--model-graph", defaultValue = "packaged", paramLabel = "GRAPH",
            description = "Which graph of the encoder the heads learn from, as model.graph names it: packaged or fused "
                    + "(the catalogue's -q encoders). A classifier reads only the graph it was trained on: model.graph=auto "
                    + "runs the packaged graph for classifiers trained on it, the faster fused one for classifiers "
                    + "trained with --model-graph fused (default ${DEFAULT-VALUE}).")
    String modelGraph;

    @Option(names = "--profile", defaultValue = "research",
            description = "research (every shared set; some are for research use only) or commercial (only GoEmotions, "
                    + "BTC, WNUT-17 and Tweebank-NER, whose licences allow commercial use; written to <out>/<model>/"
                    + "commercial/, which heads.profile=commercial loads) (default ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--ner-states", defaultValue = "auto",
            description = "The encoder layers the NER head reads: last, mean-last-intermediate (the mean of the last and "
                    + "an intermediate layer, from the same forward pass; every catalogue encoder exposes the layer two "
                    + "thirds of the way up, a custom one names it in model.properties as intermediate.output), or auto: "
                    + "the mean where the encoder exposes an intermediate layer, else last (default ${DEFAULT-VALUE}).")
    String nerStates;

    @Option(names = "--ner-names", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Learn a name list from the NER training sets' own entities and let the head read, per word, "
                    + "whether it lies in a listed name (matched without case, spacing or punctuation) "
                    + "(default ${DEFAULT-VALUE}).")
    boolean nerNames;

    @Option(names = "--encode-only", description = "Only fill the feature cache with every set's encodings; train nothing.")
    boolean encodeOnly;

    @Override
    public Integer call() {
        if ((model == null) == (modelPath == null)) {
            System.err.println("Give one of --model NAME (a catalogue encoder) or --model-path DIR (your own)");
            return 2;
        }
        if (classifier != null) {
            return trainClassifier();
        }
        if (data == null && sentimentData.isEmpty() && nerData.isEmpty()) {
            System.err.println("Nothing to train on: give --sentiment-data FILE and/or --ner-data FILE (your own "
                    + "labelled files, trained on alone), --data DIR (the shared data folder), or --classifier NAME "
                    + "--classifier-data FILE (a classifier over your own labels)");
            return 2;
        }
        boolean all = heads.equals("all");
        if (!all && !heads.equals("sentiment") && !heads.equals("ner")) {
            System.err.println("--heads must be all, sentiment or ner");
            return 2;
        }
        boolean trainSentiment = all || heads.equals("sentiment");
        boolean trainNer = all || heads.equals("ner");
        if (data == null) {
            // From the user's files alone: a head trains where its file is given.
            if (!all && (trainSentiment ? sentimentData : nerData).isEmpty()) {
                System.err.println("--heads " + heads + " without --data needs --" + heads + "-data FILE");
                return 2;
            }
            trainSentiment &= !sentimentData.isEmpty();
            trainNer &= !nerData.isEmpty();
            if (trainNer && nerArch.equals("window-mlp")) {
                System.err.println("--ner-arch window-mlp trains on CoNLL-2003 only: give --data DIR, or use word-crf");
                return 2;
            }
            if (!sentimentHeldOut.isEmpty() && sentimentData.isEmpty()) {
                System.err.println("--sentiment-held-out needs --sentiment-data FILE");
                return 2;
            }
            if (!nerHeldOut.isEmpty() && nerData.isEmpty()) {
                System.err.println("--ner-held-out needs --ner-data FILE");
                return 2;
            }
        } else if (!sentimentHeldOut.isEmpty() || !nerHeldOut.isEmpty()) {
            System.err.println("--sentiment-held-out / --ner-held-out are for training without --data (with --data "
                    + "the shared held-out sets are used)");
            return 2;
        }
        if (!calibrate.equals("priors") && !calibrate.equals("neutral") && !calibrate.equals("none")) {
            System.err.println("--calibrate must be priors, neutral or none");
            return 2;
        }
        String inputProblem = HeadTrainer.sentimentInputProblem(sentimentInput);
        if (inputProblem != null) {
            System.err.println(inputProblem);
            return 2;
        }
        if (!nerArch.equals("word-crf") && !nerArch.equals("window-mlp")) {
            System.err.println("--ner-arch must be word-crf or window-mlp");
            return 2;
        }
        boolean commercial;
        try {
            commercial = HeadTrainer.commercialProfile(profile);
        } catch (IllegalArgumentException e) {
            System.err.println("--profile must be research or commercial, got '" + profile + "'");
            return 2;
        }
        if (commercial && nerArch.equals("window-mlp")) {
            System.err.println("--ner-arch window-mlp trains on CoNLL-2003 (research use only): use word-crf with "
                    + "--profile commercial");
            return 2;
        }
        Map<String, Float> sw = new LinkedHashMap<>(HeadTrainer.SENTIMENT_WEIGHTS);
        sw.putAll(sentimentWeights);
        Map<String, Float> nw = new LinkedHashMap<>(HeadTrainer.NER_WEIGHTS);
        nw.putAll(nerWeights);
        List<HeadTrainer.UserFile> us;
        List<HeadTrainer.UserFile> un;
        HeadTrainer.UserHeldOut userHeldOut;
        try {
            us = userFiles("--sentiment-data", sentimentData, false);
            un = userFiles("--ner-data", nerData, true);
            for (Path f : sentimentHeldOut) {
                requireFile("--sentiment-held-out", f);
            }
            for (Path f : nerHeldOut) {
                requireFile("--ner-held-out", f);
            }
            userHeldOut = new HeadTrainer.UserHeldOut(heldOutFraction, sentimentHeldOut, nerHeldOut);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        HeadTrainer.Options options = new HeadTrainer.Options(model, data, out, noCache ? null : cache, maxLength,
                threads, 64, seed, trainSentiment, trainNer, sstPhrases,
                sentimentHidden, sentimentEpochs, sentimentLr, sentimentWeightDecay, sentimentDropout, nerHidden,
                nerWindow, nerEpochs, nerLr, nerWeightDecay, nerDropout, nerInputDropout, ema, nerBigram, nerProjection,
                nerArch, charBuckets, charDim, nerBatch, airline, calibrate, sentimentInput, sw, nw, us, un,
                encodeOnly, nerTransitions, sentimentEnsemble, modelPath, profile, nerStates, nerNames, modelGraph);
        String graphProblem = ModelGraphOption.problem(modelGraph, model, modelPath);
        if (graphProblem != null) {
            System.err.println(graphProblem);
            return 2;
        }
        String statesProblem = HeadTrainer.nerStatesProblem(options);
        if (statesProblem != null) {
            System.err.println(statesProblem);
            return 2;
        }
        try {
            new HeadTrainer(options, userHeldOut, System.out).run();
        } catch (IllegalArgumentException e) {
            // A user's file that cannot be read as its option says (bad label, unknown type, too short).
            System.err.println(e.getMessage());
            return 2;
        }
        return 0;
    }

    private static List<HeadTrainer.UserFile> userFiles(String option, List<String> specs, boolean ner) {
        List<HeadTrainer.UserFile> files = new ArrayList<>();
        for (String spec : specs) {
            try {
                HeadTrainer.UserFile file = HeadTrainer.UserFile.parse(spec, ner);
                // Read now, so a bad line is reported before the encoder loads.
                if (ner) {
                    io.streamnlp.training.DataSets.userNer(file.path(), file.types());
                } else {
                    io.streamnlp.training.DataSets.userSentiment(file.path());
                }
                files.add(file);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }
        return files;
    }

    private static void requireFile(String option, Path f) {
        if (!java.nio.file.Files.isRegularFile(f)) {
            throw new IllegalArgumentException(option + ": no such file " + f);
        }
    }

    /** {@code --classifier}: one head over the user's labels, into the encoder's heads folder. */
    private int trainClassifier() {
        ClassifierTrainer trainer;
        try {
            trainer = new ClassifierTrainer(new ClassifierTrainer.Options(classifier, classifierData, classifierHeldOut,
                    heldOutFraction, seed, threads), System.out);
            for (Path f : classifierData) {
                if (!java.nio.file.Files.isRegularFile(f)) {
                    throw new IllegalArgumentException("--classifier-data: no such file " + f);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        String graphProblem = ModelGraphOption.problem(modelGraph, model, modelPath);
        if (graphProblem != null) {
            System.err.println(graphProblem);
            return 2;
        }
        EncoderSpec spec = modelPath != null ? CustomModel.load(modelPath) : ModelCatalogue.byName(model);
        Path folder = modelPath != null ? CustomModel.headsOf(spec) : out.resolve(spec.name());
        trainer.run(spec, folder, noCache ? null : cache, maxLength, EncoderGraph.of(modelGraph));
        return 0;
    }
}
