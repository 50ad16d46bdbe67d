package io.streamnlp.batching;

import io.streamnlp.cache.NormalizedText;
import io.streamnlp.inference.TextWindows;
import io.streamnlp.language.LanguageVerdict;
import io.streamnlp.schema.internal.PendingText;
import org.apache.kafka.common.utils.Bytes;

/**
 * A text in a micro-batch.
 *
 * @param sequence its key in the pending-batch store
 * @param event the event it came in
 * @param tokens its tokenization: one window, or the windows of a long text
 * @param normal its normal form, or null when the cache is off or the text bypasses it
 * @param cacheKey its cache key, or null likewise
 * @param arrivedMs when it joined the batch (the context's wall clock)
 * @param language its language, found before the encoder
 */
record WaitingText(long sequence, PendingText event, TextWindows tokens, NormalizedText normal, Bytes cacheKey,
        long arrivedMs, LanguageVerdict language) {

    boolean cacheable() {
        return cacheKey != null;
    }
}
