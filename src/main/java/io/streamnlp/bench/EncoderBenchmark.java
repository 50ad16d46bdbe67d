package io.streamnlp.bench;

import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderSession;
import io.streamnlp.inference.EncoderStats;
import io.streamnlp.inference.TokenizedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The ceiling: the encoder alone on pre-tokenized batches, no Kafka, no serialization. */
final class EncoderBenchmark {

    /** Texts/s, tokens/s (real tokens), padding waste, and the median time of one batch. */
    record Result(double textsPerSecond, double tokensPerSecond, double paddingWaste, double medianBatchMs) {}

    private EncoderBenchmark() {}

    static List<TokenizedText> tokenize(Encoder encoder, List<String> texts) {
        return texts.stream().map(encoder.tokenizer()::tokenize).toList();
    }

    /** Runs the texts in consecutive batches of {@code batchSize} (arrival order), after a warm-up. */
    static Result run(Encoder encoder, List<TokenizedText> texts, int batchSize, int warmupBatches) {
        List<List<TokenizedText>> batches = new ArrayList<>();
        for (int i = 0; i < texts.size(); i += batchSize) {
            batches.add(texts.subList(i, Math.min(texts.size(), i + batchSize)));
        }
        try (EncoderSession session = encoder.newSession()) {
            for (int i = 0; i < Math.min(warmupBatches, batches.size()); i++) {
                session.encode(batches.get(i));
            }
            long realBefore = session.stats().realTokens();
            long paddedBefore = session.stats().paddedTokens();
            long[] batchNanos = new long[batches.size()];
            long started = System.nanoTime();
            for (int i = 0; i < batches.size(); i++) {
                long t = System.nanoTime();
                session.encode(batches.get(i));
                batchNanos[i] = System.nanoTime() - t;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            EncoderStats stats = session.stats();
            long real = stats.realTokens() - realBefore;
            long padded = stats.paddedTokens() - paddedBefore;
            Arrays.sort(batchNanos);
            return new Result(texts.size() / seconds, real / seconds, (double) padded / real - 1,
                    batchNanos[batchNanos.length / 2] / 1e6);
        }
    }
}
