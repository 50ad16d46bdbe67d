package io.streamnlp.live;

import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamnlp.model.EntityKind;
import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.Polarity;
import io.streamnlp.model.SentimentScores;
import io.streamnlp.ops.PipelineMeters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What one instance shows on its live page, computed in process and in bounded memory:
 *
 * <ul>
 *   <li>from the fan-out ({@link LiveFeed}, per record, O(1)): the last {@value #TAIL} records
 *       ({@link Tail}), output counts per sentiment label, and the top entities per type over the
 *       last five minutes ({@link TopEntities});
 *   <li>from the Micrometer registry {@code /metrics} scrapes, once a second ({@link MeterSampler}):
 *       records in, out and dead-lettered by reason, cache hits and misses, batch sizes, encoder
 *       time and the latency from event time to output, kept for {@value MeterSampler#SECONDS} s.
 * </ul>
 *
 * The page and its JSON documents are served by {@link LivePage} on the operations endpoint.
 */
public final class LiveView implements LiveFeed, AutoCloseable {

    static final int TAIL = 50;
    /** The window of the headline figures (rates, percentiles, hit rate of the last minute). */
    static final int RECENT_SECONDS = 60;
    /** The window of each point of the latency series. */
    static final int LATENCY_POINT_SECONDS = 10;

    /** Who this instance is: shown in the page's header. */
    public record Identity(String application, String model, String modelVersion, String sentimentHead, String nerHead) {}

    private final Identity identity;
    private final Supplier<String> state;
    private final long startedMs = System.currentTimeMillis();
    private final Tail tail = new Tail(TAIL);
    private final TopEntities entities = new TopEntities();
    private final LongAdder[] sentiment = new LongAdder[Polarity.values().length];
    private final MeterSampler sampler;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "streamnlp-live-sampler");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param registry the registry {@code /metrics} scrapes (Kafka Streams' metrics bound into it)
     * @param state the Kafka Streams state now, e.g. RUNNING
     */
    public LiveView(Identity identity, MeterRegistry registry, PipelineMeters meters, Supplier<String> state) {
        this.identity = identity;
        this.state = state;
        LongSupplier[] counts = new LongSupplier[sentiment.length];
        for (int i = 0; i < sentiment.length; i++) {
            LongAdder adder = new LongAdder();
            sentiment[i] = adder;
            counts[i] = adder::sum;
        }
        this.sampler = new MeterSampler(registry, meters, counts);
    }

    /** Starts the once-a-second sampling. */
    public void start() {
        sampler.tick();
        timer.scheduleAtFixedRate(this::tickQuietly, 1, 1, TimeUnit.SECONDS);
    }

    private void tickQuietly() {
        try {
            sampler.tick();
        } catch (RuntimeException e) {
            // A meter that vanished mid-read (a task moving away): the next second reads again.
        }
    }

    @Override
    public void enriched(String id, String text, long eventTimeMs, boolean cached, SentimentScores scores,
            List<EntitySpan> found) {
        enriched(id, text, eventTimeMs, cached, scores, found, null);
    }

    @Override
    public void enriched(String id, String text, long eventTimeMs, boolean cached, SentimentScores scores,
            List<EntitySpan> found, String language) {
        long now = System.currentTimeMillis();
        // A head the selected outputs do not need does not run (HeadPlan): its answer is null here.
        if (scores != null) {
            sentiment[scores.label().ordinal()].increment();
        }
        found = found == null ? List.of() : found;
        for (EntitySpan entity : found) {
            entities.add(entity.type(), entity.text(), now);
        }
        long seq = tail.claim();
        tail.put(TailRecord.of(seq, id, text, eventTimeMs, now, cached, scores, found, language));
    }

    /** The page and its JSON endpoints, by context path, for the operations endpoint. */
    public Map<String, HttpHandler> handlers() {
        return new LivePage(this).handlers();
    }

    // ---- the JSON documents ------------------------------------------------------------------

    /** Totals since start, as {@code /metrics} has them now. */
    public record Totals(long recordsIn, long recordsOut, long deadLettered, Map<String, Long> deadLetteredByReason,
            long cacheHits, long cacheMisses, Double cacheHitRate) {}

    /** The last {@code seconds} seconds: rates, means, percentiles. */
    public record Recent(int seconds, double inPerSecond, double outPerSecond, double deadLetteredPerSecond,
            Double batchSize, Double encoderMs, Double latencyP50Ms, Double latencyP99Ms, long latencyCount,
            Double cacheHitRate, Map<String, Long> sentiment) {}

    public record Overview(Identity identity, String state, long startedAtMs, long atMs, Totals totals, Recent recent,
            long enriched, int tailCapacity) {}

    public Overview overview() {
        MeterSampler.Sample now = sampler.read();
        MeterSampler.Sample then = sampler.before(now.atMs(), RECENT_SECONDS * 1000L);
        Map<String, Long> byReason = new TreeMap<>();
        now.deadLettered().forEach((reason, count) -> byReason.put(reason, Math.round(count)));
        Totals totals = new Totals(Math.round(now.in()), Math.round(now.out()), Math.round(now.deadLetteredTotal()),
                byReason, Math.round(now.cacheHits()), Math.round(now.cacheMisses()),
                ratio(now.cacheHits(), now.cacheHits() + now.cacheMisses()));
        return new Overview(identity, state.get(), startedMs, now.atMs(), totals, recent(then, now), tail.count(),
                tail.capacity());
    }

    private Recent recent(MeterSampler.Sample then, MeterSampler.Sample now) {
        if (then == null) {
            then = now;
        }
        double seconds = Math.max(1e-3, (now.atMs() - then.atMs()) / 1000.0);
        double hits = delta(now.cacheHits(), then.cacheHits());
        double lookups = hits + delta(now.cacheMisses(), then.cacheMisses());
        double latencyCount = delta(now.latencyCount(), then.latencyCount());
        Map<String, Long> mix = new LinkedHashMap<>();
        for (Polarity polarity : Polarity.values()) {
            mix.put(polarity.name(), now.sentiment()[polarity.ordinal()] - then.sentiment()[polarity.ordinal()]);
        }
        return new Recent((int) Math.round(seconds),
                delta(now.in(), then.in()) / seconds,
                delta(now.out(), then.out()) / seconds,
                delta(now.deadLetteredTotal(), then.deadLetteredTotal()) / seconds,
                ratio(delta(now.batchedTexts(), then.batchedTexts()), delta(now.batches(), then.batches())),
                ratio(delta(now.encoderMs(), then.encoderMs()), delta(now.encoderCalls(), then.encoderCalls())),
                Histograms.quantile(0.50, sampler.latencyBoundsMs(), then.latencyBuckets(), now.latencyBuckets(), latencyCount),
                Histograms.quantile(0.99, sampler.latencyBoundsMs(), then.latencyBuckets(), now.latencyBuckets(), latencyCount),
                Math.round(latencyCount),
                ratio(hits, lookups),
                mix);
    }

    /**
     * Per-second series over the last {@code seconds} (at most {@value MeterSampler#SECONDS}): one
     * point per reading, each the change since the reading before, per second where it is a rate.
     *
     * @param atMs when each point was read
     * @param batchSize mean texts per encoder call in that second (null: no call)
     * @param encoderMs mean encoder time per call in that second
     * @param sentiment outputs per label in that second
     * @param latencyP50Ms event time to output, over the {@value #LATENCY_POINT_SECONDS} s up to the point
     */
    public record Series(int seconds, List<Long> atMs, List<Double> inPerSecond, List<Double> outPerSecond,
            Map<String, List<Double>> deadLetteredPerSecond, List<Double> batchSize, List<Double> encoderMs,
            Map<String, List<Long>> sentiment, List<Double> latencyP50Ms, List<Double> latencyP99Ms) {}

    public Series series(int seconds) {
        int span = Math.max(1, Math.min(MeterSampler.SECONDS, seconds));
        List<MeterSampler.Sample> samples = sampler.window(span + LATENCY_POINT_SECONDS);
        int first = Math.max(1, samples.size() - span);
        List<Long> at = new ArrayList<>();
        List<Double> in = new ArrayList<>();
        List<Double> out = new ArrayList<>();
        Map<String, List<Double>> dead = new TreeMap<>();
        List<Double> batch = new ArrayList<>();
        List<Double> encoder = new ArrayList<>();
        Map<String, List<Long>> mix = new LinkedHashMap<>();
        for (Polarity polarity : Polarity.values()) {
            mix.put(polarity.name(), new ArrayList<>());
        }
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        for (MeterSampler.Sample sample : samples) {
            sample.deadLettered().keySet().forEach(reason -> dead.computeIfAbsent(reason, r -> new ArrayList<>()));
        }
        for (int i = first; i < samples.size(); i++) {
            MeterSampler.Sample previous = samples.get(i - 1);
            MeterSampler.Sample sample = samples.get(i);
            double dt = Math.max(1e-3, (sample.atMs() - previous.atMs()) / 1000.0);
            at.add(sample.atMs());
            in.add(delta(sample.in(), previous.in()) / dt);
            out.add(delta(sample.out(), previous.out()) / dt);
            dead.forEach((reason, values) -> values.add(delta(sample.deadLettered().getOrDefault(reason, 0.0),
                    previous.deadLettered().getOrDefault(reason, 0.0)) / dt));
            batch.add(ratio(delta(sample.batchedTexts(), previous.batchedTexts()), delta(sample.batches(), previous.batches())));
            encoder.add(ratio(delta(sample.encoderMs(), previous.encoderMs()), delta(sample.encoderCalls(), previous.encoderCalls())));
            for (Polarity polarity : Polarity.values()) {
                mix.get(polarity.name()).add(Math.max(0, sample.sentiment()[polarity.ordinal()]
                        - previous.sentiment()[polarity.ordinal()]));
            }
            MeterSampler.Sample windowStart = samples.get(Math.max(0, i - LATENCY_POINT_SECONDS));
            double count = delta(sample.latencyCount(), windowStart.latencyCount());
            p50.add(Histograms.quantile(0.50, sampler.latencyBoundsMs(), windowStart.latencyBuckets(), sample.latencyBuckets(), count));
            p99.add(Histograms.quantile(0.99, sampler.latencyBoundsMs(), windowStart.latencyBuckets(), sample.latencyBuckets(), count));
        }
        return new Series(span, at, in, out, dead, batch, encoder, mix, p50, p99);
    }

    /** The top entities per type over the last {@code minutes}. */
    public record Entities(int minutes, Map<String, List<EntityCount>> byType) {}

    public Entities entities(int minutes, int k) {
        int window = Math.max(1, Math.min(5, minutes));
        Map<String, List<EntityCount>> byType = new LinkedHashMap<>();
        entities.top(Math.max(1, Math.min(50, k)), window * 60_000L, System.currentTimeMillis())
                .forEach((type, counts) -> byType.put(type.name(), counts));
        for (EntityKind kind : EntityKind.values()) {
            byType.putIfAbsent(kind.name(), List.of());
        }
        return new Entities(window, byType);
    }

    /** The latest enriched records, newest first. */
    public record TailDocument(long enriched, List<TailRecord> records) {}

    public TailDocument tail(int n) {
        return new TailDocument(tail.count(), tail.latest(Math.max(1, Math.min(TAIL, n))));
    }

    private static double delta(double now, double then) {
        // A task that moved away took its counters: never a negative rate.
        return Math.max(0, now - then);
    }

    private static Double ratio(double part, double whole) {
        return whole > 0 ? part / whole : null;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
