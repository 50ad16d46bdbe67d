package io.streamnlp.cli;

import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.training.HeadEvaluator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the evaluation table of one or more encoders' heads. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate encoders' sentiment and NER heads on every held-out set (SST-2, SST-5 in 3 classes, "
                + "customer reviews, SemEval twitter-2016test-A, GoEmotions test, airline tweets; CoNLL-2003, BTC test, "
                + "WNUT-17 dev, UNER-EWT test, Tweebank test), with the cost per text; prints one Markdown table.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true,
            description = "Encoder name (e.g. e5-small-q), a comma-separated list, or 'all' (every catalogue encoder).")
    String model;

    @Option(names = "--data", required = true, description = "The shared data folder, e.g. ../shared/data.")
    Path data;

    @Option(names = "--heads-dir", description = "Read heads from <dir>/<model>/ instead of the classpath.")
    Path headsDir;

    @Option(names = "--model-graph", defaultValue = "packaged", paramLabel = "GRAPH",
            description = "Which graph of the encoder runs, as model.graph names it: packaged or fused (the catalogue's "
                    + "-q encoders) (default ${DEFAULT-VALUE}).")
    String modelGraph;

    @Option(names = "--profile", defaultValue = "research",
            description = "Which heads: research or commercial (<model>/commercial/; --model all then means the "
                    + "encoders that have them) (default ${DEFAULT-VALUE}).")
    String profile;

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

    @Option(names = "--no-airline", description = "Leave out the airline tweets (use when the heads were trained "
            + "on them, train --airline-tweets).")
    boolean noAirline;

    @Option(names = "--ner-only", description = "Only the NER sets (no sentiment set, no cost measurement).")
    boolean nerOnly;

    @Option(names = "--errors", description = "Also print why one entity type's spans go wrong on each set that "
            + "annotates it (found, wrong type, boundaries, missed; spurious predictions) and its most missed texts, "
            + "e.g. --errors ORG.")
    String errors;

    @Override
    public Integer call() {
        if (errors != null) {
            try {
                HeadEvaluator.entityType(errors); // a misspelt type fails now, not after the whole evaluation
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }
        List<String> withProfile;
        try {
            withProfile = HeadEvaluator.modelsWithHeads(profile);
        } catch (IllegalArgumentException e) {
            System.err.println("--profile must be research or commercial, got '" + profile + "'");
            return 2;
        }
        List<String> models = new ArrayList<>();
        if (model.equals("all")) {
            for (EncoderSpec spec : ModelCatalogue.inOrder()) {
                if (headsDir != null || withProfile.contains(spec.name())) {
                    models.add(spec.name());
                }
            }
        } else {
            for (String m : model.split(",")) {
                models.add(ModelCatalogue.byName(m.trim()).name());
            }
        }
        List<HeadEvaluator.Report> reports = new ArrayList<>();
        for (String m : models) {
            HeadEvaluator.Options options = new HeadEvaluator.Options(m, data, headsDir, cache, sample, maxLength,
                    threads, 64, !noTiming && !nerOnly, !noAirline, !nerOnly, profile, modelGraph);
            String graphProblem = ModelGraphOption.problem(modelGraph, m, null);
            if (graphProblem != null) {
                System.err.println(graphProblem);
                return 2;
            }
            reports.add(new HeadEvaluator(options, System.err).run());
        }
        System.out.println();
        System.out.print(HeadEvaluator.markdown(reports));
        if (errors != null) {
            System.out.println();
            System.out.print(HeadEvaluator.errorsMarkdown(reports, errors, 15));
        }
        return 0;
    }
}
