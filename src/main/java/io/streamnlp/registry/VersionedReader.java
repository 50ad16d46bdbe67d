package io.streamnlp.registry;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.DatumReader;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads the bytes of one internal record, whichever version of it wrote them, into one reader
 * schema (the current record, or a projection of it): framed bytes (Avro's single-object encoding)
 * with the writer schema of the record's history that the fingerprint names, unframed (legacy) bytes
 * with version 1 as the writer schema. Avro's schema resolution does the rest: fields the reader
 * lacks are skipped, fields the writer lacked take their defaults. The body is read through a
 * {@link BoundedDecoder}, so a corrupt length or count is refused before it is allocated. Thread-safe.
 */
final class VersionedReader<D> {

    private final InternalSchemaHistory history;
    /** Per writer fingerprint, its reader into the reader schema; built once, read-only after. */
    private final Map<Long, DatumReader<D>> framed;
    private final DatumReader<D> legacy;

    @SuppressWarnings("unchecked")
    VersionedReader(InternalSchemaHistory history, GenericData model, Schema readerSchema) {
        this.history = history;
        Map<Long, DatumReader<D>> readers = new HashMap<>();
        for (Schema writer : history.versions()) {
            readers.put(SchemaNormalization.parsingFingerprint64(writer),
                    (DatumReader<D>) model.createDatumReader(writer, readerSchema));
        }
        this.framed = Map.copyOf(readers);
        this.legacy = (DatumReader<D>) model.createDatumReader(history.legacy(), readerSchema);
    }

    D read(byte[] bytes) {
        boolean isFramed = InternalAvroSerde.isFramed(bytes);
        DatumReader<D> reader = legacy;
        int offset = 0;
        if (isFramed) {
            long fingerprint = InternalAvroSerde.fingerprintOf(bytes);
            reader = framed.get(fingerprint);
            if (reader == null) {
                throw new UnknownInternalSchemaException(history, fingerprint, null);
            }
            offset = InternalAvroSerde.HEADER_BYTES;
        }
        try {
            return reader.read(null, BoundedDecoder.of(bytes, offset, bytes.length - offset));
        } catch (IOException | RuntimeException e) {
            // Only the bytes are read here, so whatever Avro throws is about them (e.g. its
            // UnsupportedOperationException for a length past its limit): one documented exception.
            String encoding = isFramed
                    ? "framed, writer schema " + InternalSchemaHistory.hex(InternalAvroSerde.fingerprintOf(bytes))
                    : "unframed, read as version 1";
            throw new SerializationException("Cannot read a " + history.recordName() + " record of " + bytes.length
                    + " bytes (" + encoding + "): " + e, e);
        }
    }
}
