package io.streamnlp.registry;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe map that never holds more than {@code capacity} entries.
 *
 * <p>Reads are lock-free because they sit on the per-record hot path. Eviction is arbitrary rather
 * than LRU: the working set (a few schemas per topic) is far below the capacity, the bound only
 * guards against a flood of distinct ids, and an evicted entry costs one registry call.
 */
final class BoundedCache<K, V> {

    private final ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();
    private final int capacity;

    BoundedCache(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** The value, or null when absent. */
    V get(K key) {
        return entries.get(key);
    }

    void put(K key, V value) {
        // Concurrent puts may overshoot by a few entries; the next put trims them.
        while (entries.size() >= capacity && !entries.containsKey(key)) {
            Iterator<K> any = entries.keySet().iterator();
            if (!any.hasNext()) {
                break;
            }
            entries.remove(any.next());
        }
        entries.put(key, value);
    }
}
