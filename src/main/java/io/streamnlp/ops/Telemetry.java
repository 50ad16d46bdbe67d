package io.streamnlp.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One instance's metrics, in Prometheus format: Kafka Streams' own metrics bound as they are, less
 * the store gauges {@link StoreGaugeFreeKafkaStreams} leaves out (which
 * include StreamNLP's counters, registered there by {@link TaskMetrics}: records in and out per
 * topic, dead-lettered by reason, cache hits, misses, entries...), the inference stage's histograms
 * ({@link PipelineMeters}), JVM and process metrics, and {@code streamnlp_model_info} naming the
 * model and head versions. Every series carries an {@code application} tag (the application id).
 */
public final class Telemetry implements AutoCloseable {

    /** How often the Kafka binder looks for new metrics (a new task's counters): also the live page's lag for them. */
    static final Duration REFRESH = Duration.ofSeconds(1);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PipelineMeters pipeline;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "streamnlp-metrics-binder");
        thread.setDaemon(true);
        return thread;
    });
    private KafkaStreamsMetrics streamsMetrics;

    public Telemetry(String applicationId, String model, String modelVersion, String headVersions) {
        registry.config().commonTags("application", applicationId);
        Gauge.builder("streamnlp.model.info", () -> 1)
                .description("The encoder and heads this instance serves (value always 1)")
                .tags("model", model, "version", modelVersion, "heads", headVersions)
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        this.pipeline = new PipelineMeters(registry);
    }

    /**
     * Binds the Kafka Streams client's metrics (its consumers', producers' and ours) as they are. Task
     * metrics come and go with task assignment, so the binder looks for new ones every
     * {@link #REFRESH} (Micrometer's default, a minute, would hide a new task's counters that long;
     * one second keeps the live page's per-second rates honest when a task starts: a counter found
     * late would show its first seconds as one spike). A scan compares a few hundred metric names.
     */
    private volatile DeadLetterTally tally;
    private final java.util.Set<DeadLetterTally.Key> exportedTallies = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public void bind(KafkaStreams streams) {
        streamsMetrics = new KafkaStreamsMetrics(streams, Tags.empty(), refresher, REFRESH);
        streamsMetrics.bindTo(registry);
    }

    public PipelineMeters pipeline() {
        return pipeline;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Exports the dead letters of the processing exception handler as
     * {@code streamnlp_handler_dead_lettered_total{reason,topic,partition}} (the stages' own dead letters
     * are Kafka Streams task metrics, {@code kafka_streamnlp_dead_lettered_total}).
     */
    public void deadLetterTally(DeadLetterTally tally) {
        this.tally = tally;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        DeadLetterTally counted = tally;
        if (counted != null) {
            for (DeadLetterTally.Key key : counted.snapshot().keySet()) {
                if (exportedTallies.add(key)) {
                    FunctionCounter.builder("streamnlp.handler.dead.lettered", counted, t -> t.count(key))
                            .description("Records dead-lettered by the processing exception handler (an unexpected "
                                    + "error that was the record's fault)")
                            .tags("reason", key.reason(), "topic", key.topic(), "partition", Integer.toString(key.partition()))
                            .register(registry);
                }
            }
        }
        return registry.scrape();
    }

    @Override
    public void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        refresher.shutdownNow();
        gcMetrics.close();
        registry.close();
    }
}
