package io.streamnlp.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamnlp.schema.internal.CachedResult;
import io.streamnlp.schema.internal.PendingText;
import io.streamnlp.testing.Allocations;
import java.util.function.Function;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Coverage-guided fuzzing of the internal-state serde (by-text records, the pending-batch and
 * result-cache stores and their changelogs): whatever bytes it is given (framed with any
 * fingerprint, or legacy unframed), {@link InternalAvroSerde#decode} returns a record or throws
 * {@link SerializationException} ({@link UnknownInternalSchemaException} for an unknown writer
 * fingerprint), never anything else, allocating in proportion to the bytes whatever a length or count
 * inside claims; a record it returns is written and read back unchanged, bit for bit. The result cache's
 * {@code storedAt} projection (read at every task start) is held to the same.
 *
 * <p>Without {@code JAZZER_FUZZ} each method replays its corpus, {@code
 * src/test/resources/io/streamnlp/registry/InternalAvroSerdeFuzzTestInputs/<method>/}.
 */
class InternalAvroSerdeFuzzTest {

    private static final InternalAvroSerde<PendingText> PENDING = new InternalAvroSerde<>(PendingText.class);
    private static final InternalAvroSerde<CachedResult> CACHED = new InternalAvroSerde<>(CachedResult.class);
    private static final Function<byte[], GenericRecord> STORED_AT = CACHED.projection(
            SchemaBuilder.record(CachedResult.SCHEMA$.getName()).namespace(CachedResult.SCHEMA$.getNamespace())
                    .fields().requiredLong("storedAt").endRecord());
    /** A decoded record's objects take some tens of bytes per byte of Avro (boxed floats of a vector). */
    private static final int PER_BYTE = 64;
    private static final long SLACK = 1 << 20;

    static {
        // Class loading and the decoders' first use allocate once; not the inputs' doing.
        PENDING.decode(PENDING.encode(PendingText.newBuilder().setId("i").setText("t").setEventTime(1).setTimestamp(1)
                .setSourceTopic("s").setSourcePartition(0).setSourceOffset(0).build()));
        byte[] cached = CACHED.encode(CachedResult.newBuilder().setVector(java.nio.ByteBuffer.allocate(4))
                .setTokenCount(1).setTruncated(false).setLabel("NEUTRAL").setNegative(0).setNeutral(1).setPositive(0)
                .setEntities(java.util.List.of()).setStoredAt(1).build());
        CACHED.decode(cached);
        STORED_AT.apply(cached);
    }

    @FuzzTest(maxDuration = "5s")
    void pendingText(byte[] bytes) {
        roundTrip(PENDING, bytes);
    }

    @FuzzTest(maxDuration = "5s")
    void cachedResult(byte[] bytes) {
        roundTrip(CACHED, bytes);
        long before = Allocations.ofThisThread();
        try {
            assertThat(STORED_AT.apply(bytes).get("storedAt")).isInstanceOf(Long.class);
        } catch (SerializationException unreadable) {
            // documented rejection
        }
        Allocations.assertProportional(Allocations.ofThisThread() - before, () -> STORED_AT.apply(bytes), bytes.length,
                PER_BYTE, SLACK, "the storedAt projection");
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> void roundTrip(InternalAvroSerde<T> serde,
            byte[] bytes) {
        Allocations.Action decode = () -> serde.decode(bytes);
        long before = Allocations.ofThisThread();
        T record;
        try {
            record = serde.decode(bytes);
        } catch (SerializationException unreadable) {
            Allocations.assertProportional(Allocations.ofThisThread() - before, decode, bytes.length, PER_BYTE, SLACK,
                    "a rejected decode");
            return;
        }
        Allocations.assertProportional(Allocations.ofThisThread() - before, decode, bytes.length, PER_BYTE, SLACK,
                "decoding");
        assertThat(record).isNotNull();
        // Bit for bit (a cache hit serves the very bits stored); not Avro's record equals, for which a
        // NaN score never equals itself.
        byte[] written = serde.encode(record);
        assertThat(serde.encode(serde.decode(written))).isEqualTo(written);
    }
}
