package io.streamnlp.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.schema.internal.CachedEntity;
import io.streamnlp.schema.internal.CachedLanguage;
import io.streamnlp.schema.internal.CachedResult;
import io.streamnlp.schema.internal.OriginalHeader;
import io.streamnlp.schema.internal.PendingText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The internal-state serde across versions: what each release wrote must be read by every later
 * one. Version 1 of both records is the schema of the first release, which wrote plain Avro binary
 * (no header); from then on records are framed (C3 01 + CRC-64-AVRO fingerprint).
 */
class InternalAvroSerdeTest {

    /**
     * Fingerprints of the released versions, pinned: editing a released schema (instead of adding the
     * next version) would make state written with it unreadable, and fails here first.
     */
    private static final List<Long> PENDING_TEXT_RELEASED = List.of(0xe0c870e5f682cbe7L, 0x445fbf2447552134L);
    private static final List<Long> CACHED_RESULT_RELEASED = List.of(0x3196ab29cb49d92cL);

    private final InternalAvroSerde<PendingText> pendingSerde = new InternalAvroSerde<>(PendingText.class);
    private final InternalAvroSerde<CachedResult> cachedSerde = new InternalAvroSerde<>(CachedResult.class);

    private static PendingText pendingV2() {
        return PendingText.newBuilder()
                .setKey(ByteBuffer.wrap(new byte[] {7, 0, 7}))
                .setId("e-1")
                .setText("Great coffee, friendly staff.")
                .setEventTime(1_700_000_000_123L)
                .setTimestamp(1_700_000_000_456L)
                .setSourceTopic("reviews")
                .setSourcePartition(3)
                .setSourceOffset(42)
                .setOriginalValue(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 2, 3}))
                .setOriginalHeaders(List.of(
                        new OriginalHeader("trace-id", ByteBuffer.wrap("abc".getBytes(StandardCharsets.UTF_8))),
                        new OriginalHeader("empty", null),
                        new OriginalHeader("trace-id", ByteBuffer.wrap(new byte[0]))))
                .build();
    }

    private static CachedResult cached() {
        return CachedResult.newBuilder().setVector(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .setTokenCount(4).setTruncated(true).setLabel("POSITIVE")
                .setNegative(0.1f).setNeutral(0.2f).setPositive(0.7f)
                .setEntities(List.of(new CachedEntity("LOC", 3, 8, 0.9f)))
                .setStoredAt(123_456L).build();
    }

    private static GenericRecord pendingV1(Schema v1, byte[] key) {
        GenericRecord record = new GenericData.Record(v1);
        record.put("key", key == null ? null : ByteBuffer.wrap(key));
        record.put("id", "legacy-1");
        record.put("text", "The battery died after two days.");
        record.put("eventTime", 1_600_000_000_000L);
        record.put("timestamp", 1_600_000_000_001L);
        record.put("sourceTopic", "reviews");
        record.put("sourcePartition", 1);
        record.put("sourceOffset", 99L);
        return record;
    }

    /** What the first release's InternalAvroSerde wrote: plain Avro binary, no header. */
    private static byte[] unframed(GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        return out.toByteArray();
    }

    /** Single-object encoding with the record's own schema as the writer schema. */
    private static byte[] framed(GenericRecord record) throws IOException {
        return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), record.getSchema()).encode(record).array();
    }

    @Test
    void aPendingTextRoundTripsWithItsOriginalBytesAndHeaders() {
        byte[] bytes = pendingSerde.serializer().serialize("t", pendingV2());
        assertThat(pendingSerde.deserializer().deserialize("t", bytes)).isEqualTo(pendingV2());
        assertThat(pendingSerde.version()).isEqualTo(2);
    }

    @Test
    void aCachedResultRoundTrips() {
        byte[] bytes = cachedSerde.encode(cached());
        assertThat(cachedSerde.decode(bytes)).isEqualTo(cached());
        CachedResult withLanguage = cached();
        withLanguage.setLanguage(new CachedLanguage("high:en,de", "de", 0.4f));
        assertThat(cachedSerde.decode(cachedSerde.encode(withLanguage))).isEqualTo(withLanguage);
        assertThat(cachedSerde.version()).isEqualTo(2);
    }

    @Test
    void writesAreFramedWithTheCurrentSchemasFingerprint() {
        byte[] bytes = pendingSerde.encode(pendingV2());
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(PendingText.SCHEMA$));
        assertThat(InternalAvroSerde.fingerprintOf(bytes)).isEqualTo(fingerprint);
        assertThat(cachedSerde.encode(cached())[0]).isEqualTo((byte) 0xC3);
    }

    @Test
    void nullsPassThrough() {
        assertThat(pendingSerde.serializer().serialize("t", null)).isNull();
        assertThat(pendingSerde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void theFirstReleasesUnframedPendingTextIsReadWithTheNewFieldsEmpty() throws IOException {
        Schema v1 = pendingSerde.history().version(1);
        for (byte[] key : new byte[][] {null, {1, 2, 3}}) {
            byte[] legacy = unframed(pendingV1(v1, key));
            PendingText read = pendingSerde.decode(legacy);
            assertThat(read.getKey()).isEqualTo(key == null ? null : ByteBuffer.wrap(key));
            assertThat(read.getId()).isEqualTo("legacy-1");
            assertThat(read.getText()).isEqualTo("The battery died after two days.");
            assertThat(read.getEventTime()).isEqualTo(1_600_000_000_000L);
            assertThat(read.getTimestamp()).isEqualTo(1_600_000_000_001L);
            assertThat(read.getSourceTopic()).isEqualTo("reviews");
            assertThat(read.getSourcePartition()).isEqualTo(1);
            assertThat(read.getSourceOffset()).isEqualTo(99L);
            assertThat(read.getOriginalValue()).as("not known to version 1").isNull();
            assertThat(read.getOriginalHeaders()).as("not known to version 1").isEmpty();
        }
    }

    @Test
    void aFramedVersion1PendingTextIsReadByTheVersion2Reader() throws IOException {
        Schema v1 = pendingSerde.history().version(1);
        byte[] bytes = framed(pendingV1(v1, new byte[] {9}));
        assertThat(InternalAvroSerde.fingerprintOf(bytes)).isEqualTo(SchemaNormalization.parsingFingerprint64(v1));
        PendingText read = pendingSerde.decode(bytes);
        assertThat(read.getId()).isEqualTo("legacy-1");
        assertThat(read.getKey()).isEqualTo(ByteBuffer.wrap(new byte[] {9}));
        assertThat(read.getOriginalValue()).isNull();
        assertThat(read.getOriginalHeaders()).isEmpty();
    }

    @Test
    void theFirstReleasesUnframedCachedResultIsRead() throws IOException {
        Schema v1 = cachedSerde.history().version(1);
        GenericRecord entity = new GenericData.Record(v1.getField("entities").schema().getElementType());
        entity.put("type", "LOC");
        entity.put("start", 3);
        entity.put("end", 8);
        entity.put("confidence", 0.9f);
        GenericRecord record = new GenericData.Record(v1);
        record.put("vector", ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        record.put("tokenCount", 4);
        record.put("truncated", true);
        record.put("label", "POSITIVE");
        record.put("negative", 0.1f);
        record.put("neutral", 0.2f);
        record.put("positive", 0.7f);
        record.put("entities", List.of(entity));
        record.put("storedAt", 123_456L);
        assertThat(cachedSerde.decode(unframed(record))).isEqualTo(cached());
        assertThat(cachedSerde.decode(unframed(record)).getLanguage()).as("version 1 kept no language").isNull();
        assertThat(cachedSerde.decode(framed(record))).isEqualTo(cached());
    }

    @Test
    void aProjectionReadsOneFieldOfEveryEncoding() throws IOException {
        Schema storedAtOnly = SchemaBuilder.record("CachedResult").namespace("io.streamnlp.schema.internal")
                .fields().requiredLong("storedAt").endRecord();
        var project = cachedSerde.projection(storedAtOnly);
        assertThat(project.apply(cachedSerde.encode(cached())).get("storedAt")).isEqualTo(123_456L);
        byte[] legacy = unframed(new GenericData.Record(cachedSerde.history().version(1)) {
            {
                put("vector", ByteBuffer.wrap(new byte[1536]));
                put("tokenCount", 1);
                put("truncated", false);
                put("label", "NEUTRAL");
                put("negative", 0f);
                put("neutral", 1f);
                put("positive", 0f);
                put("entities", List.of());
                put("storedAt", 77L);
            }
        });
        assertThat(project.apply(legacy).get("storedAt")).isEqualTo(77L);
    }

    @Test
    void recordsWrittenByANewerVersionFailNamingTheRecordAndTheFingerprint() throws IOException {
        Schema v3 = SchemaBuilder.record("PendingText").namespace("io.streamnlp.schema.internal").fields()
                .requiredString("id").requiredString("text").optionalString("language").endRecord();
        GenericRecord record = new GenericData.Record(v3);
        record.put("id", "from-the-future");
        record.put("text", "hello");
        byte[] bytes = framed(record);
        String fingerprint = String.format("0x%016x", SchemaNormalization.parsingFingerprint64(v3));
        assertThatThrownBy(() -> pendingSerde.deserializer().deserialize("t", bytes))
                .isInstanceOf(UnknownInternalSchemaException.class)
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("PendingText")
                .hasMessageContaining(fingerprint)
                .satisfies(e -> {
                    UnknownInternalSchemaException unknown = (UnknownInternalSchemaException) e;
                    assertThat(unknown.recordName()).isEqualTo("PendingText");
                    assertThat(unknown.fingerprint()).isEqualTo(SchemaNormalization.parsingFingerprint64(v3));
                });
    }

    @Test
    void corruptBytesFailClearly() {
        byte[] truncated = java.util.Arrays.copyOf(pendingSerde.encode(pendingV2()), 14);
        assertThatThrownBy(() -> pendingSerde.decode(truncated)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("PendingText");
    }

    @Test
    void noUnframedRecordOfTheFirstReleaseCanLookFramed() throws IOException {
        // The legacy and framed encodings are told apart by the first two bytes; version 1 records
        // start with a union index (0x00 / 0x02) or a byte-array length (an even first byte).
        Schema pendingV1 = pendingSerde.history().version(1);
        assertThat(unframed(pendingV1(pendingV1, null))[0]).isEqualTo((byte) 0x00);
        assertThat(unframed(pendingV1(pendingV1, new byte[] {1}))[0]).isEqualTo((byte) 0x02);
        assertThat(pendingV1.getFields().getFirst().schema().getType()).isEqualTo(Schema.Type.UNION);
        Schema cachedV1 = cachedSerde.history().version(1);
        assertThat(cachedV1.getFields().getFirst().schema().getType()).isEqualTo(Schema.Type.BYTES);
        for (int length : new int[] {0, 1, 63, 64, 97, 1536, 3072}) {
            int zigzag = 2 * length;
            int firstByte = zigzag < 128 ? zigzag : (zigzag & 0x7F) | 0x80;
            assertThat(firstByte & 1).as("first byte of length %d", length).isZero();
        }
    }

    @Test
    void theHistoryHoldsEveryReleasedVersionUnchangedAndEndsWithTheCurrentSchema() throws IOException {
        assertHistory("PendingText", pendingSerde.history(), PendingText.SCHEMA$, PENDING_TEXT_RELEASED);
        assertHistory("CachedResult", cachedSerde.history(), CachedResult.SCHEMA$, CACHED_RESULT_RELEASED);
    }

    private static void assertHistory(String name, InternalSchemaHistory history, Schema current, List<Long> released)
            throws IOException {
        List<Long> fingerprints = history.versions().stream().map(SchemaNormalization::parsingFingerprint64).toList();
        assertThat(fingerprints).as("fingerprints of %s's history; a released version never changes", name)
                .startsWith(released.toArray(Long[]::new));
        assertThat(fingerprints.getLast()).as("the newest version of %s is schemas/internal/%s.avsc", name, name)
                .isEqualTo(SchemaNormalization.parsingFingerprint64(current));
        Path source = Path.of("schemas", "internal", name + ".avsc");
        try (InputStream newest = InternalAvroSerdeTest.class.getResourceAsStream(
                InternalSchemaHistory.ROOT + name + "-" + history.versions().size() + ".avsc")) {
            assertThat(new String(newest.readAllBytes(), StandardCharsets.UTF_8))
                    .as("the newest history file of %s is a copy of %s", name, source)
                    .isEqualTo(Files.readString(source));
        }
    }
}
