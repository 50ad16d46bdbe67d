package io.streamnlp.bench;

import io.streamnlp.enrich.Enricher;
import io.streamnlp.enrich.FaultInjection;
import io.streamnlp.model.HeadPlan;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderSessions;
import io.streamnlp.inference.TextWindows;
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

    /**
     * Runs the texts in consecutive batches of {@code batchSize} on {@code sessions} threads at once,
     * each with its own session (batch i on thread i mod sessions), after a warm-up on each: what
     * that many stream threads with one ONNX Runtime thread each can do. {@code encoder} should be
     * loaded with one intra-op thread.
     */
    static Result runConcurrent(Encoder encoder, List<TokenizedText> texts, int batchSize, int sessions) throws InterruptedException {
        List<List<TokenizedText>> batches = batches(texts, batchSize);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(sessions + 1);
        long[] real = new long[sessions];
        long[] padded = new long[sessions];
        long[][] batchNanos = new long[sessions][];
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            int worker = s;
            Thread thread = new Thread(() -> {
                try (EncoderSession session = encoder.newSession()) {
                    for (int i = worker; i < Math.min(batches.size(), 4 * sessions); i += sessions) {
                        session.encode(batches.get(i));
                    }
                    long realBefore = session.stats().realTokens();
                    long paddedBefore = session.stats().paddedTokens();
                    List<Long> nanos = new ArrayList<>();
                    start.await();
                    for (int i = worker; i < batches.size(); i += sessions) {
                        long t = System.nanoTime();
                        session.encode(batches.get(i));
                        nanos.add(System.nanoTime() - t);
                    }
                    real[worker] = session.stats().realTokens() - realBefore;
                    padded[worker] = session.stats().paddedTokens() - paddedBefore;
                    batchNanos[worker] = nanos.stream().mapToLong(Long::longValue).toArray();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "bench-encoder-" + s);
            thread.start();
            threads.add(thread);
        }
        try {
            start.await();
        } catch (java.util.concurrent.BrokenBarrierException e) {
            throw new IllegalStateException("an encoder thread failed to start", e);
        }
        long started = System.nanoTime();
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long realTokens = Arrays.stream(real).sum();
        long paddedTokens = Arrays.stream(padded).sum();
        long[] all = Arrays.stream(batchNanos).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(texts.size() / seconds, realTokens / seconds, (double) paddedTokens / realTokens - 1,
                all[all.length / 2] / 1e6);
    }

    /**
     * The pipeline's own encode path, without heads: each batch through an {@link Enricher} that
     * runs it in {@code slices} single-threaded calls at once ({@code inference.parallel.calls}).
     */
    static Result runSliced(Encoder single, List<String> texts, List<TokenizedText> tokens, int batchSize, int slices) {
        try (EncoderSessions sessions = new EncoderSessions(single);
                Enricher enricher = new Enricher(sessions, null, HeadPlan.NONE, false, slices, slices, 1, FaultInjection.NONE)) {
            List<TextWindows> windows = tokens.stream().map(TextWindows::single).toList();
            for (int i = 0; i < Math.min(texts.size(), 5 * batchSize); i += batchSize) {
                enricher.enrich(texts.subList(i, Math.min(texts.size(), i + batchSize)), windows.subList(i, Math.min(texts.size(), i + batchSize)));
            }
            long real = 0;
            long padded = 0;
            long[] batchNanos = new long[(texts.size() + batchSize - 1) / batchSize];
            long started = System.nanoTime();
            for (int i = 0, b = 0; i < texts.size(); i += batchSize, b++) {
                int end = Math.min(texts.size(), i + batchSize);
                long t = System.nanoTime();
                Enricher.Batch batch = enricher.enrich(texts.subList(i, end), windows.subList(i, end));
                batchNanos[b] = System.nanoTime() - t;
                padded += batch.paddedTokens();
                for (int j = i; j < end; j++) {
                    real += tokens.get(j).length();
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Arrays.sort(batchNanos);
            return new Result(texts.size() / seconds, real / seconds, (double) padded / real - 1, batchNanos[batchNanos.length / 2] / 1e6);
        }
    }

    private static List<List<TokenizedText>> batches(List<TokenizedText> texts, int batchSize) {
        List<List<TokenizedText>> batches = new ArrayList<>();
        for (int i = 0; i < texts.size(); i += batchSize) {
            batches.add(texts.subList(i, Math.min(texts.size(), i + batchSize)));
        }
        return batches;
    }

    /** Runs the texts in consecutive batches of {@code batchSize} (arrival order), after a warm-up. */
    static Result run(Encoder encoder, List<TokenizedText> texts, int batchSize, int warmupBatches) {
        List<List<TokenizedText>> batches = batches(texts, batchSize);
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

    /** Cosine of each text's sentence vector under {@code a} and under {@code b}: {@code [mean, min]}. */
    static double[] cosines(Encoder a, Encoder b, List<TokenizedText> texts, int batchSize) {
        double sum = 0;
        double min = 1;
        try (EncoderSession first = a.newSession(); EncoderSession second = b.newSession()) {
            for (List<TokenizedText> batch : batches(texts, batchSize)) {
                io.streamnlp.inference.EncodedText[] x = first.encode(batch);
                io.streamnlp.inference.EncodedText[] y = second.encode(batch);
                for (int i = 0; i < x.length; i++) {
                    double c = io.streamnlp.inference.Pooling.cosine(x[i].sentenceVector(), y[i].sentenceVector()); // unit vectors
                    sum += c;
                    min = Math.min(min, c);
                }
            }
        }
        return new double[] {sum / texts.size(), min};
    }
}
