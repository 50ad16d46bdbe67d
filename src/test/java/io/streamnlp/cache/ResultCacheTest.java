package io.streamnlp.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.registry.InternalAvroSerde;
import io.streamnlp.schema.internal.CachedResult;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admission, eviction and expiry policy, on a real RocksDB store. */
class ResultCacheTest {

    private static final long DAY = 24 * 3600 * 1000L;
    private static final CacheKeys KEYS = new CacheKeys("test-model|1|s|n|256");

    @TempDir
    Path stateDir;

    private MockProcessorContext<Object, Object> context;
    private KeyValueStore<Bytes, CachedResult> store;
    private TaskMetrics metrics;

    @BeforeEach
    void openStore() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cache-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        context = new MockProcessorContext<>(props, new org.apache.kafka.streams.processor.TaskId(0, 0), stateDir.toFile());
        store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("result-cache"), Serdes.Bytes(),
                new InternalAvroSerde<>(CachedResult.class)).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        metrics = new TaskMetrics(context.metrics(), context.taskId());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static Bytes key(String text) {
        return KEYS.keyOf(NormalizedText.of(text));
    }

    private static CachedResult entry(long storedAt) {
        return CachedResult.newBuilder().setVector(ByteBuffer.allocate(16)).setTokenCount(4).setTruncated(false)
                .setLabel("POSITIVE").setNegative(0.1f).setNeutral(0.1f).setPositive(0.8f).setEntities(List.of())
                .setStoredAt(storedAt).build();
    }

    @Test
    void admitsWhileThereIsRoomAndServesWhatItAdmitted() {
        ResultCache cache = new ResultCache(store, new CacheSettings(10, 1 << 20, DAY), metrics, 0);
        assertThat(cache.get(key("great"), 0)).isNull();
        cache.offer(key("great"), entry(0));
        assertThat(cache.get(key("great"), 1).getPositive()).isEqualTo(0.8f);
        assertThat(cache.entries()).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(ResultCache.sizeOf(entry(0)));
    }

    @Test
    void whenFullAOneOffTextCannotPushOutAFrequentOne() {
        ResultCache cache = new ResultCache(store, new CacheSettings(2, 1 << 20, DAY), metrics, 0);
        for (String text : List.of("frequent", "also frequent")) {
            for (int i = 0; i < 5; i++) {
                cache.get(key(text), 0);
            }
            cache.offer(key(text), entry(0));
        }
        cache.get(key("one-off"), 0);
        cache.offer(key("one-off"), entry(0));
        assertThat(cache.peek(key("one-off"), 0)).isNull();
        assertThat(cache.peek(key("frequent"), 0)).isNotNull();
        assertThat(cache.peek(key("also frequent"), 0)).isNotNull();

        // A text looked up more often than an entry takes its place.
        for (int i = 0; i < 9; i++) {
            cache.get(key("rising"), 0);
        }
        cache.offer(key("rising"), entry(0));
        assertThat(cache.peek(key("rising"), 0)).isNotNull();
        assertThat(cache.entries()).isEqualTo(2);
    }

    @Test
    void theByteBoundHoldsToo() {
        long twoEntries = 2L * ResultCache.sizeOf(entry(0));
        ResultCache cache = new ResultCache(store, new CacheSettings(1000, twoEntries, DAY), metrics, 0);
        for (String text : List.of("a", "b", "c", "d")) {
            cache.get(key(text), 0);
            cache.offer(key(text), entry(0));
        }
        assertThat(cache.entries()).isEqualTo(2);
        assertThat(cache.bytes()).isLessThanOrEqualTo(twoEntries);
    }

    @Test
    void entriesExpireAfterTheTtl() {
        ResultCache cache = new ResultCache(store, new CacheSettings(10, 1 << 20, 1000), metrics, 0);
        cache.offer(key("old"), entry(0));
        cache.offer(key("newer"), entry(900));
        assertThat(cache.get(key("old"), 999)).isNotNull();
        assertThat(cache.get(key("old"), 1000)).isNull();
        cache.expire(1500);
        assertThat(cache.entries()).isEqualTo(1);
        cache.expire(1900);
        assertThat(cache.entries()).isZero();
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void aRestartedTaskFindsItsCacheWarm() {
        ResultCache before = new ResultCache(store, new CacheSettings(10, 1 << 20, DAY), metrics, 0);
        before.offer(key("kept"), entry(0));
        before.offer(key("too old by then"), entry(-DAY + 10));
        ResultCache after = new ResultCache(store, new CacheSettings(10, 1 << 20, DAY), metrics, 100);
        assertThat(after.entries()).isEqualTo(1);
        assertThat(after.get(key("kept"), 100)).isNotNull();
    }
}
