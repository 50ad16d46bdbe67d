package io.streamnlp.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The few bits of the protobuf wire format the benchmark needs to write a one-operator ONNX graph and
 * to read the weight shapes of an encoder's graph, without the {@code onnx} protobuf classes (which no
 * runtime dependency ships). Field numbers are those of {@code onnx.proto}.
 */
final class OnnxProto {

    private OnnxProto() {}

    /** A protobuf message under construction. */
    static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Message varint(int field, long value) {
            key(field, 0);
            writeVarint(value);
            return this;
        }

        Message string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(int field, Message value) {
            return bytes(field, value.out.toByteArray());
        }

        Message bytes(int field, byte[] value) {
            key(field, 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void key(int field, int wireType) {
            writeVarint(((long) field << 3) | wireType);
        }

        private void writeVarint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }

    /** One field of a parsed message: its number, and its value (a varint) or its bytes (length-delimited). */
    record Field(int number, boolean delimited, long varint, byte[] buffer, int offset, int length) {

        List<Field> children() {
            return parse(buffer, offset, length);
        }

        String text() {
            return new String(buffer, offset, length, StandardCharsets.UTF_8);
        }
    }

    /** The fields of one message, in order; fixed-width fields are skipped. */
    static List<Field> parse(byte[] buffer, int offset, int length) {
        List<Field> fields = new ArrayList<>();
        int[] at = {offset};
        int end = offset + length;
        while (at[0] < end) {
            long key = readVarint(buffer, at);
            int number = (int) (key >>> 3);
            switch ((int) (key & 7)) {
                case 0 -> fields.add(new Field(number, false, readVarint(buffer, at), null, 0, 0));
                case 1 -> at[0] += 8;
                case 2 -> {
                    int size = (int) readVarint(buffer, at);
                    fields.add(new Field(number, true, 0, buffer, at[0], size));
                    at[0] += size;
                }
                case 5 -> at[0] += 4;
                default -> throw new IllegalArgumentException("not a protobuf message (wire type " + (key & 7) + ")");
            }
        }
        return fields;
    }

    /** Packed or repeated varints of field {@code number} (e.g. a tensor's dims). */
    static List<Long> varints(List<Field> fields, int number) {
        List<Long> values = new ArrayList<>();
        for (Field f : fields) {
            if (f.number() != number) {
                continue;
            }
            if (!f.delimited()) {
                values.add(f.varint());
            } else {
                int[] at = {f.offset()};
                while (at[0] < f.offset() + f.length()) {
                    values.add(readVarint(f.buffer(), at));
                }
            }
        }
        return values;
    }

    private static long readVarint(byte[] buffer, int[] at) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = buffer[at[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }
}
