package io.streamnlp.inference;

/**
 * One encoder of the catalogue: where its files are on the classpath and how to use its output.
 *
 * @param name the name users select it by ({@code model.name})
 * @param version the version travelling on every record: the Maven artifact version the files ship in
 * @param onnxResource classpath resource of the ONNX graph
 * @param tokenizerResource classpath resource of the HuggingFace tokenizer.json
 * @param pooling how token states become a sentence vector
 * @param textPrefix prefix the model was trained to see before the text ("" for none); e5 expects
 *     "query: " for classification and similarity use
 * @param dimension hidden size of last_hidden_state
 * @param description one line for the docs and the CLI
 */
public record EncoderSpec(
        String name,
        String version,
        String onnxResource,
        String tokenizerResource,
        Pooling pooling,
        String textPrefix,
        int dimension,
        String description) {}
