package io.streamnlp.inference;

import static io.streamnlp.inference.OnnxWire.fields;
import static io.streamnlp.inference.OnnxWire.lengthDelimited;
import static io.streamnlp.inference.OnnxWire.message;
import static io.streamnlp.inference.OnnxWire.string;
import static io.streamnlp.inference.OnnxWire.varint;
import static io.streamnlp.inference.OnnxWire.write;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Edits and builds ONNX graphs for the custom-model tests, on the protobuf wire format itself
 * ({@link OnnxWire}).
 */
public final class OnnxGraphs {

    private OnnxGraphs() {}

    /**
     * A BERT-style export made RoBERTa/DistilBERT-style: {@code token_type_ids} is no longer a graph
     * input; a first node computes it as {@code input_ids * 0} for the nodes that read it, so the
     * graph gives exactly what the original gives for all-zero token types (what StreamNLP feeds).
     */
    static byte[] withoutTokenTypeIds(byte[] model) {
        List<OnnxWire.Field> top = fields(model);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (OnnxWire.Field field : top) {
            if (field.number() == 7) {
                write(out, lengthDelimited(7, withoutTokenTypeInput(field.payload())));
            } else {
                write(out, field.raw());
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
        for (OnnxWire.Field field : fields(graph)) {
            if (field.number() == 11 && nameOf(field.payload()).equals("token_type_ids")) {
                continue;
            }
            write(out, field.raw());
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

    /**
     * The graph with only the first {@code positions} rows of its position-embedding table (initializer
     * {@code embeddings.position_embeddings.weight}, [positions, hidden], or its int8 copy): what an encoder
     * trained with fewer positions looks like. Longer inputs fail in ONNX Runtime's Gather.
     */
    public static byte[] withPositions(byte[] model, int positions) {
        // fp32: the weight itself; int8 exports: its quantized copy (uint8), beside a scale and a zero point
        return inGraph(model, 5, name -> name.equals("embeddings.position_embeddings.weight")
                || name.equals("embeddings.position_embeddings.weight_quantized"), tensor -> {
            List<OnnxWire.Field> fields = fields(tensor);
            long rowBytes = 1;
            for (OnnxWire.Field field : fields) {
                if (field.number() == 2) {
                    rowBytes = field.value() == 1 ? 4 : 1; // FLOAT, else UINT8 / INT8
                }
            }
            boolean first = true;
            for (OnnxWire.Field field : fields) {
                if (field.number() == 1 && !first) {
                    rowBytes *= field.value();
                }
                first &= field.number() != 1;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean firstDim = true;
            for (OnnxWire.Field field : fields) {
                if (field.number() == 1 && firstDim) {
                    write(out, varint(1, positions));
                    firstDim = false;
                } else if (field.number() == 9) {
                    write(out, lengthDelimited(9, Arrays.copyOf(field.payload(), (int) (positions * rowBytes))));
                } else {
                    write(out, field.raw());
                }
            }
            return out.toByteArray();
        });
    }

    /**
     * The graph with the hidden axis of its output {@code last_hidden_state} declared symbolic
     * ({@code hidden}) instead of its size: the graph says nothing about it until it runs.
     */
    public static byte[] withSymbolicHiddenAxis(byte[] model) {
        return inGraph(model, 12, "last_hidden_state"::equals, valueInfo -> withLastDim(valueInfo, message(string(2, "hidden"))));
    }

    /** The graph with the sequence axis of each input fixed at {@code length} (as a static-shape export has it). */
    public static byte[] withFixedSequenceAxis(byte[] model, int length) {
        byte[] edited = model;
        for (String input : List.of("input_ids", "attention_mask", "token_type_ids")) {
            edited = inGraph(edited, 11, input::equals, valueInfo -> withLastDim(valueInfo, message(varint(1, length))));
        }
        return edited;
    }

    /** A ValueInfoProto with the last dim of its tensor type's shape replaced: name (1), type (2) > tensor (1) > shape (2) > dim (1). */
    private static byte[] withLastDim(byte[] valueInfo, byte[] dim) {
        return replace(valueInfo, 2, type -> replace(type, 1, tensor -> replace(tensor, 2, shape -> {
            List<OnnxWire.Field> dims = fields(shape);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < dims.size(); i++) {
                write(out, i == dims.size() - 1 ? lengthDelimited(1, dim) : dims.get(i).raw());
            }
            return out.toByteArray();
        })));
    }

    /** Field {@code number} of the graph (7) whose name is {@code name}, edited: nodes' names are field 1, initializers' 8. */
    private static byte[] inGraph(byte[] model, int number, java.util.function.Predicate<String> name,
            java.util.function.UnaryOperator<byte[]> edit) {
        int[] found = {0};
        byte[] edited = replace(model, 7, graph -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (OnnxWire.Field field : fields(graph)) {
                if (field.number() == number && name.test(nameOf(field.payload(), number == 5 ? 8 : 1))) {
                    write(out, lengthDelimited(number, edit.apply(field.payload())));
                    found[0]++;
                } else {
                    write(out, field.raw());
                }
            }
            return out.toByteArray();
        });
        if (found[0] == 0) {
            throw new IllegalArgumentException("no field " + number + " of that name in the graph");
        }
        return edited;
    }

    /** Every length-delimited field {@code number} of a message, edited. */
    private static byte[] replace(byte[] message, int number, java.util.function.UnaryOperator<byte[]> edit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (OnnxWire.Field field : fields(message)) {
            write(out, field.number() == number && field.wireType() == 2 ? lengthDelimited(number, edit.apply(field.payload()))
                    : field.raw());
        }
        return out.toByteArray();
    }

    private static byte[] valueInfo(String name, int elementType) {
        byte[] shape = message(lengthDelimited(1, message(string(2, "batch"))), lengthDelimited(1, message(string(2, "seq"))));
        byte[] tensor = message(varint(1, elementType), lengthDelimited(2, shape));
        return message(string(1, name), lengthDelimited(2, message(lengthDelimited(1, tensor))));
    }

    private static String nameOf(byte[] valueInfo) {
        return OnnxWire.nameOf(valueInfo, 1);
    }

    private static String nameOf(byte[] message, int nameField) {
        return OnnxWire.nameOf(message, nameField);
    }
}
