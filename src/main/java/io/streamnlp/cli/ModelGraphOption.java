package io.streamnlp.cli;

import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.ModelCatalogue;
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
        if (graph == EncoderGraph.PACKAGED) {
            return null;
        }
        boolean runs;
        try {
            runs = modelPath == null && graph.runsOn(ModelCatalogue.byName(model));
        } catch (IllegalArgumentException unknownModel) {
            return unknownModel.getMessage();
        }
        if (!runs) {
            return "--model-graph " + graph.settingName() + " runs only on the catalogue's int8 encoders ("
                    + EncoderGraph.fusableEncoders() + "), not on " + (modelPath != null ? "--model-path " + modelPath : model);
        }
        return null;
    }
}
