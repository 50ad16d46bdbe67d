package io.streamnlp.bench;

import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.heads.Heads;
import io.streamnlp.model.HeadProfile;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.LongTextPolicy;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.inference.TextTokenizer;
import io.streamnlp.inference.TokenizedText;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every row of the benchmark, measured in one run on one machine and on the same texts: the encoder
 * alone (the ceiling, in both thread layouts) against the machine's int8 ceiling, the task heads, the
 * pipeline with exactly-once and at-least-once, without batching (one model call per record, as the
 * usual Kafka ML examples do), with the cache off and on repeats, the live page on and off, padding,
 * latency at half load and memory. Before the first measured row an unmeasured pipeline run warms the
 * JVM (JIT, ONNX Runtime's arenas, the broker). {@link #runLevers} measures the tuning levers side by
 * side; {@link #runSoak} runs the soak.
 */
public final class Benchmark {

    /**
     * How big a run is: the full run takes about 20 minutes on 2 cores; smoke takes a minute or two.
     * {@code pairRounds}: turns of each row of an alternated pair (the cache on and off, on both
     * streams; see {@link PipelineBenchmark#alternated}).
     */
    public record Size(int texts, int warmUpTexts, Duration latencyDuration, int longTexts, double ceilingSeconds,
            int pairRounds) {
        public static final Size FULL = new Size(3000, 1500, Duration.ofSeconds(30), 60, 5, 3);
        public static final Size SMOKE = new Size(120, 40, Duration.ofSeconds(3), 4, 0.2, 1);
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
    /** The soak offers this share of the measured exactly-once maximum. */
    static final double SOAK_LOAD = 0.7;

    private final String model;
    private final Size size;
    private final PrintStream progress;
    /** StreamNLP settings every pipeline row starts from ({@code bench --set}); each row's own go on top. */
    private final Map<String, String> settings;

    public Benchmark(String model, Size size, PrintStream progress) {
        this(model, size, progress, Map.of());
    }

    public Benchmark(String model, Size size, PrintStream progress, Map<String, String> settings) {
        this.model = model;
        this.size = size;
        this.progress = progress;
        this.settings = Map.copyOf(settings);
    }

    /** What every pipeline row runs with before its own settings: the model, then {@code bench --set}. */
    private Map<String, String> common() {
        return merge(Map.of(StreamNlpConfig.MODEL_NAME, model), settings);
    }

    /**
     * The graph the pipeline rows run, so that the encoder rows they are compared with run it too: {@code bench --set
     * model.graph=...} where given, else what {@code model.graph=auto} runs on the bench's fresh application ids.
     */
    private EncoderGraph pipelineGraph(EncoderSpec spec) {
        String named = settings.get(StreamNlpConfig.MODEL_GRAPH);
        return named == null || named.trim().equalsIgnoreCase(StreamNlpConfig.MODEL_GRAPH_AUTO)
                ? EncoderGraph.onNewPrefix(spec) : EncoderGraph.of(named);
    }

    /**
     * Only the encoder and task-head rows (no cluster): {@code bench --heads-only}. The encoder
     * runs on {@code threads} ONNX Runtime threads (0 = all cores); the heads on one.
     */
    public BenchReport runHeads(int threads) {
        List<String> texts = ReviewMix.generate(size.texts(), SEED);
        BenchReport report = new BenchReport(model, size, texts);
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        EncoderSpec spec = ModelCatalogue.byName(model);
        EncoderGraph graph = pipelineGraph(spec);
        report.graph(graph);
        try (Encoder encoder = Encoder.load(spec, 256, t, true, graph)) {
            List<TokenizedText> tokens = EncoderBenchmark.tokenize(encoder, texts);
            report.tokens(tokens);
            progress.println("encoder alone...");
            EncoderBenchmark.Result bucketed = EncoderBenchmark.run(encoder, tokens, BATCH, 3);
            report.encoder(bucketed, bucketed);
            intermediateLayerRow(report, encoder, tokens, t);
            fusedGraphRow(report, spec, texts, tokens, t);
            progress.println("task heads...");
            report.heads(HeadsBenchmark.run(encoder, Heads.load(model, HeadProfile.RESEARCH, encoder.graph()), texts, tokens, BATCH));
            progress.println("language identification...");
            report.language(LanguageBenchmark.run(texts));
            progress.println("PII detection and redaction...");
            report.pii(PiiBenchmark.run(texts));
        }
        return report;
    }

    /**
     * What exposing the intermediate layer costs the encoder (issue 22: at most 2 %): the same session
     * layout with and without the second output, alternated three times so that a drifting machine hits
     * both; the best run of each counts, as noise on a shared machine only ever slows a run (two quiet
     * runs of one alternation each gave 1.043 and 0.970).
     */
    private void intermediateLayerRow(BenchReport report, Encoder encoder, List<TokenizedText> tokens, int threads) {
        EncoderSpec spec = encoder.spec();
        if (spec.intermediateOutput() == null) {
            return;
        }
        progress.println("encoder alone, without the intermediate layer's output...");
        double on = 0;
        double off = 0;
        try (Encoder without = Encoder.load(spec.withIntermediateOutput(null), 256, threads, true, encoder.graph())) {
            EncoderBenchmark.run(without, tokens, BATCH, 3); // its own warm-up
            for (int round = 0; round < 3; round++) {
                on = Math.max(on, EncoderBenchmark.run(encoder, tokens, BATCH, 1).textsPerSecond());
                off = Math.max(off, EncoderBenchmark.run(without, tokens, BATCH, 1).textsPerSecond());
            }
        }
        report.intermediateLayer(spec.intermediateOutput(), on, off);
    }

    /**
     * What {@code model.graph=fused} buys the encoder alone (issue 26: at least 1.3 x the packaged graph): the same
     * layout on both graphs, alternated three times, the best run of each (as for the intermediate layer); and how
     * close its sentence vectors stay to the packaged graph's on the same texts. Measured twice: in one session on
     * {@code threads} threads (the target's layout), and in the pipeline's own layout, each batch in single-threaded
     * slices at once, where the packaged graph pays no cost of splitting small operators across threads and fusion
     * buys less. Only the int8 ({@code -q}) encoders have a fused graph.
     */
    private void fusedGraphRow(BenchReport report, EncoderSpec spec, List<String> texts, List<TokenizedText> tokens,
            int threads) {
        if (!EncoderGraph.FUSED.runsOn(spec)) {
            return;
        }
        progress.println("encoder alone, model.graph=fused...");
        double before = 0;
        double after = 0;
        double slicedBefore = 0;
        double slicedAfter = 0;
        try (Encoder packaged = Encoder.load(spec, 256, threads, true, EncoderGraph.PACKAGED);
                Encoder fused = Encoder.load(spec, 256, threads, true, EncoderGraph.FUSED);
                Encoder packagedSingle = Encoder.load(spec, 256, 1, true, EncoderGraph.PACKAGED);
                Encoder fusedSingle = Encoder.load(spec, 256, 1, true, EncoderGraph.FUSED)) {
            EncoderBenchmark.run(packaged, tokens, BATCH, 3); // their own warm-up
            EncoderBenchmark.run(fused, tokens, BATCH, 3);
            for (int round = 0; round < 3; round++) {
                before = Math.max(before, EncoderBenchmark.run(packaged, tokens, BATCH, 1).textsPerSecond());
                after = Math.max(after, EncoderBenchmark.run(fused, tokens, BATCH, 1).textsPerSecond());
            }
            for (int round = 0; round < 3; round++) {
                slicedBefore = Math.max(slicedBefore,
                        EncoderBenchmark.runSliced(packagedSingle, texts, tokens, BATCH, threads).textsPerSecond());
                slicedAfter = Math.max(slicedAfter,
                        EncoderBenchmark.runSliced(fusedSingle, texts, tokens, BATCH, threads).textsPerSecond());
            }
            report.fusedGraph(before, after, slicedBefore, slicedAfter, EncoderBenchmark.cosines(packaged, fused, tokens, BATCH));
        }
    }

    /**
     * Runs every row. The pipeline rows run against {@code cluster} (the caller starts it: the
     * embedded default, or a real one).
     */
    public BenchReport run(Cluster cluster) throws Exception {
        List<String> texts = ReviewMix.generate(size.texts(), SEED);
        BenchReport report = new BenchReport(model, size, texts);
        encoderRows(report, texts, true);

        List<String> longTexts = longTexts(texts, size.longTexts());
        try (TextTokenizer tokenizer = new TextTokenizer(ModelCatalogue.byName(model), 256)) {
            LongTextPolicy policy = new StreamNlpConfig(Map.of()).longTextPolicy();
            report.longTextShape(longTexts.stream().mapToInt(t -> tokenizer.windows(t, policy).tokenCount()).average().orElse(0),
                    longTexts.stream().mapToInt(t -> tokenizer.windows(t, policy).count()).sum());
        }

        Map<String, String> common = common();
        warmUp(cluster, texts, common);
        try (PipelineBenchmark pipeline = new PipelineBenchmark(cluster, texts)) {
            warmUntilTheJitIsQuiet(pipeline, common);
            // The cache's cost is a few per cent at most: the rows that give it take turns (best of each).
            progress.printf("pipeline, exactly-once, cache on and off in turns (%d each)...%n", size.pairRounds());
            PipelineBenchmark.Pair noRepeats = pipeline.alternated("eos", common, "no-cache",
                    merge(common, Map.of(StreamNlpConfig.CACHE_ENABLED, "false")), size.pairRounds());
            report.pipelineExactlyOnce(noRepeats.first());
            report.pipelineCacheOff(noRepeats.second());
            progress.println("pipeline, exactly-once, cache.placement=by-text...");
            report.pipelineByTextCache(pipeline.throughput("by-text-cache",
                    merge(common, Map.of(StreamNlpConfig.CACHE_PLACEMENT, "by-text"))));
            progress.println("pipeline, exactly-once, batch.overlap=false...");
            report.pipelineNoOverlap(pipeline.throughput("no-overlap", merge(common, Map.of(StreamNlpConfig.BATCH_OVERLAP, "false"))));
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
            // Batching off, on the same texts. batch.max.records also sizes max.poll.records (4 batches
            // per poll); here the poll keeps the pipeline's size, so only the batching differs.
            progress.println("pipeline, per record (batching off)...");
            report.perRecord(pipeline.throughput("per-record", merge(common, Map.of(StreamNlpConfig.BATCH_MAX_RECORDS, "1",
                    "kafka.consumer.max.poll.records", Integer.toString(StreamNlpConfig.MAX_POLL_BATCHES * BATCH)))));
            List<String> repeating = ReviewMix.withRepeats(texts, texts.size(), HOT_TEXTS, REPEAT_SHARE, SEED);
            progress.printf("pipeline, exactly-once, %.0f %% of events repeating %d hot texts, cache on and off in turns (%d each)...%n",
                    100 * REPEAT_SHARE, HOT_TEXTS, size.pairRounds());
            try (PipelineBenchmark withRepeats = new PipelineBenchmark(cluster, repeating)) {
                PipelineBenchmark.Pair repeats = withRepeats.alternated("cache", common, "cache-off-repeats",
                        merge(common, Map.of(StreamNlpConfig.CACHE_ENABLED, "false")), size.pairRounds());
                report.cache(repeats.first(), ReviewMix.idealHitRate(repeating));
                report.cacheOffOnRepeats(repeats.second());
                progress.println("the same stream, cache.placement=by-text...");
                report.byTextCacheOnRepeats(withRepeats.throughput("by-text-cache-repeats",
                        merge(common, Map.of(StreamNlpConfig.CACHE_PLACEMENT, "by-text"))));
            }
            double halfLoad = report.pipelineExactlyOnceRate() / 2;
            progress.printf("latency at half load (%.0f texts/s)...%n", halfLoad);
            report.latency(pipeline.latency(common, halfLoad, size.latencyDuration()));
            progress.printf("latency at half load, cache off (%.0f texts/s)...%n", halfLoad);
            report.latencyCacheOff(pipeline.latency(merge(common, Map.of(StreamNlpConfig.CACHE_ENABLED, "false")), halfLoad,
                    size.latencyDuration()));
            progress.printf("latency at half load, batch.overlap=false (%.0f texts/s)...%n", halfLoad);
            report.latencyNoOverlap(pipeline.latency(merge(common, Map.of(StreamNlpConfig.BATCH_OVERLAP, "false")), halfLoad,
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

    /**
     * The encoder rows: bucketed batches in both thread layouts (one session on every core; one
     * single-threaded session per core, at once), without bucketing, one text per call, the heads,
     * and the int8 arithmetic against the machine's MatMulInteger ceiling.
     */
    private void encoderRows(BenchReport report, List<String> texts, boolean full) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        EncoderSpec spec = ModelCatalogue.byName(model);
        EncoderGraph graph = pipelineGraph(spec);
        report.graph(graph);
        progress.println("encoder alone (model.graph=" + graph.settingName() + ")...");
        try (Encoder encoder = Encoder.load(spec, 256, cores, true, graph);
                Encoder single = Encoder.load(spec, 256, 1, true, graph)) {
            List<TokenizedText> tokens = EncoderBenchmark.tokenize(encoder, texts);
            report.tokens(tokens);
            EncoderBenchmark.run(encoder, tokens, BATCH, 5); // warm-up: JIT, ONNX Runtime's arenas
            report.encoder(EncoderBenchmark.run(encoder, tokens, BATCH, 5), null);
            report.encoderPerThread(EncoderBenchmark.runConcurrent(single, tokens, BATCH, cores), cores);
            report.encoderSliced(EncoderBenchmark.runSliced(single, texts, tokens, BATCH, cores));
            intermediateLayerRow(report, encoder, tokens, cores);
            fusedGraphRow(report, spec, texts, tokens, cores);
            if (full) {
                try (Encoder plain = Encoder.load(spec, 256, cores, false, graph)) {
                    report.encoder(report.bucketed(), EncoderBenchmark.run(plain, tokens, BATCH, 5));
                }
                progress.println("encoder alone, one text per call...");
                // In the same layout as the ceiling: one single-threaded session per core, one text per call.
                report.encoderOneByOne(EncoderBenchmark.runConcurrent(single, tokens, 1, cores));
                progress.println("task heads...");
                report.heads(HeadsBenchmark.run(encoder, Heads.load(model, HeadProfile.RESEARCH, encoder.graph()), texts, tokens, BATCH));
                progress.println("language identification...");
                report.language(LanguageBenchmark.run(texts));
                progress.println("PII detection and redaction...");
                report.pii(PiiBenchmark.run(texts));
            }
            progress.println("encoder profile by operator (ONNX Runtime profiler)...");
            report.encoderProfile(EncoderProfile.byOperator(spec, tokens, BATCH, cores, full ? 20 : 2));
        }
        progress.println("int8 ceiling (MatMulInteger on one layer's shapes)...");
        report.int8(Int8Ceiling.weightsOf(spec), Int8Ceiling.measure(spec.dimension(),
                (int) Math.round(BATCH * report.meanTokens()), cores, size.ceilingSeconds()));
    }

    /** An unmeasured exactly-once run on the first texts: JIT, ONNX Runtime, the broker and the registry warm up. */
    private void warmUp(Cluster cluster, List<String> texts, Map<String, String> common) throws Exception {
        progress.printf("warm-up: the pipeline on %d texts (not measured)...%n", size.warmUpTexts());
        try (PipelineBenchmark warm = new PipelineBenchmark(cluster, texts.subList(0, Math.min(texts.size(), size.warmUpTexts())))) {
            warm.throughput("warm-up", common);
        }
    }

    /** The levers {@code bench --levers} measures, the defaults first. */
    public static final List<Lever> LEVERS = List.of(
            new Lever("defaults", Map.of(), null),
            new Lever("every default as before #14 (one call on every core, Kafka's waits, batch wait 50 ms)",
                    Map.of(StreamNlpConfig.INFERENCE_PARALLEL_CALLS, "1", "kafka.poll.ms", "100",
                            "kafka.consumer.fetch.max.wait.ms", "500", "kafka.commit.interval.ms", "100",
                            StreamNlpConfig.BATCH_MAX_WAIT_MS, "50"), null),
            new Lever("Kafka's own waits (poll 100 ms, fetch 500 ms, commit 100 ms: the defaults before #14)",
                    Map.of("kafka.poll.ms", "100", "kafka.consumer.fetch.max.wait.ms", "500", "kafka.commit.interval.ms", "100"), null),
            new Lever("one encoder call per batch on every core (the default before #14)",
                    Map.of(StreamNlpConfig.INFERENCE_PARALLEL_CALLS, "1"), null),
            new Lever("two stream threads, one single-threaded call each", Map.of(StreamNlpConfig.NUM_STREAM_THREADS, "2"), null),
            new Lever("batches wait up to 50 ms (the default before #14)", Map.of(StreamNlpConfig.BATCH_MAX_WAIT_MS, "50"), null),
            new Lever("each text in its own encoder call (batch-invariant, as replays run)",
                    Map.of(StreamNlpConfig.INFERENCE_BATCH_INVARIANT, "true"), null),
            new Lever("downstream reader's fetch wait 10 ms", Map.of(), 10),
            new Lever("pending store without the record cache (every put and delete to RocksDB and the changelog)",
                    Map.of("kafka.statestore.cache.max.bytes", "0"), null),
            new Lever("producers send at once (linger.ms 0; Kafka Streams' default is 100)",
                    Map.of("kafka.producer.linger.ms", "0"), null),
            new Lever("the result cache by text: every event takes the by-text hop (the default before #26)",
                    Map.of(StreamNlpConfig.CACHE_PLACEMENT, "by-text"), null),
            new Lever("each batch encoded on the stream thread, which waits for it (batch.overlap=false, the default before #26)",
                    Map.of(StreamNlpConfig.BATCH_OVERLAP, "false"), null),
            new Lever("the result cache off (no hop, no look-up)", Map.of(StreamNlpConfig.CACHE_ENABLED, "false"), null),
            new Lever("the packaged encoder graph (model.graph=packaged: the default before #26, kept where a prefix holds its vectors)",
                    Map.of(StreamNlpConfig.MODEL_GRAPH, "packaged"), null),
            new Lever("defaults again (run-to-run noise)", Map.of(), null));

    /** A warm-up run counts as warm when the JIT used less than this share of a core during it. */
    static final double QUIET_JIT_CORES = 0.05;

    /**
     * Unmeasured runs on the measured topic until one leaves the JIT quiet (at most 4): after one
     * warm-up run the first measured row still spent 0.3 cores in the JIT compiler (C2 on the
     * pipeline's paths) and came out 10-15 % low.
     */
    private void warmUntilTheJitIsQuiet(PipelineBenchmark pipeline, Map<String, String> common) throws Exception {
        for (int run = 1; run <= 4; run++) {
            double jit = pipeline.throughput("warm-up", common).cpu().getOrDefault(CpuProfile.JIT, 0.0);
            progress.printf("warm-up %d on the measured topic (not measured): JIT %.2f cores%n", run, jit);
            if (jit < QUIET_JIT_CORES) {
                return;
            }
        }
    }

    /** One lever: a name, the settings it changes, and the downstream consumer's fetch.max.wait.ms (null: default). */
    public record Lever(String name, Map<String, String> settings, Integer downstreamFetchWaitMs) {}

    /**
     * {@code bench --levers}: the encoder in both thread layouts, then, for each lever, the
     * exactly-once pipeline's throughput (cache on, no repeats) and its latency at half the default's
     * throughput, all on the same texts after the same warm-up: what each lever buys, side by side.
     */
    public LeverReport runLevers(Cluster cluster, List<Lever> levers) throws Exception {
        List<String> texts = ReviewMix.generate(size.texts(), SEED);
        BenchReport encoder = new BenchReport(model, size, texts);
        encoderRows(encoder, texts, false);
        Map<String, String> common = common();
        warmUp(cluster, texts, common);
        LeverReport report = new LeverReport(encoder);
        double halfLoad = 0;
        try (PipelineBenchmark pipeline = new PipelineBenchmark(cluster, texts)) {
            warmUntilTheJitIsQuiet(pipeline, common);
            for (Lever lever : levers) {
                progress.printf("lever '%s': throughput...%n", lever.name());
                pipeline.downstreamFetchWait(lever.downstreamFetchWaitMs());
                PipelineBenchmark.Throughput throughput = pipeline.throughput("lever", merge(common, lever.settings()));
                if (halfLoad == 0) {
                    halfLoad = throughput.textsPerSecond() / 2; // every lever's latency at the same offered load
                }
                progress.printf("lever '%s': latency at %.0f texts/s...%n", lever.name(), halfLoad);
                report.add(lever, throughput, pipeline.latency(merge(common, lever.settings()), halfLoad, size.latencyDuration()));
            }
        }
        return report;
    }

    /**
     * {@code bench --soak}: measures the exactly-once maximum on the review mix, then offers
     * {@value #SOAK_LOAD} of it for {@code duration}, every text distinct (so the result cache fills
     * and then evicts, and the by-text topic carries every event), and prints each minute.
     *
     * @param textsPerSecond the load to offer instead ({@code bench --soak-rate}: two settings soaked at
     *     one load); null for {@value #SOAK_LOAD} of the maximum
     */
    public SoakReport runSoak(Cluster cluster, Duration duration, Double textsPerSecond) throws Exception {
        List<String> texts = ReviewMix.generate(size.texts(), SEED);
        Map<String, String> common = common();
        warmUp(cluster, texts, common);
        try (PipelineBenchmark pipeline = new PipelineBenchmark(cluster, texts)) {
            warmUntilTheJitIsQuiet(pipeline, common);
            progress.println("soak: the exactly-once maximum first...");
            PipelineBenchmark.Throughput max = pipeline.throughput("soak-max", common);
            double rate = textsPerSecond != null ? textsPerSecond : SOAK_LOAD * max.textsPerSecond();
            long needed = (long) Math.ceil(rate * (duration.toSeconds() + 30));
            progress.printf("soak: %.0f texts/s (%.0f %% of %.0f) for %s, %d distinct texts...%n", rate, 100 * rate / max.textsPerSecond(),
                    max.textsPerSecond(), duration, needed);
            List<String> distinct = ReviewMix.generate((int) needed, SEED + 1);
            // A numbered suffix keeps the rare duplicate of the generator distinct too.
            // Steady state from minute 2: each task's result cache is bounded at about a minute of its
            // events, so it is full (and evicting) before the comparison starts. With the default bound
            // (100,000 entries per task) the caches would still be filling at minute 10, and their index
            // (about 100 bytes of heap per entry) would show as heap growth that stops at the bound.
            long perTaskMinute = Math.max(1, Math.round(rate * 60 / PipelineBenchmark.PARTITIONS));
            Map<String, String> settings = merge(common, Map.of(StreamNlpConfig.CACHE_MAX_ENTRIES, Long.toString(perTaskMinute)));
            progress.printf("soak: result caches bounded at %d entries per task (a minute of events)%n", perTaskMinute);
            List<PipelineBenchmark.SoakMinute> minutes = pipeline.soak(settings, rate, duration,
                    i -> distinct.get((int) (i % distinct.size())) + " #" + i, progress);
            return new SoakReport(model, max.textsPerSecond(), rate, duration, perTaskMinute, minutes);
        }
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
