package io.streamnlp.registry;

import java.io.IOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads the bytes of one internal record, whichever version of it wrote them, into one reader
 * schema (the current record, or a projection of it): framed bytes through Avro's
 * {@link BinaryMessageDecoder} over a {@link SchemaStore} holding the record's whole history,
 * unframed (legacy) bytes with version 1 as the writer schema. Avro's schema resolution does the rest:
 * fields the reader lacks are skipped, fields the writer lacked take their defaults. Thread-safe.
 */
final class VersionedReader<D> {

    private final InternalSchemaHistory history;
    private final BinaryMessageDecoder<D> framed;
    private final DatumReader<D> legacy;

    @SuppressWarnings("unchecked")
    VersionedReader(InternalSchemaHistory history, GenericData model, Schema readerSchema) {
        this.history = history;
        SchemaStore.Cache writers = new SchemaStore.Cache();
        history.versions().forEach(writers::addSchema);
        this.framed = new BinaryMessageDecoder<>(model, readerSchema, writers);
        this.legacy = (DatumReader<D>) model.createDatumReader(history.legacy(), readerSchema);
    }

    D read(byte[] bytes) {
        try {
            if (InternalAvroSerde.isFramed(bytes)) {
                return framed.decode(bytes);
            }
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
            return legacy.read(null, decoder);
        } catch (MissingSchemaException e) {
            throw new UnknownInternalSchemaException(history, InternalAvroSerde.fingerprintOf(bytes), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            String encoding = InternalAvroSerde.isFramed(bytes)
                    ? "framed, writer schema " + InternalSchemaHistory.hex(InternalAvroSerde.fingerprintOf(bytes))
                    : "unframed, read as version 1";
            throw new SerializationException("Cannot read a " + history.recordName() + " record of " + bytes.length
                    + " bytes (" + encoding + "): " + e, e);
        }
    }
}
