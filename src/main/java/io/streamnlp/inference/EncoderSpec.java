package io.streamnlp.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * One encoder: where its files are (on the classpath for the catalogue, in a directory for a custom
 * model, see {@link CustomModel}) and how to use its output.
 *
 * @param name the name users select it by ({@code model.name})
 * @param version the version travelling on every record: the Maven artifact version the files ship in
 * @param onnxResource classpath resource of the ONNX graph, or its file name in {@code directory}
 * @param tokenizerResource classpath resource of the HuggingFace tokenizer.json, or its file name in
 *     {@code directory}
 * @param pooling how token states become a sentence vector
 * @param textPrefix prefix the model was trained to see before the text ("" for none); e5 expects
 *     "query: " for classification and similarity use
 * @param dimension hidden size of last_hidden_state
 * @param description one line for the docs and the CLI
 * @param directory where the files are for a custom model ({@code model.path}); null: the classpath
 * @param maxLength the most tokens the model takes (its learned positions); {@code model.max.length}
 *     may not be more
 * @param intermediateOutput the name of a tensor in the graph holding one intermediate layer's hidden
 *     states, exposed as a second output for the NER head to mix in; null: none
 */
public record EncoderSpec(
        String name,
        String version,
        String onnxResource,
        String tokenizerResource,
        Pooling pooling,
        String textPrefix,
        int dimension,
        String description,
        Path directory,
        int maxLength,
        String intermediateOutput) {

    /** A catalogue encoder: files on the classpath, BERT's 512 positions. */
    public EncoderSpec(String name, String version, String onnxResource, String tokenizerResource, Pooling pooling,
            String textPrefix, int dimension, String description) {
        this(name, version, onnxResource, tokenizerResource, pooling, textPrefix, dimension, description, null,
                TextTokenizer.HARD_MAX_LENGTH, null);
    }

    /** This encoder with {@code tensor} (an intermediate layer's hidden states) as its second output. */
    public EncoderSpec withIntermediateOutput(String tensor) {
        return new EncoderSpec(name, version, onnxResource, tokenizerResource, pooling, textPrefix, dimension,
                description, directory, maxLength, tensor);
    }

    /** Whether it is a custom model from a directory. */
    public boolean custom() {
        return directory != null;
    }

    /** The ONNX graph's bytes, from the classpath or the model's directory (the benchmark reads its weights' shapes). */
    public InputStream openGraph() throws IOException {
        return ModelResources.open(this, onnxResource());
    }
}
