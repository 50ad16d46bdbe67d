package io.streamnlp.cli;

import io.streamnlp.training.HeadEvaluator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the evaluation table of an encoder's heads. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate an encoder's sentiment and NER heads on SST-2, SST-5 (3 classes), customer reviews "
                + "and CoNLL-2003, with the cost per text; prints a Markdown table.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Encoder name, e.g. e5-small-q.")
    String model;

    @Option(names = "--data", required = true, description = "The shared data folder, e.g. ../shared/data.")
    Path data;

    @Option(names = "--heads-dir", description = "Read heads from <dir>/<model>/ instead of the classpath.")
    Path headsDir;

    @Option(names = "--sample", defaultValue = "0", description = "Fixed seeded sample of N items per set; 0 = all (default).")
    int sample;

    @Option(names = "--cache", description = "Encoded-feature cache folder (e.g. ${java.io.tmpdir}/streamnlp-features); default: encode afresh.")
    Path cache;

    @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--max-length", defaultValue = "256", description = "Encoder max tokens per text (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--no-timing", description = "Skip the cost-per-text measurement.")
    boolean noTiming;

    @Override
    public Integer call() {
        HeadEvaluator.Options options = new HeadEvaluator.Options(model, data, headsDir, cache, sample, maxLength,
                threads, 64, !noTiming);
        HeadEvaluator.Report report = new HeadEvaluator(options, System.err).run();
        System.out.println();
        System.out.print(report.markdown());
        return 0;
    }
}
