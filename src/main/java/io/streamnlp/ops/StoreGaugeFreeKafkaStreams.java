package io.streamnlp.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * The application's Kafka Streams client, whose {@link #metrics()} leaves out the state stores'
 * RocksDB property gauges ({@code stream-state-metrics} such as {@code block-cache-usage} or
 * {@code estimate-num-keys}).
 *
 * <p>Why: such a gauge reads the store's native RocksDB handle with no lock against the store's
 * close, and a store closes whenever its task moves (a rebalance, the restart after a crash,
 * shutdown). A read that meets a close is a SIGSEGV that takes the JVM down (seen in
 * {@code CrashRecoveryIntegrationTest}: {@code rocksdb::DBImpl::GetIntProperty} under Micrometer's
 * binder thread). Micrometer's Kafka binder reads every metric's value each time the set of metrics
 * changes, which is exactly when stores open and close, so the race was not rare. The memory those
 * gauges describe is exported as {@code streamnlp_rocksdb_memory_*}, read from the shared block
 * cache, which outlives every store.
 */
public final class StoreGaugeFreeKafkaStreams extends KafkaStreams {

    static final String STORE_METRICS_GROUP = "stream-state-metrics";

    public StoreGaugeFreeKafkaStreams(Topology topology, Properties properties) {
        super(topology, properties);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return withoutStoreGauges(super.metrics());
    }

    /**
     * Every metric but the store-level gauges. A gauge computes its value on read (that is the native
     * call); a store's measurable metrics (its rates, at {@code metrics.recording.level=DEBUG}) return
     * what the stream thread recorded, so they stay.
     */
    static Map<MetricName, Metric> withoutStoreGauges(Map<MetricName, ? extends Metric> metrics) {
        Map<MetricName, Metric> kept = new LinkedHashMap<>();
        metrics.forEach((name, metric) -> {
            boolean storeGauge = STORE_METRICS_GROUP.equals(name.group())
                    && !(metric instanceof KafkaMetric kafkaMetric && kafkaMetric.isMeasurable());
            if (!storeGauge) {
                kept.put(name, metric);
            }
        });
        return kept;
    }
}
