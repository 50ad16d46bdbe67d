package io.streamnlp.state;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB state store of one Kafka Streams instance together,
 * as the Kafka Streams memory-management guide describes: instead of RocksDB's defaults per store
 * (its own block cache, index and filter blocks outside any cache, up to three 16 MiB memtables),
 * which grow with the number of tasks the instance is given, all stores share
 * <ul>
 *   <li>one {@link LRUCache} of {@value #MEMORY_BYTES_CONFIG} bytes with a strict capacity limit, in
 *       which the index and filter blocks are cached too, in its high-priority pool
 *       ({@value #INDEX_FILTER_SHARE} of it), so they are the last to be evicted;
 *   <li>one {@link WriteBufferManager} charged to that cache: the memtables of all stores take at
 *       most {@value #MEMTABLE_SHARE} of it, and are flushed when they would take more.
 * </ul>
 * So an instance with 2 tasks or 20 uses the same bounded amount; the rest of a store (the result
 * cache's entries beyond what fits) stays on disk and is read through the cache. Not covered: the
 * small per-store native structures (table-reader handles, iterators, compaction buffers).
 *
 * <p>"Instance" is one {@code KafkaStreams} object: the pool is keyed by application id and state
 * directory (Kafka Streams never runs two instances on one state directory), so tests and tools that
 * run several applications in one JVM get a pool each. It is created by the first store that opens
 * and closed when the last one closes. Registered by {@link #streamsProperties(long)} (config's
 * {@code streamsProperties()}); a {@code kafka.rocksdb.config.setter} of the user's own replaces it.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** Read from the Streams configuration handed to every store. */
    public static final String MEMORY_BYTES_CONFIG = "state.memory.bytes";

    /**
     * 512 MiB: the shipped pod (deploy/base/statefulset.yaml, docker/compose.yaml) has a 4 GiB limit
     * for a 2 GiB heap (-Xmx2g) and about 1 GiB of other native memory (ONNX Runtime's model and
     * arena, the JVM's metaspace, code cache, thread stacks and GC); 512 MiB for RocksDB leaves about
     * 0.5 GiB of headroom under the limit.
     */
    public static final long DEFAULT_MEMORY_BYTES = 512L * 1024 * 1024;

    /** Below this RocksDB cannot hold one memtable per store of a few tasks. */
    public static final long MIN_MEMORY_BYTES = 16L * 1024 * 1024;

    static final double MEMTABLE_SHARE = 0.25;
    static final double INDEX_FILTER_SHARE = 0.1;

    private static final Map<String, Pool> POOLS = new HashMap<>();

    /** The Streams settings that register this setter with a pool of {@code memoryBytes}. */
    public static Map<String, Object> streamsProperties(long memoryBytes) {
        return Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class,
                MEMORY_BYTES_CONFIG, memoryBytes);
    }

    /** What the pool of one instance holds now, if one is open. */
    public record Usage(long capacityBytes, long usedBytes, long pinnedBytes, long memtableLimitBytes, int stores) {}

    /** The pool of the instance with this application id and state directory, while a store of it is open. */
    public static Optional<Usage> usage(String applicationId, String stateDir) {
        synchronized (POOLS) {
            Pool pool = POOLS.get(key(applicationId, stateDir));
            return pool == null ? Optional.empty() : Optional.of(pool.usage());
        }
    }

    private static final class Pool {
        final long capacity;
        final long memtableLimit;
        final Cache cache;
        final WriteBufferManager writeBuffers;
        int stores;

        Pool(long capacity) {
            this.capacity = capacity;
            this.memtableLimit = (long) (capacity * MEMTABLE_SHARE);
            this.cache = new LRUCache(capacity, -1, true, INDEX_FILTER_SHARE);
            this.writeBuffers = new WriteBufferManager(memtableLimit, cache);
        }

        Usage usage() {
            return new Usage(capacity, cache.getUsage(), cache.getPinnedUsage(), memtableLimit, stores);
        }

        void close() {
            // Safe with a store still closing: the native cache and manager are reference-counted
            // by RocksDB and live until the last database using them is closed.
            writeBuffers.close();
            cache.close();
        }
    }

    /** The pool this store joined; one setter instance per store. */
    private String poolKey;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        String key = key(String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG)),
                String.valueOf(configs.get(StreamsConfig.STATE_DIR_CONFIG)));
        Pool pool;
        synchronized (POOLS) {
            pool = POOLS.computeIfAbsent(key, k -> new Pool(memoryBytes(configs)));
            pool.stores++;
        }
        poolKey = key;
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(pool.cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(pool.writeBuffers);
    }

    @Override
    public void close(String storeName, Options options) {
        if (poolKey == null) {
            return;
        }
        synchronized (POOLS) {
            Pool pool = POOLS.get(poolKey);
            if (pool != null && --pool.stores == 0) {
                POOLS.remove(poolKey);
                pool.close();
            }
        }
        poolKey = null;
    }

    static long memoryBytes(Map<String, ?> configs) {
        Object configured = configs.get(MEMORY_BYTES_CONFIG);
        long bytes = configured == null ? DEFAULT_MEMORY_BYTES : Long.parseLong(configured.toString().trim());
        if (bytes < MIN_MEMORY_BYTES) {
            throw new IllegalArgumentException(MEMORY_BYTES_CONFIG + " must be at least " + MIN_MEMORY_BYTES + ": " + bytes);
        }
        return bytes;
    }

    private static String key(String applicationId, String stateDir) {
        return applicationId + "|" + Path.of(stateDir).toAbsolutePath().normalize();
    }
}
