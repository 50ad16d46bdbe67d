package io.streamnlp.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.streamnlp.model.Polarity;
import io.streamnlp.ops.PipelineMeters;
import io.streamnlp.ops.TaskMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Reads, once a second, the cumulative counters and histograms the page charts, from the same
 * Micrometer registry that {@code /metrics} scrapes (so the page and {@code /metrics} agree by
 * construction), and keeps the last {@link #SECONDS} seconds of those readings in a ring. Rates and
 * windowed percentiles are differences between two readings, as Prometheus' {@code rate()} and
 * {@code histogram_quantile()} would compute them.
 */
final class MeterSampler {

    /** How much history the ring keeps. */
    static final int SECONDS = 300;

    static final String RECORDS_IN = TaskMetrics.meterName("records-in-total");
    static final String RECORDS_OUT = TaskMetrics.meterName("records-out-total");
    static final String DEAD_LETTERED = TaskMetrics.meterName("dead-lettered-total");
    static final String CACHE_HITS = TaskMetrics.meterName("cache-hits-total");
    static final String CACHE_MISSES = TaskMetrics.meterName("cache-misses-total");

    /**
     * One reading: every value cumulative since this instance started (the Kafka Streams counters
     * since their task started here: a task that moves away takes its counts with it).
     *
     * @param latencyBuckets cumulative counts at the bounds of {@link #latencyBoundsMs()}
     * @param sentiment outputs per {@link Polarity}, in its order
     */
    record Sample(long atMs, double in, double out, Map<String, Double> deadLettered, double cacheHits,
            double cacheMisses, double batches, double batchedTexts, double encoderCalls, double encoderMs,
            double latencyCount, double[] latencyBuckets, long[] sentiment) {

        double deadLetteredTotal() {
            return deadLettered.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    private final MeterRegistry registry;
    private final PipelineMeters meters;
    private final LongSupplier[] sentiment;
    private final double[] latencyBoundsMs;
    private final ArrayDeque<Sample> ring = new ArrayDeque<>(SECONDS + 2);

    /** @param sentiment cumulative output counts per polarity, in {@link Polarity} order */
    MeterSampler(MeterRegistry registry, PipelineMeters meters, LongSupplier[] sentiment) {
        this.registry = registry;
        this.meters = meters;
        this.sentiment = sentiment.clone();
        CountAtBucket[] buckets = meters.eventLatency().takeSnapshot().histogramCounts();
        this.latencyBoundsMs = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            latencyBoundsMs[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
        }
    }

    /** Upper bounds (ms) of the latency histogram's buckets, ascending. */
    double[] latencyBoundsMs() {
        return latencyBoundsMs;
    }

    /** Takes a reading and keeps it (the sampler thread, once a second). */
    void tick() {
        Sample now = read();
        synchronized (ring) {
            ring.addLast(now);
            while (ring.size() > SECONDS + 1) {
                ring.removeFirst();
            }
        }
    }

    /** A reading now, not kept. */
    Sample read() {
        HistogramSnapshot latency = meters.eventLatency().takeSnapshot();
        CountAtBucket[] counts = latency.histogramCounts();
        double[] cumulative = new double[latencyBoundsMs.length];
        for (int i = 0; i < cumulative.length && i < counts.length; i++) {
            cumulative[i] = counts[i].count();
        }
        long[] bySentiment = new long[sentiment.length];
        for (int i = 0; i < sentiment.length; i++) {
            bySentiment[i] = sentiment[i].getAsLong();
        }
        return new Sample(System.currentTimeMillis(), sum(RECORDS_IN), sum(RECORDS_OUT), sumByTag(DEAD_LETTERED, "reason"),
                sum(CACHE_HITS), sum(CACHE_MISSES), meters.batchSize().count(), meters.batchSize().totalAmount(),
                meters.encoderTime().count(), meters.encoderTime().totalTime(TimeUnit.MILLISECONDS),
                latency.count(), cumulative, bySentiment);
    }

    /** The kept readings of the last {@code seconds} seconds (plus the one before them), oldest first. */
    List<Sample> window(int seconds) {
        synchronized (ring) {
            List<Sample> all = new ArrayList<>(ring);
            return all.subList(Math.max(0, all.size() - seconds - 1), all.size());
        }
    }

    /** The kept reading closest to {@code ageMs} before {@code atMs}, or the oldest one. */
    Sample before(long atMs, long ageMs) {
        synchronized (ring) {
            Sample best = ring.peekFirst();
            for (Sample sample : ring) {
                if (sample.atMs() <= atMs - ageMs) {
                    best = sample;
                }
            }
            return best;
        }
    }

    private double sum(String name) {
        double sum = 0;
        for (Meter meter : registry.find(name).meters()) {
            sum += value(meter);
        }
        return sum;
    }

    private Map<String, Double> sumByTag(String name, String tag) {
        Map<String, Double> sums = new TreeMap<>();
        for (Meter meter : registry.find(name).meters()) {
            String key = meter.getId().getTag(tag);
            sums.merge(key == null ? "unknown" : key, value(meter), Double::sum);
        }
        return sums;
    }

    private static double value(Meter meter) {
        double value = switch (meter) {
            case FunctionCounter counter -> counter.count();
            case Counter counter -> counter.count();
            case Gauge gauge -> gauge.value();
            default -> {
                var measures = meter.measure().iterator();
                yield measures.hasNext() ? measures.next().getValue() : 0;
            }
        };
        return Double.isFinite(value) ? value : 0;
    }
}
