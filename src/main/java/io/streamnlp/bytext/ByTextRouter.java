package io.streamnlp.bytext;

import io.streamnlp.cache.NormalizedText;
import io.streamnlp.cache.CacheKeys;
import io.streamnlp.schema.internal.PendingText;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Keys each accepted event by its cache key on the way to the by-text topic, so that every copy of
 * a text lands on one partition, hence in one task's cache, whatever partition it came in on. The
 * event keeps its own key inside ({@link PendingText#getKey()}); outputs are keyed by that again.
 * A text with no exact normal form keeps its input key (it bypasses the cache anyway).
 */
public final class ByTextRouter implements Processor<byte[], PendingText, byte[], PendingText> {

    private final CacheKeys keys;
    private ProcessorContext<byte[], PendingText> context;

    public ByTextRouter(CacheKeys keys) {
        this.keys = keys;
    }

    @Override
    public void init(ProcessorContext<byte[], PendingText> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], PendingText> record) {
        NormalizedText normal = NormalizedText.of(record.value().getText());
        byte[] key = normal == null ? record.key() : keys.keyOf(normal).get();
        // Without the input's headers: the event carries them inside (PendingText.originalHeaders) for its
        // dead letter, and a second copy would only make the by-text record larger than its budget allows.
        context.forward(new Record<>(key, record.value(), record.timestamp()));
    }
}
