package io.streamnlp.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real RocksDB stores opened the way Kafka Streams opens them, with the setter in their configuration. */
class BoundedRocksDbMemoryTest {

    private static final long POOL = 16L * 1024 * 1024;

    @TempDir
    Path stateDir;

    private final List<KeyValueStore<Bytes, byte[]>> open = new ArrayList<>();

    @AfterEach
    void closeStores() {
        open.forEach(KeyValueStore::close);
    }

    private KeyValueStore<Bytes, byte[]> store(String applicationId, Path dir, String name, int partition) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        props.putAll(BoundedRocksDbMemory.streamsProperties(POOL));
        var context = new MockProcessorContext<>(props, new TaskId(0, partition), dir.resolve("task-" + partition).toFile());
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        open.add(store);
        return store;
    }

    private BoundedRocksDbMemory.Usage usage() {
        return BoundedRocksDbMemory.usage("mem-test", stateDir.toString()).orElseThrow();
    }

    @Test
    void everyStoreOfAnInstanceSharesOnePoolThatStaysWithinItsBoundAndServesEveryRead() {
        List<KeyValueStore<Bytes, byte[]>> stores = new ArrayList<>();
        for (int task = 0; task < 4; task++) {
            stores.add(store("mem-test", stateDir, "result-cache", task));
        }
        BoundedRocksDbMemory.Usage pool = usage();
        assertThat(pool.stores()).isEqualTo(4);
        assertThat(pool.capacityBytes()).isEqualTo(POOL);
        assertThat(pool.memtableLimitBytes()).isEqualTo(POOL / 4);

        // 4 x 8 MiB of incompressible values: twice the pool.
        SplittableRandom random = new SplittableRandom(1);
        int perStore = 1000;
        for (KeyValueStore<Bytes, byte[]> store : stores) {
            for (int i = 0; i < perStore; i++) {
                byte[] value = new byte[8192];
                random.nextBytes(value);
                store.put(Bytes.wrap(("k" + i).getBytes()), value);
                if (i % 100 == 0) {
                    assertThat(usage().usedBytes()).as("memtables are charged to the pool and flushed within it")
                            .isPositive().isLessThanOrEqualTo(POOL);
                }
            }
            store.flush();
        }
        // Every entry reads back, through the strict cache, point look-ups and a full scan.
        for (KeyValueStore<Bytes, byte[]> store : stores) {
            for (int i = 0; i < perStore; i++) {
                assertThat(store.get(Bytes.wrap(("k" + i).getBytes()))).hasSize(8192);
            }
            int scanned = 0;
            try (var all = store.all()) {
                while (all.hasNext()) {
                    assertThat(all.next().value).hasSize(8192);
                    scanned++;
                }
            }
            assertThat(scanned).isEqualTo(perStore);
            assertThat(usage().usedBytes()).isLessThanOrEqualTo(POOL);
        }

        // The pool goes when its last store closes.
        stores.forEach(KeyValueStore::close);
        open.clear();
        assertThat(BoundedRocksDbMemory.usage("mem-test", stateDir.toString())).isEmpty();
    }

    @Test
    void instancesOnOtherStateDirectoriesOrApplicationsGetPoolsOfTheirOwn(@TempDir Path otherDir) {
        store("mem-test", stateDir, "a", 0);
        store("mem-test", stateDir, "b", 1);
        store("mem-test", otherDir, "a", 0);
        store("other-app", stateDir, "a", 2);
        assertThat(usage().stores()).isEqualTo(2);
        assertThat(BoundedRocksDbMemory.usage("mem-test", otherDir.toString()).orElseThrow().stores()).isEqualTo(1);
        assertThat(BoundedRocksDbMemory.usage("other-app", stateDir.toString()).orElseThrow().stores()).isEqualTo(1);
    }

    @Test
    void theSizeComesFromTheConfigurationWithADefaultAndAFloor() {
        assertThat(BoundedRocksDbMemory.memoryBytes(Map.of())).isEqualTo(BoundedRocksDbMemory.DEFAULT_MEMORY_BYTES);
        assertThat(BoundedRocksDbMemory.memoryBytes(Map.of(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG, "33554432"))).isEqualTo(32L << 20);
        assertThat(BoundedRocksDbMemory.memoryBytes(Map.of(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG, 64L << 20))).isEqualTo(64L << 20);
        assertThatThrownBy(() -> BoundedRocksDbMemory.memoryBytes(Map.of(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG, 1024)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state.memory.bytes");
    }
}
