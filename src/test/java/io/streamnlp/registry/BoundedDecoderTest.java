package io.streamnlp.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.schema.TextEvent;
import io.streamnlp.schema.internal.CachedResult;
import io.streamnlp.schema.internal.PendingText;
import io.streamnlp.testing.Allocations;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * A length or count inside a record is checked against the bytes left before anything is allocated
 * (the fuzz tests found a 90-byte Avro event that made the reader allocate 2 GiB and fail with
 * {@link OutOfMemoryError}, and internal records that allocated hundreds of megabytes).
 */
class BoundedDecoderTest {

    private static final long ONE_MIB = 1 << 20;

    @Test
    void aStringLongerThanTheRecordIsEndOfInputBeforeAllocating() throws Exception {
        byte[] record = concat(varint(1L << 30), "abc".getBytes(StandardCharsets.UTF_8));
        BoundedDecoder.of(new byte[] {2, 'a'}, 0, 2).readString((Utf8) null); // classes loaded before measuring
        long before = Allocations.ofThisThread();
        assertThatThrownBy(() -> BoundedDecoder.of(record, 0, record.length).readString((Utf8) null))
                .isInstanceOf(EOFException.class)
                .hasMessage("string of 1073741824 bytes with only 3 bytes left in the record");
        assertThat(Allocations.ofThisThread() - before).isLessThan(ONE_MIB);
    }

    @Test
    void bytesAndCollectionCountsToo() {
        byte[] bytes = concat(varint(Integer.MAX_VALUE), new byte[8]);
        assertThatThrownBy(() -> BoundedDecoder.of(bytes, 0, bytes.length).readBytes(null))
                .isInstanceOf(EOFException.class).hasMessageContaining("bytes of 2147483647 bytes with only 8");
        byte[] map = concat(varint(1L << 30), new byte[4]);
        assertThatThrownBy(() -> BoundedDecoder.of(map, 0, map.length).readMapStart())
                .isInstanceOf(EOFException.class).hasMessageContaining("map block of 1073741824 items");
        assertThatThrownBy(() -> BoundedDecoder.of(map, 0, map.length).readArrayStart())
                .isInstanceOf(EOFException.class).hasMessageContaining("array block of 1073741824 items");
        byte[] negative = varint(-1);
        assertThatThrownBy(() -> BoundedDecoder.of(negative, 0, 1).readString())
                .isInstanceOf(EOFException.class).hasMessage("negative string length -1");
    }

    @Test
    void whatFitsIsReadAsAvroReadsIt() throws Exception {
        byte[] record = concat(varint(3), "abc".getBytes(StandardCharsets.UTF_8), varint(1), new byte[] {7});
        BoundedDecoder decoder = BoundedDecoder.of(record, 0, record.length);
        assertThat(decoder.readString()).isEqualTo("abc");
        assertThat(decoder.readBytes(null).array()).containsExactly(7);
        assertThat(decoder.isEnd()).isTrue();
    }

    @Test
    void theWireFormatRejectsSuchARecordAsBadAvro() {
        ConfluentAvroDeserializer<TextEvent> deserializer =
                new ConfluentAvroDeserializer<>(TextEvent.class, new FixedSchemaLookup(), 10);
        // id "r-1", then a text "of" 2 GiB in a 14-byte record.
        byte[] record = FixedSchemaLookup.frame(FixedSchemaLookup.CURRENT,
                concat(varint(3), "r-1".getBytes(StandardCharsets.UTF_8), varint(Integer.MAX_VALUE - 8)));
        assertThatThrownBy(() -> deserializer.deserialize("reviews", record)); // the schema resolved before measuring
        long before = Allocations.ofThisThread();
        assertThatThrownBy(() -> deserializer.deserialize("reviews", record))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("truncated Avro body");
        assertThat(Allocations.ofThisThread() - before).isLessThan(ONE_MIB);
        assertThat(deserializer.deserialize("reviews", FixedSchemaLookup.frame(FixedSchemaLookup.CURRENT,
                concat(varint(1), new byte[] {'a'}, varint(1), new byte[] {'b'}, new byte[] {0, 0, 0, 0}))).getAttributes())
                .isEqualTo(Map.of());
    }

    @Test
    void theInternalSerdeRejectsSuchRecordsAsUnreadable() {
        InternalAvroSerde<PendingText> pending = new InternalAvroSerde<>(PendingText.class);
        InternalAvroSerde<CachedResult> cached = new InternalAvroSerde<>(CachedResult.class);
        // Legacy PendingText: key union index 1 (bytes) with a length past Avro's own array limit.
        byte[] hugeKey = concat(varint(1), varint(Long.MAX_VALUE / 2), new byte[16]);
        // CachedResult: an empty vector, counts and scores, then an entities block of 2^30 items.
        byte[] hugeArray = concat(varint(0), varint(1), new byte[] {0}, varint(1), new byte[] {'X'}, new byte[12],
                varint(1L << 30), new byte[8]);
        // First reads resolve the schemas and load classes; what is measured is a read after them.
        thrownBy(() -> pending.decode(hugeKey));
        thrownBy(() -> cached.decode(hugeArray));
        long before = Allocations.ofThisThread();
        RuntimeException pendingError = thrownBy(() -> pending.decode(hugeKey));
        RuntimeException cachedError = thrownBy(() -> cached.decode(hugeArray));
        long allocated = Allocations.ofThisThread() - before;
        assertThat(pendingError).isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot read a PendingText record of").hasMessageContaining("bytes left in the record");
        assertThat(cachedError).isInstanceOf(SerializationException.class)
                .hasMessageContaining("array block of 1073741824 items");
        assertThat(allocated).isLessThan(ONE_MIB);
    }

    private static RuntimeException thrownBy(Runnable action) {
        try {
            action.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static byte[] varint(long n) {
        long zigzag = (n << 1) ^ (n >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((zigzag & ~0x7FL) != 0) {
            out.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
