package io.streamnlp.deadletter;

import io.streamnlp.budget.RecordBudget;
import io.streamnlp.ops.AppVersion;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Headers of a dead-letter record. The value and key stay the original bytes, untouched, so a fixed
 * consumer can re-publish them; the headers say why and where from (see schemas/DeadLetter.avsc).
 */
public final class DeadLetterHeaders {

    public static final String REASON = "streamnlp.error.reason";
    public static final String STAGE = "streamnlp.error.stage";
    public static final String ERROR_CLASS = "streamnlp.error.class";
    public static final String ERROR_MESSAGE = "streamnlp.error.message";
    public static final String SOURCE_TOPIC = "streamnlp.source.topic";
    public static final String SOURCE_PARTITION = "streamnlp.source.partition";
    public static final String SOURCE_OFFSET = "streamnlp.source.offset";
    public static final String SOURCE_TIMESTAMP = "streamnlp.source.timestamp";
    public static final String APP_VERSION = "streamnlp.app.version";
    /**
     * Present only when the dead letter could not carry the whole original value within the producer's
     * {@code max.request.size}: the original value's size in bytes; the value is then its first bytes.
     */
    public static final String VALUE_TRUNCATED = "streamnlp.error.value.truncated";
    /**
     * Present only when the input's own headers alone were too many for the dead letter to fit (possible
     * with a compressed input): how many there were; they are left out, ours kept.
     */
    public static final String HEADERS_DROPPED = "streamnlp.error.headers.dropped";
    /**
     * Present only when the key alone was too large for the dead letter to fit (possible with a compressed
     * input): the original key's size in bytes; the key is then its first bytes.
     */
    public static final String KEY_TRUNCATED = "streamnlp.error.key.truncated";

    /** Our headers: every other one of a dead letter is the input's own. */
    private static final java.util.Set<String> OURS = java.util.Set.of(REASON, STAGE, ERROR_CLASS, ERROR_MESSAGE,
            SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, SOURCE_TIMESTAMP, APP_VERSION, VALUE_TRUNCATED,
            HEADERS_DROPPED, KEY_TRUNCATED);

    /**
     * Error messages can quote what they failed on (a 1 MB text, say): the header keeps this many
     * characters, then says how many there were.
     */
    public static final int MAX_MESSAGE_CHARS = 1_000;

    private DeadLetterHeaders() {}

    /** Input headers are kept; ours are added after them. */
    public static Headers describe(Headers original, RejectedInputException error, String stage,
            String topic, int partition, long offset, long timestamp) {
        Headers headers = new RecordHeaders(original.toArray());
        put(headers, REASON, error.reason());
        put(headers, STAGE, stage);
        put(headers, ERROR_CLASS, error.errorClass());
        put(headers, ERROR_MESSAGE, capped(String.valueOf(error.getMessage())));
        put(headers, SOURCE_TOPIC, topic);
        put(headers, SOURCE_PARTITION, Integer.toString(partition));
        put(headers, SOURCE_OFFSET, Long.toString(offset));
        put(headers, SOURCE_TIMESTAMP, Long.toString(timestamp));
        put(headers, APP_VERSION, AppVersion.get());
        return headers;
    }

    static String capped(String message) {
        if (message.length() <= MAX_MESSAGE_CHARS) {
            return message;
        }
        int cut = MAX_MESSAGE_CHARS;
        if (Character.isHighSurrogate(message.charAt(cut - 1))) {
            cut--; // never split a surrogate pair
        }
        return message.substring(0, cut) + "... (" + message.length() + " characters)";
    }

    /** A dead letter's key and value, as they fit the budget. */
    public record Fitted(byte[] key, byte[] value) {}

    /**
     * The key and value a dead letter with these headers can carry within {@code budget}: the originals,
     * or, when they would not fit, as much of them as does, said in {@code headers}. First the value is
     * cut ({@link #VALUE_TRUNCATED}); if even no value leaves no room, the input's own headers are left out
     * ({@link #HEADERS_DROPPED}), then a key too large on its own is cut to what the value leaves
     * ({@link #KEY_TRUNCATED}). A dead letter must never
     * fail for its own size: that would abort the transaction of every record beside it, and again at
     * every retry.
     */
    static final int TRUNCATION_HEADERS_BYTES = 128;

    public static Fitted fit(RecordBudget budget, byte[] key, byte[] value, Headers headers) {
        if (budget.fits(key, value, headers)) {
            return new Fitted(key, value);
        }
        if (value != null) {
            put(headers, VALUE_TRUNCATED, Integer.toString(value.length));
        }
        // Room for the truncation headers this method may still add (names and sizes: well under 128 bytes).
        if (budget.valueRoom(null, headers) < TRUNCATION_HEADERS_BYTES) {
            int dropped = 0;
            java.util.Set<String> theirs = new java.util.HashSet<>();
            for (Header header : headers) {
                if (!OURS.contains(header.key())) {
                    theirs.add(header.key());
                    dropped++;
                }
            }
            theirs.forEach(headers::remove); // one pass per distinct key, not per header
            put(headers, HEADERS_DROPPED, Integer.toString(dropped));
        }
        if (key != null && !budget.fits(key, null, headers)) {
            // The value, the record's content, keeps what room it can; the key has the rest.
            put(headers, KEY_TRUNCATED, Integer.toString(key.length));
            headers.remove(VALUE_TRUNCATED);
            int room = budget.valueRoom(null, headers) - (value == null ? 0 : value.length);
            if (room < 0 && value != null) {
                put(headers, VALUE_TRUNCATED, Integer.toString(value.length));
            }
            key = java.util.Arrays.copyOf(key, Math.max(0, room));
        }
        if (value != null) {
            int room = Math.max(0, budget.valueRoom(key, headers));
            if (room >= value.length) {
                headers.remove(VALUE_TRUNCATED); // whole after all, once the input's headers were left out
            } else {
                value = java.util.Arrays.copyOf(value, room);
            }
        }
        return new Fitted(key, value);
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        if (value == null) {
            return; // e.g. no source topic: leave the header out rather than fail the dead letter
        }
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The value of one of our headers, or null. */
    public static String read(Headers headers, String key) {
        var header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
