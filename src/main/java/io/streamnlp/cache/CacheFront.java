package io.streamnlp.cache;

import io.streamnlp.model.HeadPlan;
import io.streamnlp.model.TextAnalysis;
import io.streamnlp.schema.internal.CachedLanguage;
import io.streamnlp.schema.internal.CachedResult;
import java.util.function.IntUnaryOperator;
import org.apache.kafka.common.utils.Bytes;

/**
 * The result cache as the micro-batch stage sees it: look a text up by its normal form, serve a hit
 * with offsets mapped onto the text's own spelling, admit a fresh result. One per task (it wraps the
 * task's store).
 */
public final class CacheFront {

    private final ResultCache cache;
    private final CacheKeys keys;
    private final HeadPlan plan;
    private final IntUnaryOperator windowsOfTokenCount;

    /**
     * @param plan the heads that run: what the entries hold and what is served
     * @param windowsOfTokenCount the windows a text of that many encoded tokens takes
     */
    public CacheFront(ResultCache cache, CacheKeys keys, HeadPlan plan, IntUnaryOperator windowsOfTokenCount) {
        this.cache = cache;
        this.keys = keys;
        this.plan = plan;
        this.windowsOfTokenCount = windowsOfTokenCount;
    }

    public Bytes keyOf(NormalizedText normal) {
        return keys.keyOf(normal);
    }

    /**
     * What the cache holds for a text as it arrives: the result served in the text's own spelling and the language
     * found for it when it was computed (null where none was kept).
     */
    public record Found(TextAnalysis analysis, CachedLanguage language) {}

    /**
     * The cache's result for a text as it arrives, or null; counted by {@link #count} once the caller knows the
     * text goes on (a text dead-lettered for its language is no look-up, as it never was).
     */
    public Found find(Bytes key, String text, NormalizedText normal, long now) {
        CachedResult entry = cache.find(key, now);
        TextAnalysis served = entry == null ? null
                : CachedResults.serve(entry, text, normal, plan, windowsOfTokenCount);
        return served == null ? null : new Found(served, entry.getLanguage());
    }

    /** Counts the look-up of an arriving text (for admission): a hit if {@code found} is served, else a miss. */
    public void count(Bytes key, Found found) {
        cache.countLookUp(key, found != null);
        if (found != null) {
            cache.countHit();
        }
    }

    /** A hit when a batch closes, for a text already looked up on arrival (not counted again), or null. */
    public TextAnalysis recheck(Bytes key, String text, NormalizedText normal, long now) {
        return serve(cache.peek(key, now), text, normal);
    }

    /** A result computed in this batch, served to a same-batch twin; null if it could not be cached. */
    public TextAnalysis serveTwin(CachedResult entry, String text, NormalizedText normal) {
        return serve(entry, text, normal);
    }

    /**
     * Offers a fresh result to the cache, with the language found for its text (null: identification off);
     * returns its entry (for twins in the same batch), or null
     * when the result cannot be stored (an entity span without an exact normal-form mapping).
     */
    public CachedResult admit(Bytes key, TextAnalysis fresh, NormalizedText normal, CachedLanguage language, long now) {
        CachedResult entry = CachedResults.toEntry(fresh, normal, now);
        if (entry != null) {
            entry.setLanguage(language);
            cache.offer(key, entry);
        }
        return entry;
    }

    public void expire(long now) {
        cache.expire(now);
    }

    private TextAnalysis serve(CachedResult entry, String text, NormalizedText normal) {
        TextAnalysis served = entry == null ? null : CachedResults.serve(entry, text, normal, plan, windowsOfTokenCount);
        if (served != null) {
            cache.countHit();
        }
        return served;
    }
}
