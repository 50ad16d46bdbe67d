package io.streamnlp.registry;

import java.io.ByteArrayOutputStream;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent framing of a serialized record: magic byte {@code 0}, the schema id as a 4-byte
 * big-endian int, then the Avro binary body.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int ID_SIZE = 4;
    /** Magic byte plus id: where the Avro body starts. */
    public static final int HEADER_SIZE = 1 + ID_SIZE;

    private WireFormat() {}

    /**
     * The schema id of a framed record, after checking the frame.
     *
     * @throws SerializationException when the record is too short or does not start with the magic
     *     byte; the message says what the bytes look like instead
     */
    public static int schemaId(byte[] record) {
        if (record == null || record.length == 0) {
            throw tooShort(record == null ? 0 : record.length);
        }
        if (record[0] != MAGIC_BYTE) {
            throw new SerializationException(
                    String.format("unknown magic byte 0x%02x: not Confluent Avro%s",
                            record[0] & 0xff, guess(record[0])));
        }
        if (record.length < HEADER_SIZE) {
            throw tooShort(record.length);
        }
        return (record[1] & 0xff) << 24 | (record[2] & 0xff) << 16 | (record[3] & 0xff) << 8
                | (record[4] & 0xff);
    }

    /** Writes the magic byte and {@code schemaId}, big-endian. */
    public static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    private static SerializationException tooShort(int length) {
        return new SerializationException(
                "record shorter than " + HEADER_SIZE + " bytes (" + length
                        + "): not Confluent Avro, which starts with a magic byte and a 4-byte schema id");
    }

    /** What a record starting with {@code first} probably is, for the error message. */
    private static String guess(byte first) {
        if (first == '{' || first == '[' || first == '"') {
            return " (JSON?)";
        }
        if (first >= 0x20 && first < 0x7f) {
            return " (plain text?)";
        }
        return "";
    }
}
