package io.streamnlp.ops;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Value;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.TaskId;

/**
 * StreamNLP's own counters of one task, registered in Kafka Streams' metrics registry (group
 * {@value #GROUP}) so that they are read, and exported, with Kafka Streams' own metrics. Tags name
 * the thread and the task, plus any extra tag (topic, reason). Removed when the task closes.
 */
public final class TaskMetrics implements AutoCloseable {

    public static final String GROUP = "streamnlp-metrics";

    private final StreamsMetrics metrics;
    private final String taskId;
    private final Map<String, Sensor> sensors = new HashMap<>();

    public TaskMetrics(StreamsMetrics metrics, TaskId taskId) {
        this.metrics = metrics;
        this.taskId = taskId.toString();
    }

    /**
     * Adds {@code amount} to the cumulative counter {@code name}-total with the given extra tags.
     * The first call for a name and tags registers it.
     */
    public void add(String name, String description, long amount, String... tagPairs) {
        sensor(name + "-total", description, CumulativeSum::new, tagPairs).record(amount);
    }

    /** Sets the gauge {@code name} (a current level, such as cache entries) to {@code value}. */
    public void set(String name, String description, long value, String... tagPairs) {
        sensor(name, description, Value::new, tagPairs).record(value);
    }

    private Sensor sensor(String metric, String description, Supplier<MeasurableStat> stat, String... tagPairs) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("thread-id", Thread.currentThread().getName());
        tags.put("task-id", taskId);
        for (int i = 0; i + 1 < tagPairs.length; i += 2) {
            tags.put(tagPairs[i], tagPairs[i + 1]);
        }
        String sensorName = "streamnlp." + taskId + "." + metric + "." + tags;
        return sensors.computeIfAbsent(sensorName, key -> {
            Sensor created = metrics.addSensor(key, Sensor.RecordingLevel.INFO);
            created.add(new MetricName(metric, GROUP, description, tags), stat.get());
            return created;
        });
    }

    /** The sum over all tasks (and tags) of one of our metrics, e.g. {@code cache-hits-total}. */
    public static double sum(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream()
                .filter(m -> m.getKey().group().equals(GROUP) && m.getKey().name().equals(name))
                .mapToDouble(m -> m.getValue().metricValue() instanceof Number n ? n.doubleValue() : 0).sum();
    }

    /**
     * The name under which one of our metrics (e.g. {@code records-out-total}) appears in the
     * Micrometer registry of {@link Telemetry}, as Micrometer's Kafka binder names it:
     * {@code kafka.streamnlp.records.out.total} (Prometheus: {@code kafka_streamnlp_records_out_total}).
     */
    public static String meterName(String metric) {
        return "kafka." + GROUP.replace("-metrics", "") + "." + metric.replace('-', '.');
    }

    public void increment(String name, String description, String... tagPairs) {
        add(name, description, 1, tagPairs);
    }

    @Override
    public void close() {
        sensors.values().forEach(metrics::removeSensor);
        sensors.clear();
    }
}
