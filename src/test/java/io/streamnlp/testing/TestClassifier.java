package io.streamnlp.testing;

import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.training.ClassifierTrainer;
import io.streamnlp.training.FeatureCache;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's worked example as a user runs it: the {@code tickets} classifier trained on
 * {@code examples/support-tickets.tsv} for the test encoder, once per test JVM (a few seconds), in a folder
 * laid out as {@code train --out} writes it: give it as {@code classifier.path}.
 */
public final class TestClassifier {

    public static final String NAME = "tickets";
    public static final Path EXAMPLE = Path.of("examples", "support-tickets.tsv");

    private static final java.util.Map<EncoderGraph, Path> PATHS = new java.util.EnumMap<>(EncoderGraph.class);
    private static ClassifierTrainer.Result result;

    private TestClassifier() {}

    /** The {@code classifier.path} that holds it. */
    public static Path path() {
        return path(EncoderGraph.PACKAGED);
    }

    /**
     * The {@code classifier.path} of one trained on the test encoder running {@code graph}: a classifier is tied
     * to its encoder's fingerprint, which the fused graph has its own of.
     */
    public static synchronized Path path(EncoderGraph graph) {
        return PATHS.computeIfAbsent(graph, g -> {
            try {
                Path dir = Files.createTempDirectory("streamnlp-classifiers");
                ClassifierTrainer trainer = new ClassifierTrainer(new ClassifierTrainer.Options(NAME, List.of(EXAMPLE),
                        List.of(), 0.2, 13, 1), new PrintStream(OutputStream.nullOutputStream()));
                Encoder encoder = TestEncoder.get(g);
                ClassifierTrainer.Result trained = trainer.train(new FeatureCache(encoder, null, 64,
                        new PrintStream(OutputStream.nullOutputStream())), encoder.spec(), encoder.fingerprint());
                trainer.write(dir.resolve(encoder.spec().name()), trained.file());
                if (g == EncoderGraph.PACKAGED) {
                    result = trained;
                }
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** What training it reported. */
    public static synchronized ClassifierTrainer.Result result() {
        path();
        return result;
    }
}
