package io.streamnlp.inference;

import static io.streamnlp.inference.OnnxWire.FLOAT;
import static io.streamnlp.inference.OnnxWire.GRAPH_OUTPUT;
import static io.streamnlp.inference.OnnxWire.lengthDelimited;
import static io.streamnlp.inference.OnnxWire.message;
import static io.streamnlp.inference.OnnxWire.string;
import static io.streamnlp.inference.OnnxWire.varint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes a tensor the graph computes anyway into one more graph output, so that a head can read an
 * intermediate layer's hidden states from the same forward pass. Nothing else of the graph changes:
 * the existing outputs stay bit-identical (EncoderIntermediateLayerTest) and the session does the
 * same work.
 */
final class GraphOutputs {

    private GraphOutputs() {}

    /** {@code model} (an ONNX file's bytes) with the float tensor {@code tensor} appended to the graph's outputs. */
    static byte[] withOutput(byte[] model, String tensor) {
        if (!has(model, tensor)) {
            throw new IllegalArgumentException("The encoder graph has no tensor named '" + tensor + "'");
        }
        // ValueInfoProto { name = 1, type = 2: TypeProto { tensor_type = 1: Tensor { elem_type = 1 } } }; no shape:
        // ONNX Runtime takes the tensor's shape from the node that computes it.
        byte[] output = message(string(1, tensor), lengthDelimited(2, message(lengthDelimited(1, varint(1, FLOAT)))));
        return OnnxWire.withGraph(model, graph -> message(graph, lengthDelimited(GRAPH_OUTPUT, output)));
    }

    /** Whether the ONNX file {@code graph} names a tensor {@code tensor}. */
    static boolean has(Path graph, String tensor) {
        try {
            return has(Files.readAllBytes(graph), tensor);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + graph, e);
        }
    }

    private static boolean has(byte[] model, String tensor) {
        byte[] name = tensor.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + name.length <= model.length; i++) {
            for (int j = 0; j < name.length; j++) {
                if (model[i + j] != name[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
