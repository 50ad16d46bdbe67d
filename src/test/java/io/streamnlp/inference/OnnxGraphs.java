package io.streamnlp.inference;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Edits and builds ONNX graphs for the custom-model tests, on the protobuf wire format itself (no
 * protobuf library is on the classpath): an ONNX file is a {@code ModelProto}, its field 7 the
 * {@code GraphProto} with nodes (1), initializers (5), inputs (11) and outputs (12).
 */
final class OnnxGraphs {

    private OnnxGraphs() {}

    /**
     * A BERT-style export made RoBERTa/DistilBERT-style: {@code token_type_ids} is no longer a graph
     * input; a first node computes it as {@code input_ids * 0} for the nodes that read it, so the
     * graph gives exactly what the original gives for all-zero token types (what StreamNLP feeds).
     */
    static byte[] withoutTokenTypeIds(byte[] model) {
        List<Field> top = fields(model);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Field field : top) {
            if (field.number == 7) {
                write(out, lengthDelimited(7, withoutTokenTypeInput(field.payload)));
            } else {
                write(out, field.raw);
            }
        }
        return out.toByteArray();
    }

    private static byte[] withoutTokenTypeInput(byte[] graph) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] node = message(
                string(1, "input_ids"), string(1, "streamnlp_zero"), string(2, "token_type_ids"),
                string(3, "streamnlp_zero_token_types"), string(4, "Mul"));
        write(out, lengthDelimited(1, node)); // first: its inputs are a graph input and an initializer
        for (Field field : fields(graph)) {
            if (field.number == 11 && nameOf(field.payload).equals("token_type_ids")) {
                continue;
            }
            write(out, field.raw);
        }
        byte[] zero = message(varint(2, 7), string(8, "streamnlp_zero"), lengthDelimited(9, new byte[8]));
        write(out, lengthDelimited(5, zero));
        return out.toByteArray();
    }

    /** Every occurrence of {@code from} renamed to {@code to}, of the same length, so the protobuf stays valid. */
    static byte[] renamed(byte[] model, String from, String to) {
        byte[] a = from.getBytes(StandardCharsets.UTF_8);
        byte[] b = to.getBytes(StandardCharsets.UTF_8);
        if (a.length != b.length) {
            throw new IllegalArgumentException("names must have the same length");
        }
        byte[] copy = model.clone();
        int found = 0;
        for (int i = 0; i + a.length <= copy.length; i++) {
            if (copy[i] == a[0] && Arrays.equals(copy, i, i + a.length, a, 0, a.length)) {
                System.arraycopy(b, 0, copy, i, b.length);
                found++;
            }
        }
        if (found == 0) {
            throw new IllegalArgumentException(from + " is not in the graph");
        }
        return copy;
    }

    /**
     * A graph with the right inputs whose only output is 2-d: {@code logits = Cast<float>(input_ids)},
     * [batch, sequence], no hidden states at all.
     */
    static byte[] twoDimensionalOutput() {
        byte[] cast = message(string(1, "input_ids"), string(2, "logits"), string(3, "cast"), string(4, "Cast"),
                lengthDelimited(5, message(string(1, "to"), varint(3, 1), varint(20, 2))));
        byte[] graph = message(lengthDelimited(1, cast), string(2, "tiny"),
                lengthDelimited(11, valueInfo("input_ids", 7)), lengthDelimited(11, valueInfo("attention_mask", 7)),
                lengthDelimited(12, valueInfo("logits", 1)));
        return message(varint(1, 8), lengthDelimited(7, graph), lengthDelimited(8, message(varint(2, 17))));
    }

    private static byte[] valueInfo(String name, int elementType) {
        byte[] shape = message(lengthDelimited(1, message(string(2, "batch"))), lengthDelimited(1, message(string(2, "seq"))));
        byte[] tensor = message(varint(1, elementType), lengthDelimited(2, shape));
        return message(string(1, name), lengthDelimited(2, message(lengthDelimited(1, tensor))));
    }

    // --- the wire format ---

    private record Field(int number, int wireType, byte[] raw, byte[] payload) {}

    private static List<Field> fields(byte[] message) {
        List<Field> fields = new ArrayList<>();
        int[] at = {0};
        while (at[0] < message.length) {
            int start = at[0];
            long tag = readVarint(message, at);
            int number = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            byte[] payload = null;
            switch (wireType) {
                case 0 -> readVarint(message, at);
                case 1 -> at[0] += 8;
                case 2 -> {
                    int length = (int) readVarint(message, at);
                    payload = Arrays.copyOfRange(message, at[0], at[0] + length);
                    at[0] += length;
                }
                case 5 -> at[0] += 4;
                default -> throw new IllegalArgumentException("wire type " + wireType + " at " + start);
            }
            fields.add(new Field(number, wireType, Arrays.copyOfRange(message, start, at[0]), payload));
        }
        return fields;
    }

    private static String nameOf(byte[] valueInfo) {
        for (Field field : fields(valueInfo)) {
            if (field.number == 1 && field.wireType == 2) {
                return new String(field.payload, StandardCharsets.UTF_8);
            }
        }
        return "";
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
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }

    private static byte[] varint(int number, long value) {
        return message(varintBytes((long) number << 3), varintBytes(value));
    }

    private static byte[] lengthDelimited(int number, byte[] payload) {
        return message(varintBytes(((long) number << 3) | 2), varintBytes(payload.length), payload);
    }

    private static byte[] string(int number, String value) {
        return lengthDelimited(number, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] message(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            write(out, part);
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes, 0, bytes.length);
    }
}
