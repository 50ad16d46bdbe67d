package io.streamnlp.cache;

import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.registry.InternalAvroSerde;
import io.streamnlp.schema.internal.CachedResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One task's result cache: a persistent, changelogged key-value store (RocksDB) of
 * {@link CachedResult}s, bounded by entries and bytes, with TinyLFU admission.
 *
 * <p>Policy, and why. Review and event streams are dominated by a few very frequent texts ("Great
 * product!") buried in a long tail of texts seen once. Plain LRU lets every one-off text push out a
 * frequent one. So, as in TinyLFU (Einziger et al.; Caffeine's policy), a {@link FrequencySketch}
 * counts recent look-ups of every key, admitted or not; while the cache has room every result is
 * admitted, and once it is full a new result is admitted only if its text has been looked up more
 * often than a victim, the least frequent of {@value #SAMPLE} entries drawn at random (sampled
 * LFU eviction, as Redis does, since RocksDB keeps no frequency order). The sketch halves its
 * counters periodically, which is the "decay": popularity must be recent.
 *
 * <p>The sketch and the in-memory index (key, size, admission time) are rebuilt from the store when
 * the task starts, so a restarted or migrated task has a warm cache at once; the frequencies start
 * over. The rebuild decodes no entry: the store holds the encoded bytes (the size of an entry is
 * what it takes there), and only {@code storedAt} is read out of them, through a projection that
 * Avro resolves by skipping every other field. It keeps entries until the bounds are reached and
 * deletes the rest without reading them, so a store that holds more than the bounds (they were
 * lowered, or a changelog brought more) is trimmed to them at once. Entries older than the TTL are
 * dropped there too, and are neither served nor kept afterwards ({@link #expire}).
 *
 * <p>All writes go through the store, so under exactly-once they commit with the outputs they
 * served: after a crash the cache and the output topics agree.
 */
public final class ResultCache {

    static final int SAMPLE = 8;

    /**
     * An entry is also a record of the store's changelog, which must fit the producer's
     * {@code max.request.size} (Kafka's default 1 MiB) or the transaction that writes it fails. Results
     * this large (texts near {@code max.text.bytes} with thousands of entities) are rare and rarely
     * repeat: they are served fresh, never cached.
     */
    static final int MAX_ENTRY_BYTES = 512 * 1024;

    /** Entries are stored encoded, so that the index rebuild can size and date them without decoding. */
    static final InternalAvroSerde<CachedResult> CODEC = new InternalAvroSerde<>(CachedResult.class);
    /** The one field the index needs; Avro skips the vector, the scores and the entities. */
    private static final Schema STORED_AT_ONLY = SchemaBuilder.record(CachedResult.SCHEMA$.getName())
            .namespace(CachedResult.SCHEMA$.getNamespace())
            .fields().requiredLong("storedAt").endRecord();
    private static final Function<byte[], GenericRecord> STORED_AT = CODEC.projection(STORED_AT_ONLY);

    private final KeyValueStore<Bytes, byte[]> store;
    private final CacheSettings settings;
    private final TaskMetrics metrics;

    private static final String HITS = "Texts served without their own encoder pass";
    private static final String MISSES = "Texts looked up in the cache and not found";
    private final FrequencySketch sketch;
    private final SplittableRandom random = new SplittableRandom(42);
    /** Every stored key, for random sampling, and its slot. */
    private final List<Bytes> keys = new ArrayList<>();
    private final Map<Bytes, Slot> slots = new HashMap<>();
    private long bytes;

    private static final class Slot {
        int position;
        final int size;
        final long storedAt;

        Slot(int position, int size, long storedAt) {
            this.position = position;
            this.size = size;
            this.storedAt = storedAt;
        }
    }

    /**
     * @param store the task's store of encoded entries ({@link InternalAvroSerde} bytes of
     *     {@link CachedResult}, any version)
     */
    public ResultCache(KeyValueStore<Bytes, byte[]> store, CacheSettings settings, TaskMetrics metrics, long now) {
        this.store = store;
        this.settings = settings;
        this.metrics = metrics;
        this.sketch = new FrequencySketch(settings.maxEntries());
        // Both look-up counters exist from the start, at zero: a hit rate computed by Prometheus
        // (the Grafana dashboard's hits / (hits + misses)) would otherwise have no series until the
        // first repeat, and rate() would miss the first hit.
        metrics.add("cache-hits", HITS, 0);
        metrics.add("cache-misses", MISSES, 0);
        rebuildIndex(now);
    }

    private void rebuildIndex(long now) {
        List<Bytes> expired = new ArrayList<>();
        List<Bytes> beyondBounds = new ArrayList<>();
        boolean full = false;
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                if (full) {
                    beyondBounds.add(entry.key); // not even read
                    continue;
                }
                long storedAt = (Long) STORED_AT.apply(entry.value).get(0);
                int size = sizeOf(entry.value);
                if (expired(storedAt, now)) {
                    expired.add(entry.key);
                } else if (slots.size() + 1 > settings.maxEntries() || bytes + size > settings.maxBytes()) {
                    full = true;
                    beyondBounds.add(entry.key);
                } else {
                    index(entry.key, size, storedAt);
                }
            }
        }
        expired.forEach(store::delete);
        beyondBounds.forEach(store::delete);
        metrics.add("cache-expirations", "Cache entries dropped for age", expired.size());
        metrics.add("cache-evictions", "Cache entries evicted to admit a more frequent text", beyondBounds.size());
        publishLevels();
    }

    /** The cached result for {@code key}, or null; counts the look-up either way. */
    public CachedResult get(Bytes key, long now) {
        CachedResult result = find(key, now);
        countLookUp(key, result != null);
        return result;
    }

    /**
     * The cached result for {@code key}, or null, not yet counted as a look-up (the caller counts it with
     * {@link #countLookUp} once it knows the text is served). An expired entry is dropped here.
     */
    public CachedResult find(Bytes key, long now) {
        Slot slot = slots.get(key);
        if (slot != null && expired(slot.storedAt, now)) {
            remove(key);
            metrics.increment("cache-expirations", "Cache entries dropped for age");
            publishLevels();
            slot = null;
        }
        return slot == null ? null : read(key);
    }

    /** Counts a look-up (its frequency, for admission); a miss also in the misses counter. */
    public void countLookUp(Bytes key, boolean found) {
        sketch.increment(key);
        if (!found) {
            metrics.increment("cache-misses", MISSES);
        }
    }

    /** The cached result for {@code key}, or null, without counting a look-up (a re-check). */
    public CachedResult peek(Bytes key, long now) {
        Slot slot = slots.get(key);
        return slot == null || expired(slot.storedAt, now) ? null : read(key);
    }

    /** Counts a text served without its own encoder pass (from the store or a same-batch twin). */
    public void countHit() {
        metrics.increment("cache-hits", HITS);
    }

    /** Offers a fresh result; admitted while there is room, else only if more frequent than a victim. */
    public void offer(Bytes key, CachedResult result) {
        if (slots.containsKey(key)) {
            return; // a same-batch twin was admitted already
        }
        byte[] encoded = CODEC.encode(result);
        int size = sizeOf(encoded);
        if (size > settings.maxBytes() || size > MAX_ENTRY_BYTES) {
            metrics.increment("cache-rejections", "Results not admitted to the cache");
            return;
        }
        while (slots.size() + 1 > settings.maxEntries() || bytes + size > settings.maxBytes()) {
            Bytes victim = leastFrequentOfSample();
            if (sketch.frequency(key) <= sketch.frequency(victim)) {
                metrics.increment("cache-rejections", "Results not admitted to the cache");
                return;
            }
            remove(victim);
            metrics.increment("cache-evictions", "Cache entries evicted to admit a more frequent text");
        }
        store.put(key, encoded);
        index(key, size, result.getStoredAt());
        metrics.increment("cache-admissions", "Results admitted to the cache");
        publishLevels();
    }

    /** Drops every entry older than the TTL. */
    public void expire(long now) {
        List<Bytes> old = new ArrayList<>();
        slots.forEach((key, slot) -> {
            if (expired(slot.storedAt, now)) {
                old.add(key);
            }
        });
        old.forEach(this::remove);
        if (!old.isEmpty()) {
            metrics.add("cache-expirations", "Cache entries dropped for age", old.size());
            publishLevels();
        }
    }

    public long entries() {
        return slots.size();
    }

    public long bytes() {
        return bytes;
    }

    private Bytes leastFrequentOfSample() {
        Bytes victim = null;
        int lowest = Integer.MAX_VALUE;
        for (int i = 0; i < SAMPLE; i++) {
            Bytes candidate = keys.get(random.nextInt(keys.size()));
            int frequency = sketch.frequency(candidate);
            if (frequency < lowest) {
                lowest = frequency;
                victim = candidate;
            }
        }
        return victim;
    }

    private boolean expired(long storedAt, long now) {
        return now - storedAt >= settings.ttlMs();
    }

    private void index(Bytes key, int size, long storedAt) {
        slots.put(key, new Slot(keys.size(), size, storedAt));
        keys.add(key);
        bytes += size;
    }

    private void remove(Bytes key) {
        Slot slot = slots.remove(key);
        if (slot == null) {
            return;
        }
        // Swap-remove keeps sampling O(1).
        Bytes last = keys.removeLast();
        if (slot.position < keys.size()) {
            keys.set(slot.position, last);
            slots.get(last).position = slot.position;
        }
        bytes -= slot.size;
        store.delete(key);
    }

    private void publishLevels() {
        metrics.set("cache-entries", "Entries in this task's result cache", slots.size());
        metrics.set("cache-bytes", "Bytes of entries (key and value) in this task's result cache", bytes);
    }

    private CachedResult read(Bytes key) {
        byte[] encoded = store.get(key);
        return encoded == null ? null : CODEC.decode(encoded);
    }

    /** Bytes an entry takes in the store: its key and its encoded value. */
    static int sizeOf(CachedResult result) {
        return sizeOf(CODEC.encode(result));
    }

    private static int sizeOf(byte[] encoded) {
        return CacheKeys.KEY_BYTES + encoded.length;
    }
}
