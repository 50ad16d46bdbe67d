package io.streamnlp.ops;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Per input partition: records in, fully enriched, dead-lettered, and what is left (in a batch, or
 * in flight). {@code in = out + deadLettered + pending}; once the input is drained, pending is 0.
 * Read from the application's metrics, so it covers every task of this instance since its start.
 */
public record Accounting(String partition, long in, long out, long deadLettered) {

    public long pending() {
        return in - out - deadLettered;
    }

    @Override
    public String toString() {
        return partition + " in=" + in + " out=" + out + " dlq=" + deadLettered + " pending=" + pending();
    }

    /** Sums our counters by topic-partition. */
    public static Map<String, Accounting> from(Map<MetricName, ? extends Metric> metrics) {
        return from(metrics, DeadLetterTally.NONE);
    }

    /** Sums our counters by topic-partition, with the processing exception handler's dead letters. */
    public static Map<String, Accounting> from(Map<MetricName, ? extends Metric> metrics, DeadLetterTally handler) {
        Map<String, long[]> sums = new TreeMap<>();
        metrics.forEach((name, metric) -> {
            if (!TaskMetrics.GROUP.equals(name.group()) || !name.tags().containsKey("partition")) {
                return;
            }
            int column = switch (name.name()) {
                case "records-in-total" -> 0;
                case "records-out-total" -> 1;
                case "dead-lettered-total" -> 2;
                default -> -1;
            };
            if (column >= 0) {
                String partition = name.tags().get("topic") + "-" + name.tags().get("partition");
                sums.computeIfAbsent(partition, p -> new long[3])[column] += ((Number) metric.metricValue()).longValue();
            }
        });
        handler.snapshot().forEach((key, count) ->
                sums.computeIfAbsent(key.topic() + "-" + key.partition(), p -> new long[3])[2] += count);
        Map<String, Accounting> result = new TreeMap<>();
        sums.forEach((partition, s) -> result.put(partition, new Accounting(partition, s[0], s[1], s[2])));
        return result;
    }
}
