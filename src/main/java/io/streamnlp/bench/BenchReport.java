package io.streamnlp.bench;

import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.TokenizedText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.stream.Collectors;

/** The benchmark's figures and the Markdown table they print as. */
public final class BenchReport {

    private final String model;
    private final Benchmark.Size size;
    private final List<String> texts;
    private double meanTokens;
    private EncoderBenchmark.Result bucketed;
    private EncoderBenchmark.Result unbucketed;
    private EncoderBenchmark.Result perThread;
    private EncoderBenchmark.Result sliced;
    private String intermediateTensor; // null: the encoder exposes none
    private double intermediateOn;
    private double fusedPackaged;
    private double fusedRate;
    private double fusedSlicedPackaged; // the same two graphs in the pipeline's layout: single-threaded slices at once
    private double fusedSlicedRate;
    /** The graph of the encoder rows; the packaged one until {@link #graph} says otherwise. */
    private EncoderGraph graph = EncoderGraph.PACKAGED;
    private double[] fusedCosines; // null: no fused graph row (not an int8 encoder)
    private double intermediateOff;
    private int perThreadSessions;
    private Int8Ceiling.Weights weights;
    private Int8Ceiling.Ceiling ceiling;
    private Map<String, Double> profile;
    private HeadsBenchmark.Result heads;
    private LanguageBenchmark.Result language;
    private PiiBenchmark.Result pii;
    private PipelineBenchmark.Throughput eos;
    private PipelineBenchmark.Throughput alos;
    private PipelineBenchmark.Throughput embeddingsOnly;
    private PipelineBenchmark.Throughput longTexts;
    private double longTextTokens;
    private int longTextWindows;
    private PipelineBenchmark.Throughput perRecord;
    private EncoderBenchmark.Result encoderOneByOne;
    private PipelineBenchmark.Throughput cacheOffOnRepeats;
    private PipelineBenchmark.Throughput cacheOff;
    private PipelineBenchmark.Throughput byTextCache;
    private PipelineBenchmark.Throughput noOverlap;
    private PipelineBenchmark.Latency latencyNoOverlap;
    private PipelineBenchmark.Throughput byTextCacheOnRepeats;
    private PipelineBenchmark.Throughput cache;
    private PipelineBenchmark.Throughput liveOn;
    private PipelineBenchmark.Throughput liveOff;
    private double idealHitRate;
    private PipelineBenchmark.Latency latency;
    private PipelineBenchmark.Latency latencyCacheOff;
    private io.streamnlp.replay.ReplaySummary replay;
    private PipelineBenchmark.Memory memory;
    private long memoryEntriesPerTask;

    BenchReport(String model, Benchmark.Size size, List<String> texts) {
        this.model = model;
        this.size = size;
        this.texts = texts;
    }

    void tokens(List<TokenizedText> tokens) {
        meanTokens = tokens.stream().mapToInt(TokenizedText::length).average().orElse(0);
    }

    void encoder(EncoderBenchmark.Result bucketed, EncoderBenchmark.Result unbucketed) {
        this.bucketed = bucketed;
        this.unbucketed = unbucketed;
    }

    void encoderPerThread(EncoderBenchmark.Result result, int sessions) {
        perThread = result;
        perThreadSessions = sessions;
    }

    void encoderSliced(EncoderBenchmark.Result result) {
        sliced = result;
    }

    /** The encoder with and without its intermediate layer as a second output, alternated (texts/s each). */
    void intermediateLayer(String tensor, double withLayer, double without) {
        intermediateTensor = tensor;
        intermediateOn = withLayer;
        intermediateOff = without;
    }

    /** Which graph the encoder rows ran: the pipeline rows' ({@code model.graph}). */
    void graph(EncoderGraph graph) {
        this.graph = graph;
    }

    void fusedGraph(double packaged, double fused, double slicedPackaged, double slicedFused, double[] cosines) {
        fusedPackaged = packaged;
        fusedRate = fused;
        fusedSlicedPackaged = slicedPackaged;
        fusedSlicedRate = slicedFused;
        fusedCosines = cosines;
    }

    void encoderProfile(Map<String, Double> shares) {
        profile = shares;
    }

    void int8(Int8Ceiling.Weights weights, Int8Ceiling.Ceiling ceiling) {
        this.weights = weights;
        this.ceiling = ceiling;
    }

    EncoderBenchmark.Result bucketed() {
        return bucketed;
    }

    double meanTokens() {
        return meanTokens;
    }

    /** The encoder alone in its faster thread layout: what every pipeline row is compared with. */
    EncoderBenchmark.Result encoderCeiling() {
        EncoderBenchmark.Result best = bucketed;
        for (EncoderBenchmark.Result r : java.util.Arrays.asList(perThread, sliced)) {
            if (r != null && r.textsPerSecond() > best.textsPerSecond()) {
                best = r;
            }
        }
        return best;
    }

    /** The encoder rows every table starts with: both thread layouts and the arithmetic against the int8 ceiling. */
    void encoderRows(StringBuilder out) {
        int cores = Runtime.getRuntime().availableProcessors();
        row(out, f("encoder alone (model.graph=%s, as the pipeline rows run it), bucketed batches of %d, one session on %d ONNX "
                        + "Runtime threads", graph.settingName(), Benchmark.BATCH, cores),
                f("%.0f texts/s, %.0f tokens/s", bucketed.textsPerSecond(), bucketed.tokensPerSecond()),
                encoderCeiling() == bucketed ? "ceiling (the faster layout)" : "", "");
        if (perThread != null) {
            row(out, f("encoder alone, %d sessions of one thread each at once (as %d stream threads)", perThreadSessions, perThreadSessions),
                    f("%.0f texts/s, %.0f tokens/s; / one session = %.2f", perThread.textsPerSecond(), perThread.tokensPerSecond(),
                            perThread.textsPerSecond() / bucketed.textsPerSecond()),
                    encoderCeiling() == perThread ? "ceiling (the faster layout)" : "", "");
        }
        if (sliced != null) {
            row(out, f("encoder alone, each batch in %d slices of similar length at once, one thread each (the pipeline's "
                            + "encode path with inference.parallel.calls=%d)", cores, cores),
                    f("%.0f texts/s, %.0f tokens/s; / one session = %.2f; padding %.1f %%", sliced.textsPerSecond(),
                            sliced.tokensPerSecond(), sliced.textsPerSecond() / bucketed.textsPerSecond(), 100 * sliced.paddingWaste()),
                    (encoderCeiling() == sliced ? "ceiling (the faster layout); " : "") + ">= 1.2 x one session",
                    met(sliced.textsPerSecond() >= 1.2 * bucketed.textsPerSecond()));
        }
        if (intermediateTensor != null) {
            row(out, f("encoder alone, one session on %d threads, with / without the intermediate layer as a second output "
                            + "(%s, which the NER head mixes in; alternated three times, the best run of each)", cores, intermediateTensor),
                    f("%.0f / %.0f texts/s = %.3f", intermediateOn, intermediateOff, intermediateOn / intermediateOff),
                    "the encoder's time rises <= 2 %", met(intermediateOn >= intermediateOff / 1.02));
        }
        if (fusedCosines != null) {
            row(out, f("encoder alone, one session on %d threads, model.graph=fused / packaged (one fused attention and "
                            + "two skip-layer-norms per layer, FastGelu; alternated three times, the best run of each)", cores),
                    f("%.0f / %.0f texts/s = %.3f x; sentence vectors' cosine to the packaged graph's: mean %.4f, min %.4f",
                            fusedRate, fusedPackaged, fusedRate / fusedPackaged, fusedCosines[0], fusedCosines[1]),
                    ">= 1.3 x", met(fusedRate >= 1.3 * fusedPackaged));
            row(out, f("the same, in the pipeline's layout: each batch in %d single-threaded slices at once "
                            + "(inference.parallel.calls=%d), model.graph=fused / packaged", cores, cores),
                    f("%.0f / %.0f texts/s = %.3f x", fusedSlicedRate, fusedSlicedPackaged, fusedSlicedRate / fusedSlicedPackaged),
                    "", "");
        }
        if (weights != null && ceiling != null) {
            EncoderBenchmark.Result best = encoderCeiling();
            double gmac = weights.int8MacsPerToken() * best.tokensPerSecond() / 1e9;
            row(out, f("encoder arithmetic: %.1f M int8 multiply-adds per token (%d weight matrices; float matrices %.1f M; "
                            + "attention and the rest not counted) vs MatMulInteger on one layer's shapes (%d rows, %d threads)",
                            weights.int8MacsPerToken() / 1e6, weights.int8Matrices(), weights.floatMacsPerToken() / 1e6,
                            ceiling.rows(), ceiling.threads()),
                    f("%.0f G MAC/s of a measured %.0f G MAC/s ceiling = %.0f %%", gmac, ceiling.gmacPerSecond(),
                            100 * gmac / ceiling.gmacPerSecond()),
                    "report the fraction", "");
        }
        if (profile != null) {
            row(out, f("encoder kernel time by operator of the packaged graph as ONNX Runtime optimizes it (ONNX Runtime profiler, batches of %d, one session on %d threads)",
                    Benchmark.BATCH, cores), EncoderProfile.describe(profile, 6), "", "");
        }
    }

    void heads(HeadsBenchmark.Result result) {
        heads = result;
    }

    void language(LanguageBenchmark.Result result) {
        language = result;
    }

    /** The language identification row: its CPU time per text (Lingua's pool included) against the encoder's core time per text. */
    private void languageRow(StringBuilder out, double encoderMicros) {
        if (language == null) {
            return;
        }
        double encoderCoreMicros = encoderMicros * Runtime.getRuntime().availableProcessors();
        double share = language.cpuMicrosPerText() / encoderCoreMicros;
        row(out, f("language identification per text (before the encoder; %d candidates, language.accuracy=%s; one thread, one "
                        + "text at a time)", language.candidates(),
                        io.streamnlp.language.LanguageSettings.defaults().accuracy().settingName()),
                f("%.1f us (CPU time %.1f us, the common pool's included) = %.1f %% of the encoder's %.0f core-us", language.microsPerText(),
                        language.cpuMicrosPerText(), 100 * share, encoderCoreMicros),
                f("<= %.0f %% of the encoder's CPU time per text", 100 * LanguageBenchmark.SHARE_BUDGET),
                met(share <= LanguageBenchmark.SHARE_BUDGET));
    }

    void pii(PiiBenchmark.Result result) {
        pii = result;
    }

    /** The PII row (opt-in, so reported without a target): its thread CPU time per text against the encoder's. */
    private void piiRow(StringBuilder out, double encoderMicros) {
        if (pii == null) {
            return;
        }
        double encoderCoreMicros = encoderMicros * Runtime.getRuntime().availableProcessors();
        row(out, "PII detection and redaction per text (pii.redact=true, every pattern detector, regions US,GB,DE,FR; "
                        + "every 4th text with an e-mail, a phone and a card number; one thread)",
                f("%.1f us (thread CPU time %.1f us) = %.1f %% of the encoder's %.0f core-us; %.2f spans per text",
                        pii.microsPerText(), pii.cpuMicrosPerText(), 100 * pii.cpuMicrosPerText() / encoderCoreMicros,
                        encoderCoreMicros, pii.spansPerText()),
                "", "");
    }

    void pipelineExactlyOnce(PipelineBenchmark.Throughput t) {
        eos = t;
    }

    void longTextShape(double meanTokens, int windows) {
        longTextTokens = meanTokens;
        longTextWindows = windows;
    }

    void longTexts(PipelineBenchmark.Throughput t) {
        longTexts = t;
    }

    void pipelineEmbeddingsOnly(PipelineBenchmark.Throughput t) {
        embeddingsOnly = t;
    }

    void pipelineAtLeastOnce(PipelineBenchmark.Throughput t) {
        alos = t;
    }

    void pipelineCacheOff(PipelineBenchmark.Throughput t) {
        cacheOff = t;
    }

    /**
     * The exactly-once row with {@code cache.placement=by-text}: every event takes the hop (the default
     * before issue 26; the other rows run the default, which resolves to {@code partition} on their fresh ids).
     */
    void pipelineByTextCache(PipelineBenchmark.Throughput t) {
        byTextCache = t;
    }

    /** The exactly-once row with {@code batch.overlap=false}: each batch on the stream thread (the default before issue 26). */
    void pipelineNoOverlap(PipelineBenchmark.Throughput t) {
        noOverlap = t;
    }

    /** The latency row with {@code batch.overlap=false}. */
    void latencyNoOverlap(PipelineBenchmark.Latency l) {
        latencyNoOverlap = l;
    }

    /** The repeating stream with {@code cache.placement=by-text}. */
    void byTextCacheOnRepeats(PipelineBenchmark.Throughput t) {
        byTextCacheOnRepeats = t;
    }

    void cache(PipelineBenchmark.Throughput t, double ideal) {
        cache = t;
        idealHitRate = ideal;
    }

    void livePage(PipelineBenchmark.Throughput on, PipelineBenchmark.Throughput off) {
        liveOn = on;
        liveOff = off;
    }

    void perRecord(PipelineBenchmark.Throughput t) {
        perRecord = t;
    }

    void encoderOneByOne(EncoderBenchmark.Result result) {
        encoderOneByOne = result;
    }

    void cacheOffOnRepeats(PipelineBenchmark.Throughput t) {
        cacheOffOnRepeats = t;
    }

    void replay(io.streamnlp.replay.ReplaySummary summary) {
        replay = summary;
    }

    void latencyCacheOff(PipelineBenchmark.Latency l) {
        latencyCacheOff = l;
    }

    void latency(PipelineBenchmark.Latency l) {
        latency = l;
    }

    void memory(PipelineBenchmark.Memory m, long entriesPerTask) {
        memory = m;
        memoryEntriesPerTask = entriesPerTask;
    }

    /** The result caches are full: every result-cache task (one per input partition) holds its bound. */
    private boolean cachesFull() {
        return memory.cacheEntries() == memory.partitions() * memoryEntriesPerTask;
    }

    /** How a row measured in turns with another came about: every run's texts/s; nothing for a single run. */
    private static String turns(PipelineBenchmark.Throughput t, String other) {
        if (t.runs().size() < 2) {
            return "";
        }
        return f(" (best of %d runs in turns with %s: %s)", t.runs().size(), other,
                t.runs().stream().map(rate -> f("%.0f", rate)).collect(Collectors.joining(", ")));
    }

    double pipelineExactlyOnceRate() {
        return eos.textsPerSecond();
    }

    /** Heads' share of the encoder's time per text: the issue #14 budget. */
    static final double HEADS_SHARE_BUDGET = 0.05;

    private String headsRow(double encoderMicros) {
        return f("sentiment %.1f us, NER %.1f us (thread CPU time %.1f + %.1f = %.1f us) = %.1f %% of the encoder's %.0f us wall time",
                heads.sentimentMicrosPerText(), heads.nerMicrosPerText(), heads.sentimentCpuMicrosPerText(),
                heads.nerCpuMicrosPerText(), heads.cpuMicrosPerText(),
                100 * (heads.sentimentMicrosPerText() + heads.nerMicrosPerText()) / encoderMicros, encoderMicros)
                + f("; a classifier head (classifiers, %d labels) adds %.1f us (regression) or %.1f us (MLP-256) thread CPU time",
                        HeadsBenchmark.CLASSIFIER_LABELS, heads.classifierCpuMicrosPerText()[0],
                        heads.classifierCpuMicrosPerText()[1]);
    }

    /** The line above every table: model, texts, batch, machine. */
    private void describeRun(StringBuilder out) {
        out.append(String.format(Locale.ROOT, "Model `%s`, %d review-like texts (mean %.1f tokens, seed %d), batch %d, %s.%n%n",
                model, texts.size(), meanTokens, Benchmark.SEED, Benchmark.BATCH, machine()));
    }

    /** The heads-only table ({@code bench --heads-only}): the encoder row and the heads row. */
    public String headsMarkdown() {
        StringBuilder out = new StringBuilder();
        describeRun(out);
        out.append("| row | measured | target | met |\n|---|---|---|---|\n");
        encoderRows(out);
        double encoderMicros = 1e6 / bucketed.textsPerSecond();
        row(out, "task heads per text (after the encoder)", headsRow(encoderMicros),
                f("both heads <= %.0f us per text (thread CPU time)", HeadsBenchmark.BUDGET_MICROS),
                met(heads.cpuMicrosPerText() <= HeadsBenchmark.BUDGET_MICROS));
        languageRow(out, encoderMicros);
        piiRow(out, encoderMicros);
        return out.toString();
    }

    /** What every pipeline row includes, printed above the table. */
    static final String PIPELINE_ROWS = "Pipeline rows: Avro events from a pre-filled input topic (2 partitions) to the last "
            + "output seen by a read_committed consumer; broker (KRaft) and registry (Apicurio) embedded in the same JVM, "
            + "so they share the cores; the clock starts when Kafka Streams is RUNNING (model loading and the first "
            + "rebalance excluded, except in the replay row); every row on the same texts, after unmeasured warm-up runs (until one leaves the JIT compiler "
            + "quiet, at most 4); a GC before each row. "
            + "Ratios compare the pipeline with the encoder alone in its faster thread layout.";

    /** The table, with each target and whether this run met it. */
    public String markdown() {
        double encoderRate = encoderCeiling().textsPerSecond();
        StringBuilder out = new StringBuilder();
        describeRun(out);
        out.append(PIPELINE_ROWS).append("\n\n");
        out.append("| row | measured | target | met |\n|---|---|---|---|\n");
        encoderRows(out);
        double encoderMicros = 1e6 / encoderRate;
        // Like for like: the heads' thread CPU time per text against the encoder's core time per text
        // (its wall time per text x the cores it keeps busy); the wall-time share is printed too.
        double encoderCoreMicros = encoderMicros * Runtime.getRuntime().availableProcessors();
        double cpuShare = heads.cpuMicrosPerText() / encoderCoreMicros;
        row(out, "task heads per text (after the encoder; one thread, one text at a time)", headsRow(encoderMicros)
                        + f("; CPU time: %.1f %% of the encoder's %.0f core-us", 100 * cpuShare, encoderCoreMicros),
                f("<= %.0f %% of the encoder's CPU time per text", 100 * HEADS_SHARE_BUDGET), met(cpuShare <= HEADS_SHARE_BUDGET));
        languageRow(out, encoderMicros);
        piiRow(out, encoderMicros);
        row(out, "pipeline, exactly-once (cache on, no repeats; cache.placement=auto: partition on a fresh application id)",
                f("%.0f texts/s = %.2f x encoder", eos.textsPerSecond(), eos.textsPerSecond() / encoderRate) + turns(eos, "the cache-off row"),
                ">= 0.95 x encoder", met(eos.textsPerSecond() / encoderRate >= 0.95));
        row(out, "where the exactly-once row's CPU went (thread CPU time over the row, by group)", eos.describeCpu(),
                "", "");
        double cacheCost = 1 - eos.textsPerSecond() / cacheOff.textsPerSecond();
        row(out, "pipeline, exactly-once, result cache off", f("%.0f texts/s = %.2f x encoder", cacheOff.textsPerSecond(),
                cacheOff.textsPerSecond() / encoderRate) + turns(cacheOff, "the row above") + f("; the cache costs %.1f %%", 100 * cacheCost),
                "cache on costs <= 3 %", met(cacheCost <= 0.03));
        if (byTextCache != null) {
            double byTextCost = 1 - byTextCache.textsPerSecond() / cacheOff.textsPerSecond();
            row(out, "pipeline, exactly-once, cache on with cache.placement=by-text (every event takes the by-text hop)",
                    f("%.0f texts/s = %.2f x encoder; this cache costs %.1f %%; default / by-text = %.2fx",
                            byTextCache.textsPerSecond(), byTextCache.textsPerSecond() / encoderRate, 100 * byTextCost,
                            eos.textsPerSecond() / byTextCache.textsPerSecond()), "", "");
        }
        if (noOverlap != null) {
            row(out, "pipeline, exactly-once, batch.overlap=false (each batch encoded on the stream thread, which waits for it)",
                    f("%.0f texts/s = %.2f x encoder; overlapped (default) / not = %.2fx", noOverlap.textsPerSecond(),
                            noOverlap.textsPerSecond() / encoderRate, eos.textsPerSecond() / noOverlap.textsPerSecond()), "", "");
        }
        if (embeddingsOnly != null) {
            row(out, "pipeline, exactly-once, outputs=embeddings (neither head runs; default: every output)",
                    f("%.0f texts/s = %.2f x encoder; embeddings only / every output = %.2fx", embeddingsOnly.textsPerSecond(),
                            embeddingsOnly.textsPerSecond() / encoderRate, embeddingsOnly.textsPerSecond() / eos.textsPerSecond()),
                    "", "");
        }
        if (longTexts != null && longTexts.records() > 0) {
            double windowsPerText = (double) longTextWindows / longTexts.records();
            double windowsPerSecond = longTexts.textsPerSecond() * windowsPerText;
            row(out, f("pipeline, exactly-once, long texts (mean %.0f tokens, %.1f windows of 256 each, long.text.mode=window)",
                    longTextTokens, windowsPerText),
                    f("%.1f texts/s = %.0f windows/s = %.2f x the short-text pipeline's texts/s", longTexts.textsPerSecond(),
                            windowsPerSecond, windowsPerSecond / eos.textsPerSecond()), "", "");
        }
        double hitRate = cache.cacheHits() / cache.records();
        row(out, f("pipeline, exactly-once, cache on, %.1f %% of events drawn from %d hot texts (Zipf %.1f)", 100 * Benchmark.REPEAT_SHARE,
                Benchmark.HOT_TEXTS, ReviewMix.ZIPF_EXPONENT),
                f("%.0f texts/s = %.2f x encoder", cache.textsPerSecond(), cache.textsPerSecond() / encoderRate)
                        + turns(cache, "the cache-off row") + f("; hit rate %.1f %% (ideal %.1f %%)", 100 * hitRate, 100 * idealHitRate),
                "hit rate within 5 points of ideal", met(hitRate >= idealHitRate - 0.05));
        if (cacheOffOnRepeats != null) {
            double speedUp = cache.textsPerSecond() / cacheOffOnRepeats.textsPerSecond();
            row(out, "the same repeating stream, cache off", f("%.0f texts/s", cacheOffOnRepeats.textsPerSecond())
                    + turns(cacheOffOnRepeats, "the row above") + f("; cache on / off = %.2fx", speedUp),
                    "cache on >= 1.8 x cache off", met(speedUp >= 1.8));
        }
        if (byTextCacheOnRepeats != null && cacheOffOnRepeats != null) {
            double byTextHits = byTextCacheOnRepeats.cacheHits() / byTextCacheOnRepeats.records();
            row(out, "the same repeating stream, cache.placement=by-text (all copies of a text meet in one task's cache)",
                    f("%.0f texts/s; hit rate %.1f %% (ideal %.1f %%); / cache off = %.2fx; default / by-text = %.2fx",
                            byTextCacheOnRepeats.textsPerSecond(), 100 * byTextHits, 100 * idealHitRate,
                            byTextCacheOnRepeats.textsPerSecond() / cacheOffOnRepeats.textsPerSecond(),
                            cache.textsPerSecond() / byTextCacheOnRepeats.textsPerSecond()), "", "");
        }
        if (replay != null) {
            row(out, "replay of the same topic (`replay`: batch-invariant encoder calls, start-up included)",
                    f("%d in, %d out, %d cache hits in %d s: %.0f records/s = %.2f x pipeline exactly-once", replay.in(), replay.out(),
                            replay.cacheHits(), replay.elapsed().toSeconds(), replay.recordsPerSecond(),
                            replay.recordsPerSecond() / eos.textsPerSecond()), "", "");
        }
        if (liveOn != null && liveOff != null) {
            row(out, "live page's aggregation on (page polled every 2 s) / off, exactly-once, operations endpoint on in both",
                    f("%.0f / %.0f texts/s: on / off = %.3f", liveOn.textsPerSecond(), liveOff.textsPerSecond(),
                            liveOn.textsPerSecond() / liveOff.textsPerSecond()), "", "");
        }
        row(out, "pipeline, at-least-once", f("%.0f texts/s = %.2f x encoder", alos.textsPerSecond(), alos.textsPerSecond() / encoderRate), "", "");
        double batchingBuys = encoderRate / encoderOneByOne.textsPerSecond();
        row(out, f("encoder alone, one text per call (%d single-threaded sessions at once, the ceiling's layout)", perThreadSessions),
                f("%.0f texts/s; batched / one-by-one = %.2fx (what batching can buy)", encoderOneByOne.textsPerSecond(), batchingBuys),
                "", "");
        double pipelineBuys = eos.textsPerSecond() / perRecord.textsPerSecond();
        row(out, "per record (batch.max.records=1, exactly-once, same poll size)", f("%.0f texts/s; pipeline / per-record = %.2fx = %.0f %% of what batching buys",
                perRecord.textsPerSecond(), pipelineBuys, 100 * pipelineBuys / batchingBuys),
                f(">= 0.9 x %.2f = %.2fx", batchingBuys, 0.9 * batchingBuys), met(pipelineBuys >= 0.9 * batchingBuys));
        row(out, "padding waste (padded / real - 1)", f("%.1f %% bucketed, %.1f %% without bucketing", 100 * bucketed.paddingWaste(), 100 * unbucketed.paddingWaste()),
                "<= 10 % bucketed", met(bucketed.paddingWaste() <= 0.10));
        row(out, "median batch time (encoder alone)", f("%.1f ms bucketed, %.1f ms without", bucketed.medianBatchMs(), unbucketed.medianBatchMs()), "", "");
        row(out, f("latency at half load (%.0f texts/s offered, exactly-once, cache on): event timestamp to a read_committed consumer (in its group before the first event), "
                        + "after the first %d s of a fresh instance (their p99 beside it)", latency.offeredPerSecond(),
                PipelineBenchmark.LATENCY_START_UP.toSeconds()),
                latency.describe(),
                "p50 <= 150 ms, p99 <= 300 ms", met(latency.p50Ms() <= 150 && latency.p99Ms() <= 300));
        if (latencyCacheOff != null) {
            row(out, "latency at half load, result cache off", latencyCacheOff.describe(), "", "");
        }
        if (latencyNoOverlap != null) {
            row(out, "latency at half load, batch.overlap=false", latencyNoOverlap.describe(), "", "");
        }
        row(out, f("memory: %d input partitions (%d tasks, %d RocksDB stores), result caches %s (%d entries = %d x %d, %.1f MiB)",
                        memory.partitions(), memory.tasks(), memory.stores(), cachesFull() ? "full" : "**not full**",
                        memory.cacheEntries(), memory.partitions(), memoryEntriesPerTask, memory.cacheBytes() / 1048576.0),
                f("peak heap %d MiB, peak RSS %d MiB (%s); RocksDB pool peak %.1f MiB of %d MiB (state.memory.bytes)",
                        memory.peakHeapBytes() >> 20, memory.peakRssBytes() >> 20,
                        memory.rssSinceRowStart() ? "this process, during this row" : "this process since it started",
                        memory.rocksDbPeakBytes() / 1048576.0, memory.stateMemoryBytes() >> 20),
                "RocksDB within state.memory.bytes", met(memory.rocksDbPeakBytes() <= memory.stateMemoryBytes()));
        return out.toString();
    }

    static void row(StringBuilder out, String name, String measured, String target, String met) {
        out.append("| ").append(name).append(" | ").append(measured).append(" | ").append(target).append(" | ").append(met).append(" |\n");
    }

    static String met(boolean ok) {
        return ok ? "yes" : "**no**";
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException | RuntimeException ignored) {
            // not Linux: say so below
        }
        return f("%d cores (%s), max heap %d MiB, Java %s, %s", Runtime.getRuntime().availableProcessors(), cpu,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.version(), LocalDate.now());
    }

    /** Whether every row was measured (the smoke test's check). */
    public boolean complete() {
        return bucketed != null && unbucketed != null && perThread != null && sliced != null && ceiling != null && encoderOneByOne != null
                && heads != null && language != null && eos != null && alos != null && perRecord != null
                && cacheOff != null && cache != null && byTextCache != null && byTextCacheOnRepeats != null
                && noOverlap != null && latencyNoOverlap != null
                && embeddingsOnly != null && longTexts != null
                && longTexts.records() == size.longTexts() && latency != null && latency.samples() > 0 && eos.records() == size.texts()
                && liveOn != null && liveOff != null && memory != null && memory.tasks() >= Benchmark.MEMORY_PARTITIONS && memory.stores() > 0;
    }
}
