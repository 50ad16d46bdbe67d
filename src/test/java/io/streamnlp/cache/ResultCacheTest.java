package io.streamnlp.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.schema.internal.CachedResult;
import io.streamnlp.registry.InternalSchemaHistory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
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
    private KeyValueStore<Bytes, byte[]> store;
    private TaskMetrics metrics;

    @BeforeEach
    void openStore() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cache-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        context = new MockProcessorContext<>(props, new org.apache.kafka.streams.processor.TaskId(0, 0), stateDir.toFile());
        store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("result-cache"), Serdes.Bytes(),
                Serdes.ByteArray()).withLoggingDisabled().build();
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

    /** Keys in the store itself, counted by iterating it (RocksDB's count is an estimate). */
    private List<Bytes> storedKeys() {
        List<Bytes> keys = new ArrayList<>();
        try (var all = store.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    private void fill(int count) {
        for (int i = 0; i < count; i++) {
            store.put(key("text " + i), ResultCache.CODEC.encode(entry(i)));
        }
    }

    @Test
    void aStoreHoldingMoreThanTheByteBoundIsTrimmedToItAtInit() {
        fill(20);
        long fiveEntries = 5L * ResultCache.sizeOf(entry(0));
        ResultCache cache = new ResultCache(store, new CacheSettings(1000, fiveEntries, DAY), metrics, 100);
        assertThat(cache.entries()).isEqualTo(5);
        assertThat(cache.bytes()).isLessThanOrEqualTo(fiveEntries).isEqualTo(fiveEntries);
        List<Bytes> kept = storedKeys();
        assertThat(kept).as("entries beyond the bound are deleted from the store").hasSize(5);
        for (Bytes key : kept) {
            assertThat(cache.peek(key, 100)).as("a kept entry is served").isNotNull();
        }
        assertThat(TaskMetrics.sum(context.metrics().metrics(), "cache-evictions-total")).isEqualTo(15.0);

        // The bound holds from there on: an admission (after look-ups) evicts, it does not grow the cache.
        for (int i = 0; i < 9; i++) {
            cache.get(key("popular"), 100);
        }
        cache.offer(key("popular"), entry(50));
        assertThat(cache.entries()).isEqualTo(5);
        assertThat(cache.bytes()).isLessThanOrEqualTo(fiveEntries);
    }

    @Test
    void aStoreHoldingMoreThanTheEntryBoundIsTrimmedToItAtInit() {
        fill(20);
        ResultCache cache = new ResultCache(store, new CacheSettings(7, 1 << 20, DAY), metrics, 100);
        assertThat(cache.entries()).isEqualTo(7);
        assertThat(cache.bytes()).isEqualTo(7L * ResultCache.sizeOf(entry(0)));
        assertThat(storedKeys()).hasSize(7);
    }

    @Test
    void theRebuildDropsExpiredEntriesAndKeepsTheRest() {
        fill(10); // stored at 0..9 ms
        ResultCache cache = new ResultCache(store, new CacheSettings(100, 1 << 20, 1000), metrics, 1005);
        assertThat(cache.entries()).as("entries stored at 6..9 ms are younger than the TTL at 1005 ms").isEqualTo(4);
        assertThat(storedKeys()).hasSize(4);
        assertThat(TaskMetrics.sum(context.metrics().metrics(), "cache-expirations-total")).isEqualTo(6.0);
    }

    @Test
    void entriesLeftByTheFirstReleaseInItsUnframedEncodingAreIndexedAndServed() throws IOException {
        Schema v1 = InternalSchemaHistory.of("CachedResult").version(1);
        store.put(key("legacy"), legacyBytes(v1, 50));
        store.put(key("legacy and old"), legacyBytes(v1, -DAY));
        ResultCache cache = new ResultCache(store, new CacheSettings(10, 1 << 20, DAY), metrics, 100);
        assertThat(cache.entries()).as("the expired one is dropped by its storedAt, read from legacy bytes").isEqualTo(1);
        CachedResult served = cache.get(key("legacy"), 100);
        assertThat(served.getStoredAt()).isEqualTo(50);
        assertThat(served.getLabel()).isEqualTo("NEGATIVE");
        assertThat(served.getEntities()).hasSize(1);
        assertThat(served.getEntities().getFirst().getType()).isEqualTo("ORG");
        assertThat(served.getVector()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        assertThat(cache.bytes()).isEqualTo(CacheKeys.KEY_BYTES + legacyBytes(v1, 50).length);
    }

    /** A result as the first release wrote it: plain Avro binary of the version 1 schema, no header. */
    private static byte[] legacyBytes(Schema v1, long storedAt) throws IOException {
        Schema entitySchema = v1.getField("entities").schema().getElementType();
        GenericRecord entity = new GenericData.Record(entitySchema);
        entity.put("type", "ORG");
        entity.put("start", 0);
        entity.put("end", 6);
        entity.put("confidence", 0.9f);
        GenericRecord record = new GenericData.Record(v1);
        record.put("vector", ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        record.put("tokenCount", 3);
        record.put("truncated", false);
        record.put("label", "NEGATIVE");
        record.put("negative", 0.7f);
        record.put("neutral", 0.2f);
        record.put("positive", 0.1f);
        record.put("entities", List.of(entity));
        record.put("storedAt", storedAt);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(v1).write(record, encoder);
        return out.toByteArray();
    }
}
