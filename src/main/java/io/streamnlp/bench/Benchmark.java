package io.streamnlp.bench;

import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.heads.Heads;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.LongTextPolicy;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.inference.TextTokenizer;
import io.streamnlp.inference.TokenizedText;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every row of the benchmark, measured in one run on one machine: the encoder alone (the ceiling),
 * the pipeline with exactly-once and at-least-once, the pipeline without batching (one model call
 * per record, as the usual Kafka ML examples do), the live page's aggregation on and off, padding
 * waste, latency at half load and memory.
 */
public final class Benchmark {

    /** How big a run is: the full run takes a few minutes on 2 cores; smoke takes seconds. */
    public record Size(int texts, int perRecordTexts, Duration latencyDuration, int longTexts) {
        public static final Size FULL = new Size(3000, 600, Duration.ofSeconds(20), 60);
        public static final Size SMOKE = new Size(120, 40, Duration.ofSeconds(3), 4);
    }

    /** Reviews joined into one text for the long-text row: about 3,300 tokens, 18 windows of 256. */
    static final int REVIEWS_PER_LONG_TEXT = 90;

    static final int BATCH = 32;
    static final long SEED = 7;
    /** The cache row's stream: half the events repeat one of 100 popular texts (Zipf-like). */
    static final int HOT_TEXTS = 100;
    /** Events drawn from the hot texts: 55.5 %, so that about half of all events are repeats (hits, ideally). */
    static final double REPEAT_SHARE = 0.555;
    /** The memory row's input partitions, hence tasks with a pending-batch and a result-cache store each. */
    static final int MEMORY_PARTITIONS = 4;

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
        List<String> longTexts = longTexts(texts, size.longTexts());
        try (TextTokenizer tokenizer = new TextTokenizer(ModelCatalogue.byName(model), 256)) {
            LongTextPolicy policy = new StreamNlpConfig(Map.of()).longTextPolicy();
            report.longTextShape(longTexts.stream().mapToInt(t -> tokenizer.windows(t, policy).tokenCount()).average().orElse(0),
                    longTexts.stream().mapToInt(t -> tokenizer.windows(t, policy).count()).sum());
        }

        try (PipelineBenchmark pipeline = new PipelineBenchmark(cluster, texts)) {
            Map<String, String> common = Map.of(StreamNlpConfig.MODEL_NAME, model);
            progress.println("pipeline, exactly-once...");
            report.pipelineExactlyOnce(pipeline.throughput("eos", common));
            // The live page's aggregation, on (and its page polled, as an open browser tab does) and off,
            // back to back; both with the operations endpoint, which the other rows leave off.
            progress.println("pipeline, exactly-once, live page on (polled every 2 s) / off...");
            PipelineBenchmark.Throughput liveOn = pipeline.throughput("live-on", merge(common,
                    Map.of(StreamNlpConfig.METRICS_PORT, "0", StreamNlpConfig.LIVE_ENABLED, "true")), true);
            PipelineBenchmark.Throughput liveOff = pipeline.throughput("live-off", merge(common,
                    Map.of(StreamNlpConfig.METRICS_PORT, "0", StreamNlpConfig.LIVE_ENABLED, "false")), false);
            report.livePage(liveOn, liveOff);
            progress.println("pipeline, exactly-once, outputs=embeddings (no head runs)...");
            report.pipelineEmbeddingsOnly(pipeline.throughput("embeddings-only",
                    merge(common, Map.of(StreamNlpConfig.OUTPUTS, "embeddings"))));
            progress.printf("pipeline, exactly-once, %d long texts in windows...%n", longTexts.size());
            try (PipelineBenchmark longOnes = new PipelineBenchmark(cluster, longTexts)) {
                report.longTexts(longOnes.throughput("long-texts", common));
            }
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

            // Memory with the state an instance really holds: 4 tasks, each result cache full. Every
            // text is distinct and the bound per task is half of what each task sees, so every cache
            // fills up and then turns texts away (TinyLFU) or evicts.
            List<String> distinct = texts.stream().distinct().toList();
            long entriesPerTask = Math.max(1, distinct.size() / MEMORY_PARTITIONS / 2);
            progress.printf("memory: %d input partitions, result caches full at %d entries per task...%n",
                    MEMORY_PARTITIONS, entriesPerTask);
            try (PipelineBenchmark memory = new PipelineBenchmark(cluster, distinct, MEMORY_PARTITIONS)) {
                report.memory(memory.memory("memory", merge(common,
                        Map.of(StreamNlpConfig.CACHE_MAX_ENTRIES, Long.toString(entriesPerTask)))), entriesPerTask);
            }
        }
        return report;
    }

    /** Reviews of the mix joined, {@value #REVIEWS_PER_LONG_TEXT} at a time, into {@code count} long texts. */
    static List<String> longTexts(List<String> reviews, int count) {
        List<String> out = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < REVIEWS_PER_LONG_TEXT; j++) {
                text.append(reviews.get((i * REVIEWS_PER_LONG_TEXT + j) % reviews.size())).append(j % 6 == 5 ? "\n\n" : " ");
            }
            out.add(text.toString().strip());
        }
        return out;
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        java.util.HashMap<String, String> merged = new java.util.HashMap<>(a);
        merged.putAll(b);
        return merged;
    }
}
