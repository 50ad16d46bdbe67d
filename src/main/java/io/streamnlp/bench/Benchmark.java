package io.streamnlp.bench;

import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.heads.Heads;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.inference.TokenizedText;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every row of the benchmark, measured in one run on one machine: the encoder alone (the ceiling),
 * the pipeline with exactly-once and at-least-once, the pipeline without batching (one model call
 * per record, as the usual Kafka ML examples do), padding waste, latency at half load and memory.
 */
public final class Benchmark {

    /** How big a run is: the full run takes a few minutes on 2 cores; smoke takes seconds. */
    public record Size(int texts, int perRecordTexts, Duration latencyDuration) {
        public static final Size FULL = new Size(3000, 600, Duration.ofSeconds(20));
        public static final Size SMOKE = new Size(120, 40, Duration.ofSeconds(3));
    }

    static final int BATCH = 32;
    static final long SEED = 7;
    /** The cache row's stream: half the events repeat one of 100 popular texts (Zipf-like). */
    static final int HOT_TEXTS = 100;
    /** Events drawn from the hot texts: 55.5 %, so that about half of all events are repeats (hits, ideally). */
    static final double REPEAT_SHARE = 0.555;

    private final String model;
    private final Size size;
    private final PrintStream progress;

    public Benchmark(String model, Size size, PrintStream progress) {
        this.model = model;
        this.size = size;
        this.progress = progress;
    }

    /**
     * Only the encoder and task-head rows (no cluster): {@code bench --heads-only}. The encoder
     * runs on {@code threads} ONNX Runtime threads (0 = all cores); the heads on one.
     */
    public BenchReport runHeads(int threads) {
        List<String> texts = ReviewMix.generate(size.texts(), SEED);
        BenchReport report = new BenchReport(model, size, texts);
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        try (Encoder encoder = Encoder.load(ModelCatalogue.byName(model), 256, t, true)) {
            List<TokenizedText> tokens = EncoderBenchmark.tokenize(encoder, texts);
            report.tokens(tokens);
            progress.println("encoder alone...");
            EncoderBenchmark.Result bucketed = EncoderBenchmark.run(encoder, tokens, BATCH, 3);
            report.encoder(bucketed, bucketed);
            progress.println("task heads...");
            report.heads(HeadsBenchmark.run(encoder, Heads.load(model), texts, tokens, BATCH));
        }
        return report;
    }

    /**
     * Runs every row. The pipeline rows run against {@code cluster} (the caller starts it: the
     * embedded default, or a real one).
     */
    public BenchReport run(Cluster cluster) throws Exception {
        List<String> texts = ReviewMix.generate(size.texts(), SEED);
        int threads = Runtime.getRuntime().availableProcessors();
        BenchReport report = new BenchReport(model, size, texts);

        progress.println("encoder alone...");
        EncoderBenchmark.Result bucketed;
        EncoderBenchmark.Result unbucketed;
        try (Encoder encoder = Encoder.load(ModelCatalogue.byName(model), 256, threads, true);
                Encoder plain = Encoder.load(ModelCatalogue.byName(model), 256, threads, false)) {
            List<TokenizedText> tokens = EncoderBenchmark.tokenize(encoder, texts);
            report.tokens(tokens);
            bucketed = EncoderBenchmark.run(encoder, tokens, BATCH, 5);
            unbucketed = EncoderBenchmark.run(plain, tokens, BATCH, 5);
            // One text per call: the most batching can buy on this machine, model side.
            report.encoderOneByOne(EncoderBenchmark.run(encoder, tokens.subList(0, size.perRecordTexts()), 1, 5));
            progress.println("task heads...");
            report.heads(HeadsBenchmark.run(encoder, Heads.load(model), texts, tokens, BATCH));
        }
        report.encoder(bucketed, unbucketed);

        MemoryProbe.resetPeaks();
        try (PipelineBenchmark pipeline = new PipelineBenchmark(cluster, texts)) {
            Map<String, String> common = Map.of(StreamNlpConfig.MODEL_NAME, model);
            progress.println("pipeline, exactly-once...");
            report.pipelineExactlyOnce(pipeline.throughput("eos", common));
            progress.println("pipeline, at-least-once...");
            report.pipelineAtLeastOnce(pipeline.throughput("alos",
                    merge(common, Map.of(StreamNlpConfig.PROCESSING_GUARANTEE, "at_least_once"))));
            progress.println("replay of the same topic...");
            report.replay(pipeline.replay(common));
            progress.println("pipeline, per record (batching off)...");
            try (PipelineBenchmark perRecord = new PipelineBenchmark(cluster, texts.subList(0, size.perRecordTexts()))) {
                report.perRecord(perRecord.throughput("per-record",
                        merge(common, Map.of(StreamNlpConfig.BATCH_MAX_RECORDS, "1"))));
            }
            progress.println("pipeline, exactly-once, cache off...");
            report.pipelineCacheOff(pipeline.throughput("no-cache",
                    merge(common, Map.of(StreamNlpConfig.CACHE_ENABLED, "false"))));
            List<String> repeating = ReviewMix.withRepeats(texts, texts.size(), HOT_TEXTS, REPEAT_SHARE, SEED);
            progress.printf("pipeline, exactly-once, cache on, %.0f %% of events repeating %d hot texts...%n",
                    100 * REPEAT_SHARE, HOT_TEXTS);
            try (PipelineBenchmark withRepeats = new PipelineBenchmark(cluster, repeating)) {
                report.cache(withRepeats.throughput("cache", common), ReviewMix.idealHitRate(repeating));
                progress.println("the same stream, cache off...");
                report.cacheOffOnRepeats(withRepeats.throughput("cache-off-repeats",
                        merge(common, Map.of(StreamNlpConfig.CACHE_ENABLED, "false"))));
            }
            double halfLoad = report.pipelineExactlyOnceRate() / 2;
            progress.printf("latency at half load (%.0f texts/s)...%n", halfLoad);
            report.latency(pipeline.latency(common, halfLoad, size.latencyDuration()));
            progress.printf("latency at half load, cache off (%.0f texts/s)...%n", halfLoad);
            report.latencyCacheOff(pipeline.latency(merge(common, Map.of(StreamNlpConfig.CACHE_ENABLED, "false")), halfLoad,
                    size.latencyDuration()));
        }
        report.memory(MemoryProbe.peakHeapBytes(), MemoryProbe.peakRssBytes());
        return report;
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        java.util.HashMap<String, String> merged = new java.util.HashMap<>(a);
        merged.putAll(b);
        return merged;
    }
}
