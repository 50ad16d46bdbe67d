package io.streamnlp.ops;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The inference stage's distributions, as Micrometer histograms: how full the micro-batches are, how
 * many tensor cells they pad to, how long texts wait for a batch, the time per batch in the encoder
 * and in the heads, and the latency from each event's event time to its outputs. (Counters live
 * with Kafka Streams' own metrics: see {@link TaskMetrics}.)
 * Shared by all tasks of an instance; Micrometer meters are thread-safe.
 */
public final class PipelineMeters {

    private final DistributionSummary batchSize;
    private final DistributionSummary paddedTokens;
    private final Timer queueWait;
    private final Timer encoderTime;
    private final Timer headsTime;
    private final Timer eventLatency;

    public PipelineMeters(MeterRegistry registry) {
        this.batchSize = DistributionSummary.builder("streamnlp.batch.size")
                .description("Texts per encoder call")
                .baseUnit("texts")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                .register(registry);
        this.paddedTokens = DistributionSummary.builder("streamnlp.batch.padded.tokens")
                .description("Token positions per encoder call, padding included (texts x longest, per length bucket)")
                .baseUnit("tokens")
                .serviceLevelObjectives(64, 256, 1024, 2048, 4096, 8192)
                .register(registry);
        this.queueWait = Timer.builder("streamnlp.queue.wait")
                .description("Time a text waited in its micro-batch before the encoder ran")
                .publishPercentileHistogram()
                .register(registry);
        this.encoderTime = Timer.builder("streamnlp.encoder.time")
                .description("Encoder time per micro-batch")
                .publishPercentileHistogram()
                .register(registry);
        this.headsTime = Timer.builder("streamnlp.heads.time")
                .description("Sentiment and NER head time per micro-batch")
                .publishPercentileHistogram()
                .register(registry);
        this.eventLatency = Timer.builder("streamnlp.event.latency")
                .description("Time from an event's event time to its outputs leaving the fan-out (the transaction commit follows)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    /** Meters that go nowhere: for tests and tools that run the topology without an endpoint. */
    public static PipelineMeters none() {
        return new PipelineMeters(new CompositeMeterRegistry());
    }

    public void encoderCall(int texts, long paddedTokenPositions, long nanos) {
        batchSize.record(texts);
        paddedTokens.record(paddedTokenPositions);
        encoderTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void heads(long nanos) {
        headsTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void waited(long millis) {
        queueWait.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    /** One event's outputs left the fan-out {@code millis} after its event time (clock skew: 0). */
    public void outputLatency(long millis) {
        eventLatency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    /** Texts per encoder call. */
    public DistributionSummary batchSize() {
        return batchSize;
    }

    /** Encoder time per micro-batch. */
    public Timer encoderTime() {
        return encoderTime;
    }

    /** Event time to outputs, per event. */
    public Timer eventLatency() {
        return eventLatency;
    }
}
