package io.streamnlp.cli;

import io.streamnlp.training.HeadTrainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Trains the sentiment and NER heads of one encoder on the shared labelled data. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the sentiment and NER heads of an encoder on its frozen outputs (seeded, deterministic) "
                + "and write them as <out>/<model>/sentiment.bin and ner.bin, or <model-path>/heads/ for your own encoder.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", description = "Encoder name (see ModelCatalogue), e.g. e5-small-q.")
    String model;

    @Option(names = "--model-path", paramLabel = "DIR",
            description = "Your own encoder (model.onnx, tokenizer.json, model.properties: see model.path); its heads "
                    + "are written to DIR/heads/, where model.path finds them.")
    Path modelPath;

    @Option(names = "--data", required = true, description = "The shared data folder (with sentiment/ and ner/), e.g. ../shared/data.")
    Path data;

    @Option(names = "--out", defaultValue = "src/main/resources/heads", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--cache", defaultValue = "${java.io.tmpdir}/streamnlp-features",
            description = "Encoded-feature cache (default ${DEFAULT-VALUE}); re-runs do not encode again.")
    Path cache;

    @Option(names = "--no-cache", description = "Encode everything afresh and keep nothing.")
    boolean noCache;

    @Option(names = "--heads", defaultValue = "all", description = "all, sentiment or ner (default ${DEFAULT-VALUE}).")
    String heads;

    @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime and training threads (default ${DEFAULT-VALUE}).")
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

    @Option(names = "--ner-hidden", defaultValue = "128", description = "Hidden units of the NER MLP (default ${DEFAULT-VALUE}).")
    int nerHidden;

    @Option(names = "--ner-window", defaultValue = "2", description = "Neighbouring words each side (default ${DEFAULT-VALUE}).")
    int nerWindow;

    @Option(names = "--ner-epochs", defaultValue = "8", description = "(default ${DEFAULT-VALUE})")
    int nerEpochs;

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

    @Override
    public Integer call() {
        if ((model == null) == (modelPath == null)) {
            System.err.println("Give one of --model NAME (a catalogue encoder) or --model-path DIR (your own)");
            return 2;
        }
        boolean all = heads.equals("all");
        if (!all && !heads.equals("sentiment") && !heads.equals("ner")) {
            System.err.println("--heads must be all, sentiment or ner");
            return 2;
        }
        HeadTrainer.Options options = new HeadTrainer.Options(model, data, out, noCache ? null : cache, maxLength,
                threads, 64, seed, all || heads.equals("sentiment"), all || heads.equals("ner"), sstPhrases,
                sentimentHidden, sentimentEpochs, sentimentLr, sentimentWeightDecay, sentimentDropout, nerHidden,
                nerWindow, nerEpochs, nerLr, nerWeightDecay, nerDropout, nerInputDropout, ema, nerBigram, nerProjection,
                modelPath);
        new HeadTrainer(options, System.out).run();
        return 0;
    }
}
