package io.streamnlp.budget;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The largest record the pipeline may write, and the size of a record as the producer counts it.
 *
 * <p>Kafka's producer refuses a record whose upper-bound size in a record batch of its own passes
 * {@code max.request.size} ({@code RecordTooLargeException}); under exactly-once that error aborts the
 * whole transaction, so one oversized output would stop every partition of its task. Every stage that
 * writes therefore measures first: {@link #sizeOf} is the record-format-v2 upper bound (the same sum
 * as Kafka's {@code AbstractRecords.estimateSizeInBytesUpperBound} without compression: batch header,
 * varint lengths at their widest, key, value, headers), so a record that {@link #fits} is one the
 * producer accepts. {@code RecordBudgetTest} holds the two sums together.
 */
public final class RecordBudget {

    /** Kafka's default {@code max.request.size}. */
    public static final int KAFKA_DEFAULT_MAX_REQUEST_SIZE = 1_048_576;

    /** A v2 record batch's header (base offset, length, epoch, magic, CRC, attributes, ... record count). */
    static final int BATCH_OVERHEAD = 61;
    /** Widest varint of an int: length, offset delta, key and value lengths, header count. */
    private static final int MAX_VARINT = 5;
    /** Widest varlong: the timestamp delta. */
    private static final int MAX_VARLONG = 10;
    /** One attributes byte per record. */
    private static final int ATTRIBUTES = 1;
    /** Fixed part of one record at its widest: length, attributes, timestamp and offset deltas, key, value and header-count lengths. */
    static final int RECORD_OVERHEAD = MAX_VARINT + ATTRIBUTES + MAX_VARLONG + MAX_VARINT + MAX_VARINT + MAX_VARINT + MAX_VARINT;

    private final int limit;

    private RecordBudget(int limit) {
        this.limit = limit;
    }

    /** @param maxRequestSize the producer's {@code max.request.size} */
    public static RecordBudget of(int maxRequestSize) {
        if (maxRequestSize <= BATCH_OVERHEAD + RECORD_OVERHEAD) {
            throw new IllegalArgumentException("max.request.size=" + maxRequestSize + " leaves no room for a record");
        }
        return new RecordBudget(maxRequestSize);
    }

    /**
     * The budget of the producers a Kafka Streams configuration makes: {@code producer.max.request.size},
     * else {@code max.request.size}, else Kafka's default.
     */
    public static RecordBudget ofStreamsConfig(java.util.Map<?, ?> streamsConfig) {
        Object value = streamsConfig.get("producer.max.request.size");
        if (value == null) {
            value = streamsConfig.get("max.request.size");
        }
        return of(value == null ? KAFKA_DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(value.toString().trim()));
    }

    /** The producer's limit this budget holds records to. */
    public int limit() {
        return limit;
    }

    /** Upper bound of the bytes the producer counts for this record (null key or value: none). */
    public static int sizeOf(byte[] key, byte[] value, Headers headers) {
        long size = (long) BATCH_OVERHEAD + RECORD_OVERHEAD + length(key) + length(value) + headersSize(headers);
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    public boolean fits(byte[] key, byte[] value, Headers headers) {
        return sizeOf(key, value, headers) <= limit;
    }

    /** The most value bytes a record with this key and these headers may carry; negative when even none fit. */
    public int valueRoom(byte[] key, Headers headers) {
        return limit - sizeOf(key, null, headers);
    }

    /**
     * Bytes the headers add to a record, exactly as Kafka counts them: per header the key's length (a
     * varint), the key in UTF-8, the value's length (a varint; -1 for none) and the value. Exact, not
     * widest, since a record may carry hundreds of thousands of headers.
     */
    public static long headersSize(Headers headers) {
        if (headers == null) {
            return 0;
        }
        long size = 0;
        for (Header header : headers) {
            int key = header.key().getBytes(StandardCharsets.UTF_8).length;
            size += varintSize(key) + key + (header.value() == null ? varintSize(-1) : varintSize(header.value().length)
                    + header.value().length);
        }
        return size;
    }

    /** Bytes of Kafka's (zig-zag) varint of {@code value}. */
    static int varintSize(int value) {
        int zigzag = (value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((zigzag & 0xFFFFFF80) != 0) {
            bytes++;
            zigzag >>>= 7;
        }
        return bytes;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    @Override
    public String toString() {
        return "RecordBudget[max.request.size=" + limit + "]";
    }
}
