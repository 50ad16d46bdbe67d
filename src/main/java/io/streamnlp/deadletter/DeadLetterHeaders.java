package io.streamnlp.deadletter;

import io.streamnlp.budget.RecordBudget;
import io.streamnlp.ops.AppVersion;

import java.nio.charset.StandardCharsets;
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

    /**
     * The value a dead letter with this key and these headers can carry within {@code budget}: the
     * original value, or, when that would not fit, its first bytes, with {@link #VALUE_TRUNCATED} (the
     * original size) added to {@code headers}. A dead letter must never fail for its own size: that
     * would abort the transaction of every record beside it.
     */
    public static byte[] fitValue(RecordBudget budget, byte[] key, byte[] value, Headers headers) {
        if (value == null || budget.fits(key, value, headers)) {
            return value;
        }
        put(headers, VALUE_TRUNCATED, Integer.toString(value.length));
        int room = Math.max(0, budget.valueRoom(key, headers));
        return java.util.Arrays.copyOf(value, Math.min(room, value.length));
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
