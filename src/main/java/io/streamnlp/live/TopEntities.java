package io.streamnlp.live;

import io.streamnlp.model.EntityKind;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The most frequent entities per type over a sliding window, in bounded memory: time is cut into
 * slots of {@link #SLOT_MS}, each slot counts at most {@link #CAPACITY} distinct texts per type with
 * the Space-Saving algorithm (a new text beyond the capacity replaces the least counted one and
 * inherits its count plus one), and a query merges the slots inside its window. Counts are exact as
 * long as no slot saw more distinct texts of a type than the capacity; beyond that they may
 * overestimate rare texts, never miss a frequent one.
 *
 * <p>Memory: {@link #SLOTS} x 4 types x {@link #CAPACITY} entries at most. Per record: one map
 * update per entity under the slot's lock (O(1), and O(capacity) only when a full slot evicts).
 */
final class TopEntities {

    static final long SLOT_MS = 10_000;
    /** Five minutes of slots, plus the one being filled. */
    static final int SLOTS = 31;
    static final int CAPACITY = 64;
    static final int MAX_TEXT = 80;

    private final Slot[] slots = new Slot[SLOTS];

    TopEntities() {
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Slot();
        }
    }

    void add(EntityKind type, String text, long nowMs) {
        String key = normalize(text);
        if (key.isEmpty()) {
            return;
        }
        long number = nowMs / SLOT_MS;
        Slot slot = slots[(int) (number % SLOTS)];
        synchronized (slot) {
            if (slot.number != number) {
                slot.reset(number);
            }
            slot.counts.get(type).add(key);
        }
    }

    /** The top {@code k} texts per type seen in the last {@code windowMs} (whole slots, the current one included). */
    Map<EntityKind, List<EntityCount>> top(int k, long windowMs, long nowMs) {
        long newest = nowMs / SLOT_MS;
        long oldest = newest - Math.max(0, Math.min(SLOTS - 1, windowMs / SLOT_MS));
        Map<EntityKind, Map<String, Long>> merged = new EnumMap<>(EntityKind.class);
        for (EntityKind type : EntityKind.values()) {
            merged.put(type, new HashMap<>());
        }
        for (Slot slot : slots) {
            synchronized (slot) {
                if (slot.number < oldest || slot.number > newest) {
                    continue;
                }
                slot.counts.forEach((type, counts) -> counts.counts.forEach(
                        (text, count) -> merged.get(type).merge(text, count[0], Long::sum)));
            }
        }
        Map<EntityKind, List<EntityCount>> top = new EnumMap<>(EntityKind.class);
        merged.forEach((type, counts) -> top.put(type, counts.entrySet().stream()
                .map(e -> new EntityCount(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(EntityCount::count).reversed().thenComparing(EntityCount::text))
                .limit(k)
                .toList()));
        return top;
    }

    /** Whitespace collapsed, at most {@link #MAX_TEXT} characters: "Tim  Cook" and "Tim Cook" are one entity. */
    static String normalize(String text) {
        String flat = text.replaceAll("[\\s\\p{Z}]+", " ").strip();
        return flat.length() <= MAX_TEXT ? flat : flat.substring(0, MAX_TEXT);
    }

    private static final class Slot {
        long number = Long.MIN_VALUE;
        final Map<EntityKind, SpaceSaving> counts = new EnumMap<>(EntityKind.class);

        Slot() {
            for (EntityKind type : EntityKind.values()) {
                counts.put(type, new SpaceSaving());
            }
        }

        void reset(long newNumber) {
            number = newNumber;
            counts.values().forEach(c -> c.counts.clear());
        }
    }

    /** Space-Saving counts of at most {@link #CAPACITY} texts. */
    private static final class SpaceSaving {
        final Map<String, long[]> counts = new HashMap<>();

        void add(String text) {
            long[] count = counts.get(text);
            if (count != null) {
                count[0]++;
                return;
            }
            if (counts.size() < CAPACITY) {
                counts.put(text, new long[] {1});
                return;
            }
            String victim = null;
            long least = Long.MAX_VALUE;
            for (Iterator<Map.Entry<String, long[]>> it = counts.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, long[]> entry = it.next();
                if (entry.getValue()[0] < least) {
                    least = entry.getValue()[0];
                    victim = entry.getKey();
                }
            }
            counts.remove(victim);
            counts.put(text, new long[] {least + 1});
        }
    }
}
