package io.streamnlp.topology;

import io.streamnlp.deadletter.RejectedInputException;
import io.streamnlp.ingest.TextEventParser;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.schema.internal.PendingText;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The event's own fields that the enriched record passes through: source, language, attributes
 * (JSON extras among them).
 *
 * <p>The internal {@code PendingText} does not carry them (yet): they are read again from the input
 * record's original value bytes, which it does carry for the dead letters, with the parser of the
 * event's source topic (the Avro one answers from the registry client's cache). A plain-text event has
 * none; an event restored from state written before the original bytes were carried has none either.
 * Once {@code PendingText} holds {@code source}, {@code language} and {@code attributes}, {@link #of}
 * reads them from it and the second parse goes.
 */
final class EventFields {

    /** What the enriched record passes through. */
    record Fields(String source, String language, Map<String, String> attributes) {
        static final Fields NONE = new Fields(null, null, Map.of());
    }

    private final Map<String, TextEventParser> parserByTopic;

    /** @param parserByTopic the ingest parser of each input topic */
    EventFields(Map<String, TextEventParser> parserByTopic) {
        this.parserByTopic = Map.copyOf(parserByTopic);
    }

    Fields of(PendingText event) {
        TextEventParser parser = parserByTopic.get(event.getSourceTopic());
        ByteBuffer original = event.getOriginalValue();
        if (parser == null || original == null) {
            return Fields.NONE;
        }
        byte[] value = new byte[original.remaining()];
        original.duplicate().get(value);
        byte[] key = event.getKey() == null ? null : bytes(event.getKey());
        TextEvent parsed;
        try {
            parsed = parser.parse(event.getSourceTopic(), key, value);
        } catch (RejectedInputException e) {
            // It was accepted at ingest from these very bytes: a parser that changes its mind is a bug.
            throw new IllegalStateException("The event " + event.getId() + " from " + event.getSourceTopic()
                    + " no longer parses: " + e.getMessage(), e);
        }
        return new Fields(parsed.getSource(), parsed.getLanguage(),
                parsed.getAttributes() == null ? Map.of() : parsed.getAttributes());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
