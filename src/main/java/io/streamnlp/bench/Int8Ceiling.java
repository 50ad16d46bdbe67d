package io.streamnlp.bench;

import static io.streamnlp.inference.OnnxWire.lengthDelimited;
import static io.streamnlp.inference.OnnxWire.message;
import static io.streamnlp.inference.OnnxWire.string;
import static io.streamnlp.inference.OnnxWire.varint;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.OnnxWire;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * How fast the encoder's arithmetic could go on this CPU: the multiply-adds per token of the
 * encoder's int8 weight matrices (read from its graph), and the machine's int8 ceiling, measured as
 * ONNX Runtime's own {@code MatMulInteger} on one transformer layer's weight shapes (uint8 activations
 * times int8 weights, as dynamically quantized encoders run them), with the encoder's session options.
 * Their quotient says how much of the ceiling the encoder reaches, i.e. how much room a faster graph
 * could find.
 */
final class Int8Ceiling {

    /** Ops whose second input is a weight matrix applied once per token. */
    private static final Set<String> INT8_MATMULS = Set.of("MatMulInteger", "DynamicQuantizeMatMul", "MatMulIntegerToFloat",
            "QLinearMatMul");

    /** The encoder's weight matrices: multiply-adds per token in int8 and in float matrices. */
    record Weights(long int8MacsPerToken, long floatMacsPerToken, int int8Matrices) {}

    /** The ceiling: G multiply-adds per second of MatMulInteger on {@code rows} x one layer's shapes. */
    record Ceiling(double gmacPerSecond, int rows, int threads, int hidden) {}

    private Int8Ceiling() {}

    /** Sums K x N over the 2-D weight initializers of the graph's (integer or float) matrix products. */
    static Weights weightsOf(EncoderSpec spec) throws IOException {
        byte[] model;
        try (InputStream in = spec.openGraph()) {
            model = in.readAllBytes();
        }
        OnnxWire.Field graph = OnnxWire.fields(model).stream().filter(f -> f.number() == 7 && f.wireType() == 2)
                .findFirst().orElseThrow(() -> new IOException(spec.onnxResource() + " has no graph"));
        Set<String> int8Weights = new HashSet<>();
        Set<String> floatWeights = new HashSet<>();
        Map<String, Long> matrixSizes = new HashMap<>();
        for (OnnxWire.Field field : OnnxWire.fields(graph.payload())) {
            if ((field.number() != 1 && field.number() != 5) || field.wireType() != 2) {
                continue; // only nodes and initializers are messages we read
            }
            List<OnnxWire.Field> parts = OnnxWire.fields(field.payload());
            if (field.number() == 1) { // NodeProto: input = 1, op_type = 4
                List<String> inputs = parts.stream().filter(p -> p.number() == 1).map(OnnxWire.Field::text).toList();
                String op = parts.stream().filter(p -> p.number() == 4).map(OnnxWire.Field::text).findFirst().orElse("");
                if (inputs.size() > 1 && INT8_MATMULS.contains(op)) {
                    int8Weights.add(inputs.get(op.equals("QLinearMatMul") ? 3 : 1));
                } else if (inputs.size() > 1 && (op.equals("MatMul") || op.equals("Gemm"))) {
                    floatWeights.add(inputs.get(1));
                }
            } else { // TensorProto: dims = 1, name = 8
                List<Long> dims = OnnxWire.varints(parts, 1);
                String name = parts.stream().filter(p -> p.number() == 8).map(OnnxWire.Field::text).findFirst().orElse("");
                if (dims.size() == 2) {
                    matrixSizes.put(name, dims.get(0) * dims.get(1));
                }
            }
        }
        long int8 = int8Weights.stream().mapToLong(n -> matrixSizes.getOrDefault(n, 0L)).sum();
        long fp = floatWeights.stream().mapToLong(n -> matrixSizes.getOrDefault(n, 0L)).sum();
        int matrices = (int) int8Weights.stream().filter(matrixSizes::containsKey).count();
        return new Weights(int8, fp, matrices);
    }

    /**
     * Runs one layer's six weight products (four {@code hidden x hidden}, {@code hidden x 4 hidden},
     * {@code 4 hidden x hidden}) on {@code rows} token rows for about {@code seconds}, after a warm-up.
     */
    static Ceiling measure(int hidden, int rows, int threads, double seconds) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int ff = 4 * hidden;
        try (OrtSession.SessionOptions options = Encoder.sessionOptions(threads);
                OrtSession session = env.createSession(layerGraph(hidden, ff), options);
                OnnxTensor narrow = uint8(env, rows, hidden);
                OnnxTensor wide = uint8(env, rows, ff)) {
            Map<String, OnnxTensor> inputs = Map.of("a", narrow, "b", wide);
            long macsPerRun = (long) rows * (4L * hidden * hidden + 2L * hidden * ff);
            for (int i = 0; i < 5; i++) {
                session.run(inputs).close();
            }
            long runs = 0;
            long started = System.nanoTime();
            long deadline = started + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                session.run(inputs).close();
                runs++;
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            return new Ceiling(runs * macsPerRun / elapsed / 1e9, rows, threads, hidden);
        }
    }

    private static OnnxTensor uint8(OrtEnvironment env, int rows, int columns) throws OrtException {
        byte[] values = new byte[rows * columns];
        new Random(1).nextBytes(values);
        ByteBuffer buffer = ByteBuffer.allocateDirect(values.length).put(values).flip();
        return OnnxTensor.createTensor(env, buffer, new long[] {rows, columns}, OnnxJavaType.UINT8);
    }

    /**
     * The ONNX model (IR 8, opset 13): inputs {@code a} uint8 [rows, hidden] and {@code b} uint8
     * [rows, ff]; six int8 weight initializers; six MatMulInteger nodes, each an int32 output.
     */
    static byte[] layerGraph(int hidden, int ff) {
        int[][] shapes = {{hidden, hidden}, {hidden, hidden}, {hidden, hidden}, {hidden, hidden}, {hidden, ff}, {ff, hidden}};
        List<byte[]> graph = new ArrayList<>();
        Random random = new Random(2);
        for (int i = 0; i < shapes.length; i++) {
            String weight = "w" + i;
            graph.add(lengthDelimited(1, message(string(1, shapes[i][0] == hidden ? "a" : "b"), string(1, weight),
                    string(2, "y" + i), string(3, "matmul" + i), string(4, "MatMulInteger"))));
            byte[] values = new byte[shapes[i][0] * shapes[i][1]];
            random.nextBytes(values);
            graph.add(lengthDelimited(5, message(varint(1, shapes[i][0]), varint(1, shapes[i][1]),
                    varint(2, 3 /* INT8 */), string(8, weight), lengthDelimited(9, values))));
        }
        graph.add(string(2, "int8-ceiling"));
        graph.add(lengthDelimited(11, valueInfo("a", 2 /* UINT8 */, "rows", hidden)));
        graph.add(lengthDelimited(11, valueInfo("b", 2, "rows", ff)));
        for (int i = 0; i < shapes.length; i++) {
            graph.add(lengthDelimited(12, valueInfo("y" + i, 6 /* INT32 */, "rows", shapes[i][1])));
        }
        return message(varint(1, 8), string(2, "streamnlp-bench"),
                lengthDelimited(8, message(string(1, ""), varint(2, 13))),
                lengthDelimited(7, message(graph.toArray(byte[][]::new))));
    }

    /** ValueInfoProto { name = 1, type = 2: TypeProto { tensor_type = 1: { elem_type = 1, shape = 2: [rows, columns] } } }. */
    private static byte[] valueInfo(String name, int elementType, String rows, long columns) {
        byte[] shape = message(lengthDelimited(1, string(2, rows)), lengthDelimited(1, varint(1, columns)));
        byte[] tensor = message(varint(1, elementType), lengthDelimited(2, shape));
        return message(string(1, name), lengthDelimited(2, lengthDelimited(1, tensor)));
    }
}
