package io.streamnlp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.MetricValueProvider;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

class StoreGaugeFreeKafkaStreamsTest {

    private final AtomicInteger nativeReads = new AtomicInteger();

    @Test
    void storeGaugesAreLeftOutUnreadAndEverythingElseStays() {
        Gauge<Long> blockCacheUsage = (config, now) -> {
            nativeReads.incrementAndGet();
            return 42L;
        };
        Gauge<Integer> aliveThreads = (config, now) -> 2;
        MetricName storeGauge = name("block-cache-usage", "stream-state-metrics");
        MetricName storeRate = name("put-rate", "stream-state-metrics");
        MetricName threadGauge = name("alive-stream-threads", "stream-metrics");
        MetricName ourCounter = name("records-in-total", "streamnlp");
        Map<MetricName, KafkaMetric> all = new LinkedHashMap<>();
        all.put(storeGauge, metric(storeGauge, blockCacheUsage));
        all.put(storeRate, metric(storeRate, new Avg()));
        all.put(threadGauge, metric(threadGauge, aliveThreads));
        all.put(ourCounter, metric(ourCounter, new Avg()));

        var kept = StoreGaugeFreeKafkaStreams.withoutStoreGauges(all);

        assertThat(kept.keySet()).containsExactly(storeRate, threadGauge, ourCounter);
        assertThat(kept.get(threadGauge).metricValue()).isEqualTo(2);
        assertThat(nativeReads).as("the store gauge's value was never computed").hasValue(0);
    }

    private static MetricName name(String name, String group) {
        return new MetricName(name, group, "", Map.of("thread-id", "t1"));
    }

    private static KafkaMetric metric(MetricName name, MetricValueProvider<?> provider) {
        return new KafkaMetric(new Object(), name, provider, new MetricConfig(), Time.SYSTEM);
    }
}
