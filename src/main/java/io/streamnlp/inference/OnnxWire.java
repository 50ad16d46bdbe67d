package io.streamnlp.inference;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The protobuf wire format, as far as reading, editing and writing an ONNX file needs it (no protobuf
 * library is on the classpath): an ONNX file is a {@code ModelProto}, its field 7 the {@code GraphProto}
 * with nodes (1), initializers (5), inputs (11) and outputs (12). A message is a run of fields; editing
 * one means re-emitting its fields with one changed and the length prefix of every message around it
 * rewritten. Public for the benchmark, which reads an encoder's weight shapes and writes a
 * one-operator graph with it.
 */
public final class OnnxWire {

    /** Field number of the graph in a ModelProto, and of the outputs in a GraphProto. */
    static final int MODEL_GRAPH = 7;
    static final int GRAPH_OUTPUT = 12;
    /** {@code TensorProto.DataType.FLOAT}. */
    static final int FLOAT = 1;

    private OnnxWire() {}

    /** One field of a message: its raw bytes, and its payload (length-delimited) or value (varint). */
    public record Field(int number, int wireType, byte[] raw, byte[] payload, long value) {

        /** The payload read as UTF-8 (a string field). */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** The fields of {@code message}, in order. */
    public static List<Field> fields(byte[] message) {
        List<Field> fields = new ArrayList<>();
        int[] at = {0};
        while (at[0] < message.length) {
            int start = at[0];
            long tag = readVarint(message, at);
            int number = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            byte[] payload = null;
            long value = 0;
            switch (wireType) {
                case 0 -> value = readVarint(message, at);
                case 1 -> at[0] += 8;
                case 2 -> {
                    int length = (int) readVarint(message, at);
                    payload = Arrays.copyOfRange(message, at[0], at[0] + length);
                    at[0] += length;
                }
                case 5 -> at[0] += 4;
                default -> throw new IllegalArgumentException("wire type " + wireType + " at " + start);
            }
            fields.add(new Field(number, wireType, Arrays.copyOfRange(message, start, at[0]), payload, value));
        }
        return fields;
    }

    /** The string field {@code nameField} of a message ("" when absent). */
    static String nameOf(byte[] message, int nameField) {
        for (Field field : fields(message)) {
            if (field.number() == nameField && field.wireType() == 2) {
                return new String(field.payload(), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    /** Every value of the varint field {@code number}, whether written packed or repeated (a tensor's dims). */
    public static List<Long> varints(List<Field> fields, int number) {
        List<Long> values = new ArrayList<>();
        for (Field field : fields) {
            if (field.number() == number && field.wireType() == 0) {
                values.add(field.value());
            } else if (field.number() == number && field.wireType() == 2) {
                int[] at = {0};
                while (at[0] < field.payload().length) {
                    values.add(readVarint(field.payload(), at));
                }
            }
        }
        return values;
    }

    private static long readVarint(byte[] bytes, int[] at) {
        long value = 0;
        int shift = 0;
        while (true) {
            byte b = bytes[at[0]++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
        }
    }

    private static byte[] varintBytes(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long rest = value;
        while ((rest & ~0x7fL) != 0) {
            out.write((int) ((rest & 0x7f) | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
        return out.toByteArray();
    }

    public static byte[] varint(int number, long value) {
        return message(varintBytes((long) number << 3), varintBytes(value));
    }

    public static byte[] lengthDelimited(int number, byte[] payload) {
        return message(varintBytes(((long) number << 3) | 2), varintBytes(payload.length), payload);
    }

    public static byte[] string(int number, String value) {
        return lengthDelimited(number, value.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] message(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            write(out, part);
        }
        return out.toByteArray();
    }

    /** {@code model} (an ONNX file's bytes) with its graph replaced by {@code edit} of it; every other field as it was. */
    static byte[] withGraph(byte[] model, java.util.function.UnaryOperator<byte[]> edit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean edited = false;
        for (Field field : fields(model)) {
            if (field.number() == MODEL_GRAPH && field.wireType() == 2) {
                write(out, lengthDelimited(MODEL_GRAPH, edit.apply(field.payload())));
                edited = true;
            } else {
                write(out, field.raw());
            }
        }
        if (!edited) {
            throw new IllegalArgumentException("Not an ONNX model: no graph");
        }
        return out.toByteArray();
    }

    static void write(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes, 0, bytes.length);
    }
}
