package io.streamnlp.inference;

import static io.streamnlp.inference.OnnxWire.MODEL_GRAPH;
import static io.streamnlp.inference.OnnxWire.lengthDelimited;
import static io.streamnlp.inference.OnnxWire.message;
import static io.streamnlp.inference.OnnxWire.string;
import static io.streamnlp.inference.OnnxWire.varint;
import static io.streamnlp.inference.OnnxWire.write;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link EncoderGraph#FUSED fused} encoder graph, made from a catalogue encoder's per-channel int8
 * export at load time, with the weights it ships (nothing is quantized again):
 *
 * <ol>
 *   <li>ONNX Runtime's own extended optimizer runs first (layer norms, GELU with its bias, the int8 products
 *       fused), and its graph is saved;</li>
 *   <li>per layer, the self-attention block (three int8 projections, their biases, reshapes, transposes,
 *       scores, mask, softmax, context) becomes one {@code com.microsoft.QAttention}: the query, key and
 *       value weights side by side in one int8 matrix, their per-column scales and zero points beside
 *       them. ONNX Runtime fuses no attention on a graph that is already quantized, so this is done here;</li>
 *   <li>each bias, residual add and layer norm after a dense product becomes one
 *       {@code SkipLayerNormalization};</li>
 *   <li>{@code BiasGelu} becomes {@code FastGelu} (GELU's tanh form, as BERT was trained with).</li>
 * </ol>
 *
 * <p>The pattern is the one the HuggingFace BERT exports share (tensor names {@code /encoder/layer.N/...}); a
 * graph without it is refused with a message naming the setting. The outputs move a little (the attention's
 * float arithmetic runs in another order, GELU's tanh form): a new graph, hence its own fingerprint.
 */
final class AttentionFusion {

    private static final String MICROSOFT = "com.microsoft";
    private static final String MASK = "streamnlp/attention_mask_int32";
    // TensorProto.DataType and AttributeProto.AttributeType values.
    private static final int FLOAT = 1;
    private static final int INT8 = 3;
    private static final int INT32 = 6;
    private static final int INT64 = 7;
    private static final int ATTRIBUTE_FLOAT = 1;
    private static final int ATTRIBUTE_INT = 2;

    private AttentionFusion() {}

    /**
     * The last graph fused in this process, by the SHA-256 of the graph it came from. A process that loads the same
     * encoder again (a restart of the application inside one JVM, the bench's rows, the tests) skips the second of
     * fusion; soft, so it never holds memory the heap needs.
     */
    private static SoftReference<Map.Entry<String, byte[]>> lastFused = new SoftReference<>(null);

    /** The fused graph of the packaged int8 graph {@code model} (an ONNX file's bytes). */
    static byte[] fuse(byte[] model) {
        return rewrite(extendedOptimized(model));
    }

    /** As {@link #fuse(byte[])}, for {@code model} whose SHA-256 is {@code digest}: remembered for the next load. */
    static synchronized byte[] fuse(byte[] model, byte[] digest) {
        String key = HexFormat.of().formatHex(digest);
        Map.Entry<String, byte[]> last = lastFused.get();
        if (last != null && last.getKey().equals(key)) {
            return last.getValue();
        }
        byte[] fused = fuse(model);
        lastFused = new SoftReference<>(Map.entry(key, fused));
        return fused;
    }

    /** ONNX Runtime's extended (portable, not hardware-specific) optimization of {@code model}, as saved by it. */
    static byte[] extendedOptimized(byte[] model) {
        Path saved = null;
        try {
            saved = Files.createTempFile("streamnlp-encoder-", ".onnx");
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
                options.setIntraOpNumThreads(1);
                options.setOptimizedModelFilePath(saved.toString());
                OrtEnvironment.getEnvironment().createSession(model, options).close();
            }
            return Files.readAllBytes(saved);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not optimize the encoder graph for model.graph=fused", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the optimized encoder graph to " + System.getProperty("java.io.tmpdir")
                    + " (java.io.tmpdir), which model.graph=fused needs for a moment at start", e);
        } finally {
            if (saved != null) {
                try {
                    Files.deleteIfExists(saved);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /** Steps 2 to 4 on a graph ONNX Runtime's extended optimizer wrote. */
    static byte[] rewrite(byte[] model) {
        return OnnxWire.withGraph(model, graph -> new Graph(graph).fused());
    }

    /** A node of the graph: its wire bytes and what the rewrite reads of them. */
    private record Node(byte[] raw, String opType, List<String> inputs, List<String> outputs) {

        static Node parse(byte[] payload) {
            String opType = "";
            List<String> inputs = new ArrayList<>();
            List<String> outputs = new ArrayList<>();
            for (OnnxWire.Field f : OnnxWire.fields(payload)) {
                switch (f.number()) {
                    case 1 -> inputs.add(f.text());
                    case 2 -> outputs.add(f.text());
                    case 4 -> opType = f.text();
                    default -> { }
                }
            }
            return new Node(payload, opType, inputs, outputs);
        }

        /** This node with another operator type (same domain, inputs, outputs and attributes). */
        Node withOpType(String type) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (OnnxWire.Field f : OnnxWire.fields(raw)) {
                write(out, f.number() == 4 ? string(4, type) : f.raw());
            }
            return new Node(out.toByteArray(), type, inputs, outputs);
        }

        /** The float attribute {@code name}. */
        float floatAttribute(String name) {
            for (OnnxWire.Field f : OnnxWire.fields(raw)) {
                if (f.number() != 5) {
                    continue;
                }
                List<OnnxWire.Field> attribute = OnnxWire.fields(f.payload());
                boolean named = attribute.stream().anyMatch(a -> a.number() == 1 && a.text().equals(name));
                for (OnnxWire.Field a : attribute) {
                    if (named && a.number() == 2 && a.wireType() == 5) {
                        byte[] r = a.raw();
                        return ByteBuffer.wrap(r, r.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
                    }
                }
            }
            throw new IllegalStateException(opType + " has no attribute " + name);
        }

        static Node create(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                byte[]... attributes) {
            List<byte[]> parts = new ArrayList<>();
            inputs.forEach(i -> parts.add(string(1, i)));
            outputs.forEach(o -> parts.add(string(2, o)));
            parts.add(string(3, name));
            parts.add(string(4, opType));
            for (byte[] attribute : attributes) {
                parts.add(lengthDelimited(5, attribute));
            }
            if (!domain.isEmpty()) {
                parts.add(string(7, domain));
            }
            return new Node(message(parts.toArray(byte[][]::new)), opType, inputs, outputs);
        }
    }

    private static byte[] intAttribute(String name, long value) {
        return message(string(1, name), varint(3, value), varint(20, ATTRIBUTE_INT));
    }

    private static byte[] floatAttribute(String name, float value) {
        byte[] f = ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN).put((byte) ((2 << 3) | 5)).putFloat(value).array();
        return message(string(1, name), f, varint(20, ATTRIBUTE_FLOAT));
    }

    /** A tensor's name, type, shape and values as little-endian bytes, whichever field the file keeps them in. */
    private record Tensor(String name, int type, long[] dims, byte[] data) {

        static Tensor parse(byte[] payload) {
            String name = "";
            int type = 0;
            List<Long> dims = new ArrayList<>();
            byte[] raw = null;
            ByteArrayOutputStream typed = new ByteArrayOutputStream();
            List<OnnxWire.Field> fields = OnnxWire.fields(payload);
            for (OnnxWire.Field f : fields) {
                if (f.number() == 2) {
                    type = (int) f.value();
                }
            }
            for (OnnxWire.Field f : fields) {
                switch (f.number()) {
                    case 1 -> dims.addAll(OnnxWire.varints(List.of(f), 1));
                    case 8 -> name = f.text();
                    case 9 -> raw = f.payload();
                    case 4 -> { // float_data: packed, or one fixed32 per field
                        byte[] r = f.wireType() == 2 ? f.payload() : java.util.Arrays.copyOfRange(f.raw(), f.raw().length - 4, f.raw().length);
                        typed.write(r, 0, r.length);
                    }
                    case 5, 7 -> { // int32_data (int8 values among them) and int64_data: varints
                        int size = f.number() == 7 ? 8 : elementSize(type);
                        for (long v : OnnxWire.varints(List.of(f), f.number())) {
                            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
                            typed.write(b.array(), 0, size);
                        }
                    }
                    default -> { }
                }
            }
            return new Tensor(name, type, dims.stream().mapToLong(Long::longValue).toArray(),
                    raw != null ? raw : typed.toByteArray());
        }

        byte[] wire() {
            List<byte[]> parts = new ArrayList<>();
            for (long d : dims) {
                parts.add(varint(1, d));
            }
            parts.add(varint(2, type));
            parts.add(string(8, name));
            parts.add(lengthDelimited(9, data));
            return message(parts.toArray(byte[][]::new));
        }

        long value(int index) {
            return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getLong(index * 8);
        }
    }

    private static int elementSize(int type) {
        return switch (type) {
            case FLOAT, INT32 -> 4;
            case INT64 -> 8;
            case INT8, 2 -> 1;
            default -> throw new IllegalStateException("Tensor type " + type + " is not expected in the encoder graph");
        };
    }

    /** Columns {@code [K, N_i]} side by side: {@code [K, sum N_i]} (row-major), for weights of {@code width} bytes. */
    private static byte[] sideBySide(List<Tensor> matrices, int width) {
        int rows = (int) matrices.get(0).dims()[0];
        int total = matrices.stream().mapToInt(t -> (int) t.dims()[1]).sum();
        byte[] out = new byte[rows * total * width];
        int offset = 0;
        for (Tensor t : matrices) {
            int columns = (int) t.dims()[1];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(t.data(), r * columns * width, out, (r * total + offset) * width, columns * width);
            }
            offset += columns;
        }
        return out;
    }

    private static byte[] concatenated(List<Tensor> vectors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        vectors.forEach(v -> write(out, v.data()));
        return out.toByteArray();
    }

    /** The graph being rewritten. */
    private static final class Graph {
        private final List<OnnxWire.Field> other = new ArrayList<>();
        private final List<Node> nodes = new ArrayList<>();
        private final Map<String, byte[]> initializerWire = new LinkedHashMap<>();
        private final Map<String, Node> producer = new HashMap<>();
        private final Map<String, List<Node>> consumers = new HashMap<>();
        private final Set<String> graphOutputs = new HashSet<>();
        private final Map<Node, List<Node>> replacements = new IdentityHashMap<>();
        private final Set<Node> removed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        private final List<Tensor> added = new ArrayList<>();

        Graph(byte[] payload) {
            for (OnnxWire.Field f : OnnxWire.fields(payload)) {
                switch (f.number()) {
                    case 1 -> nodes.add(Node.parse(f.payload()));
                    case 5 -> initializerWire.put(OnnxWire.nameOf(f.payload(), 8), f.payload());
                    default -> {
                        if (f.number() == 12) {
                            graphOutputs.add(OnnxWire.nameOf(f.payload(), 1));
                        }
                        other.add(f);
                    }
                }
            }
            for (Node n : nodes) {
                n.outputs().forEach(o -> producer.put(o, n));
                n.inputs().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n));
            }
        }

        private Node producer(String tensor) {
            Node n = producer.get(tensor);
            if (n == null) {
                throw new IllegalStateException("The encoder graph has no tensor " + tensor
                        + ": model.graph=fused needs a BERT-style per-channel int8 export (the catalogue's -q encoders); "
                        + "set model.graph=packaged");
            }
            return n;
        }

        private Tensor initializer(String name) {
            byte[] wire = initializerWire.get(name);
            if (wire == null) {
                throw new IllegalStateException("The encoder graph has no weight " + name + " where model.graph=fused "
                        + "expects one; set model.graph=packaged");
            }
            return Tensor.parse(wire);
        }

        private String constantInput(Node add) {
            return add.inputs().stream().filter(initializerWire::containsKey).findFirst().orElseThrow(
                    () -> new IllegalStateException("No bias on " + add.outputs()));
        }

        private String addTensor(String name, int type, long[] dims, byte[] data) {
            added.add(new Tensor(name, type, dims, data));
            return name;
        }

        byte[] fused() {
            int layers = 0;
            while (producer.containsKey(layer(layers) + "attention/self/query/MatMul_output_0")) {
                fuseLayer(layers++);
            }
            if (layers == 0) {
                producer(layer(0) + "attention/self/query/MatMul_output_0"); // throws, naming the setting
            }
            for (Node n : nodes) {
                if (n.opType().equals("BiasGelu")) {
                    replacements.put(n, List.of(n.withOpType("FastGelu")));
                }
            }
            return serialized();
        }

        private static String layer(int index) {
            return "/encoder/layer." + index + "/";
        }

        private void fuseLayer(int index) {
            String p = layer(index);
            List<Tensor> weights = new ArrayList<>();
            List<Tensor> scales = new ArrayList<>();
            List<Tensor> zeroPoints = new ArrayList<>();
            List<Tensor> biases = new ArrayList<>();
            List<String> quantizedInput = null;
            for (String projection : List.of("query", "key", "value")) {
                Node product = producer(p + "attention/self/" + projection + "/MatMul_output_0");
                if (!product.opType().equals("MatMulIntegerToFloat") || product.inputs().size() < 6) {
                    throw new IllegalStateException("The " + projection + " projection of layer " + index + " is "
                            + product.opType() + ", not an int8 product: model.graph=fused needs a per-channel int8 "
                            + "encoder (the catalogue's -q encoders); set model.graph=packaged");
                }
                // MatMulIntegerToFloat(A, B, a_scale, b_scale, a_zero_point, b_zero_point)
                List<String> in = product.inputs();
                if (quantizedInput == null) {
                    quantizedInput = List.of(in.get(0), in.get(2), in.get(4));
                }
                weights.add(initializer(in.get(1)));
                scales.add(initializer(in.get(3)));
                zeroPoints.add(initializer(in.get(5)));
                biases.add(initializer(constantInput(producer(p + "attention/self/" + projection + "/Add_output_0"))));
            }
            Node queryShape = producer(p + "attention/self/Reshape_2_output_0");
            long heads = initializer(queryShape.inputs().get(1)).value(2);
            long rows = weights.get(0).dims()[0];
            long columns = weights.stream().mapToLong(t -> t.dims()[1]).sum();
            String context = p + "attention/self/Reshape_3_output_0";
            Node attention = Node.create(p + "QAttention", "QAttention", MICROSOFT, List.of(
                    quantizedInput.get(0),
                    addTensor(p + "qkv.weight", INT8, new long[] {rows, columns}, sideBySide(weights, 1)),
                    addTensor(p + "qkv.bias", FLOAT, new long[] {columns}, concatenated(biases)),
                    quantizedInput.get(1),
                    addTensor(p + "qkv.weight_scale", FLOAT, new long[] {columns}, concatenated(scales)),
                    MASK,
                    quantizedInput.get(2),
                    addTensor(p + "qkv.weight_zero_point", INT8, new long[] {columns}, concatenated(zeroPoints))),
                    List.of(context), intAttribute("num_heads", heads));
            List<Node> block = nodes.stream()
                    .filter(n -> n.outputs().stream().anyMatch(o -> o.startsWith(p + "attention/self/"))).toList();
            removed.addAll(block);
            List<Node> inPlace = new ArrayList<>();
            if (index == 0) {
                inPlace.add(Node.create(MASK, "Cast", "", List.of("attention_mask"), List.of(MASK),
                        intAttribute("to", INT32)));
            }
            inPlace.add(attention);
            replacements.put(producer(context), inPlace);
            skipLayerNorm(p + "attention/output/dense/", p + "attention/output/Add_output_0");
            skipLayerNorm(p + "output/dense/", p + "output/Add_output_0");
        }

        /** Bias add, residual add and layer norm after the dense product at {@code dense}: one SkipLayerNormalization. */
        private void skipLayerNorm(String dense, String residualSum) {
            Node biasAdd = producer(dense + "Add_output_0");
            Node residualAdd = producer(residualSum);
            Node norm = consumers.getOrDefault(residualSum, List.of()).stream()
                    .filter(n -> n.opType().equals("LayerNormalization")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No layer norm after " + residualSum
                            + "; set model.graph=packaged"));
            String residual = residualAdd.inputs().stream().filter(i -> !i.equals(dense + "Add_output_0")).findFirst()
                    .orElseThrow();
            Node skip = Node.create(norm.outputs().get(0) + "/SkipLayerNorm", "SkipLayerNormalization", MICROSOFT,
                    List.of(dense + "MatMul_output_0", residual, norm.inputs().get(1), norm.inputs().get(2),
                            constantInput(biasAdd)),
                    List.of(norm.outputs().get(0)), floatAttribute("epsilon", norm.floatAttribute("epsilon")));
            removed.add(biasAdd);
            removed.add(residualAdd);
            removed.add(norm);
            replacements.put(norm, List.of(skip));
        }

        private byte[] serialized() {
            List<Node> result = new ArrayList<>();
            for (Node n : nodes) {
                if (replacements.containsKey(n)) {
                    result.addAll(replacements.get(n));
                } else if (!removed.contains(n)) {
                    result.add(n);
                }
            }
            result = live(result);
            Set<String> used = new HashSet<>();
            result.forEach(n -> used.addAll(n.inputs()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Node n : result) {
                write(out, lengthDelimited(1, n.raw()));
            }
            initializerWire.forEach((name, wire) -> {
                if (used.contains(name)) {
                    write(out, lengthDelimited(5, wire));
                }
            });
            for (Tensor t : added) {
                write(out, lengthDelimited(5, t.wire()));
            }
            for (OnnxWire.Field f : other) {
                if (f.number() != 13) { // value_info: shapes of tensors that may be gone; ONNX Runtime infers them
                    write(out, f.raw());
                }
            }
            return out.toByteArray();
        }

        /** The nodes the graph's outputs need (the old mask arithmetic, now unused, goes). */
        private List<Node> live(List<Node> candidates) {
            Map<String, Node> made = new HashMap<>();
            candidates.forEach(n -> n.outputs().forEach(o -> made.put(o, n)));
            Set<Node> keep = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            List<String> wanted = new ArrayList<>(graphOutputs);
            while (!wanted.isEmpty()) {
                Node n = made.get(wanted.remove(wanted.size() - 1));
                if (n != null && keep.add(n)) {
                    wanted.addAll(n.inputs());
                }
            }
            return candidates.stream().filter(keep::contains).toList();
        }
    }

    /** How many nodes of each operator type {@code model} has (tests and the benchmark say what the graph is). */
    static Map<String, Integer> operatorCounts(byte[] model) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (OnnxWire.Field field : OnnxWire.fields(model)) {
            if (field.number() == MODEL_GRAPH) {
                for (OnnxWire.Field f : OnnxWire.fields(field.payload())) {
                    if (f.number() == 1) {
                        counts.merge(Node.parse(f.payload()).opType(), 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }
}
