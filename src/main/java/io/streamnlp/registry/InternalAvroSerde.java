package io.streamnlp.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of internal state: the by-text topic and the pending-batch and result-cache stores and
 * their changelogs. No registry: the schemas ship with the code ({@code schemas/internal}), and
 * every version ever written is kept ({@link InternalSchemaHistory}), so that state written by an
 * earlier release is read by a later one, and adding a field is an upgrade, not a state wipe.
 *
 * <p>Writes Avro's single-object encoding: {@code C3 01}, the writer schema's 8-byte CRC-64-AVRO
 * fingerprint (little-endian), then Avro binary. Reads
 * <ul>
 *   <li>framed bytes with the writer schema the fingerprint names, resolved to the current schema;
 *   <li>unframed bytes as the legacy encoding of the first release (plain Avro binary), with version 1
 *       as the writer schema. No legacy record can start with {@code C3 01}: the first field of
 *       {@code PendingText} v1 is a union (its index is written as 0x00 or 0x02) and that of
 *       {@code CachedResult} v1 is a byte array (its length is a zigzag varint of a non-negative
 *       number, whose first byte is even), so the two encodings never collide;
 *   <li>a fingerprint outside the history (state written by a newer release: a downgrade) as an
 *       {@link UnknownInternalSchemaException} naming the record and the fingerprint, never as a
 *       guess.
 * </ul>
 * Thread-safe; one instance may serve every task.
 */
public final class InternalAvroSerde<T extends SpecificRecord> implements Serde<T> {

    /** The single-object encoding's marker. */
    static final byte MAGIC_0 = (byte) 0xC3;
    static final byte MAGIC_1 = (byte) 0x01;
    static final int HEADER_BYTES = 10;

    private final InternalSchemaHistory history;
    private final int version;
    private final BinaryMessageEncoder<T> encoder;
    private final VersionedReader<T> reader;

    public InternalAvroSerde(Class<T> type) {
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        this.history = InternalSchemaHistory.of(schema.getName());
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        int known = history.versionOf(fingerprint).orElse(-1);
        if (known != history.versions().size()) {
            throw new IllegalStateException("The schema of " + schema.getFullName() + " (fingerprint "
                    + InternalSchemaHistory.hex(fingerprint) + ") is not the newest of its history (" + history.describe()
                    + "): after changing schemas/internal/" + schema.getName() + ".avsc, add a copy of it as src/main/resources"
                    + InternalSchemaHistory.ROOT + schema.getName() + "-" + (history.versions().size() + 1) + ".avsc, and never"
                    + " edit a released version");
        }
        this.version = known;
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.reader = new VersionedReader<>(history, model, schema);
    }

    /** Every version of this record, for tests and error messages. */
    public InternalSchemaHistory history() {
        return history;
    }

    /** The version (from 1) this build writes. */
    public int version() {
        return version;
    }

    public byte[] encode(T value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            encoder.encode(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public T decode(byte[] bytes) {
        return reader.read(bytes);
    }

    /**
     * A reader of this record's bytes (any version, framed or legacy) into {@code projection}, a
     * record schema of the same name with a subset of the fields: only those are materialised, Avro
     * skips the others without building them (e.g. the result cache's index reads {@code storedAt}
     * of every entry without decoding its vector and entities).
     */
    public Function<byte[], GenericRecord> projection(Schema projection) {
        VersionedReader<GenericRecord> projected = new VersionedReader<>(history, GenericData.get(), projection);
        return projected::read;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : encode(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    static boolean isFramed(byte[] bytes) {
        return bytes.length >= HEADER_BYTES && bytes[0] == MAGIC_0 && bytes[1] == MAGIC_1;
    }

    /** The writer fingerprint of framed bytes (little-endian after the two marker bytes). */
    static long fingerprintOf(byte[] bytes) {
        long fingerprint = 0;
        for (int i = HEADER_BYTES - 1; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (bytes[i] & 0xFF);
        }
        return fingerprint;
    }
}
