package io.streamnlp.cli;

import io.streamnlp.inference.EncoderGraph;
import java.nio.file.Path;

/** {@code --model-graph} of {@code train} and {@code evaluate}: the values {@code model.graph} takes, checked alike. */
final class ModelGraphOption {

    private ModelGraphOption() {}

    /** Why {@code value} cannot run on the encoder {@code model} (or {@code modelPath}), or null when it can. */
    static String problem(String value, String model, Path modelPath) {
        EncoderGraph graph;
        try {
            graph = EncoderGraph.of(value);
        } catch (IllegalArgumentException e) {
            return "--model-graph must be packaged or fused, got '" + value + "'";
        }
        if (graph == EncoderGraph.FUSED && (modelPath != null || model == null || !model.endsWith("-q"))) {
            return "--model-graph fused runs only on the catalogue's int8 encoders (e5-small-q, bge-small-q, minilm-l6-q), not on "
                    + (modelPath != null ? "--model-path " + modelPath : model);
        }
        return null;
    }
}
