package io.streamnlp.inference;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The encoders StreamNLP ships. Each one's files come from a langchain4j embeddings jar on the
 * classpath, used only as a container of one .onnx file and one tokenizer.json; versions must match
 * the pom's so the version on the records names the exact files.
 */
public final class ModelCatalogue {

    /** The encoder used when {@code model.name} is not set. */
    public static final String DEFAULT_MODEL = "e5-small-q";

    private static final int HIDDEN = 384;

    private static final SequencedMap<String, EncoderSpec> MODELS = new LinkedHashMap<>();

    static {
        add(new EncoderSpec("minilm-l6-q", "all-MiniLM-L6-v2-int8/1.19.0-beta29",
                "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json",
                Pooling.MEAN, "", HIDDEN, "sentence-transformers/all-MiniLM-L6-v2, 6 layers, int8")
                .withIntermediateOutput(bertLayerOutput(3)));
        add(new EncoderSpec("minilm-l6", "all-MiniLM-L6-v2/1.19.0-beta29",
                "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json",
                Pooling.MEAN, "", HIDDEN, "sentence-transformers/all-MiniLM-L6-v2, 6 layers, fp32")
                .withIntermediateOutput(bertLayerOutput(3)));
        add(new EncoderSpec("bge-small-q", "bge-small-en-v1.5-int8/1.11.0-beta19",
                "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json",
                Pooling.CLS, "", HIDDEN, "BAAI/bge-small-en-v1.5, 12 layers, int8")
                .withIntermediateOutput(bertLayerOutput(7)));
        add(new EncoderSpec("e5-small-q", "e5-small-v2-int8/0.36.2",
                "e5-small-v2-q.onnx", "e5-small-v2-q-tokenizer.json",
                Pooling.MEAN, "query: ", HIDDEN, "intfloat/e5-small-v2, 12 layers, int8")
                .withIntermediateOutput(bertLayerOutput(7)));
    }

    private ModelCatalogue() {}

    /**
     * The hidden states after layer {@code index} (0-based) of a BERT-family graph exported by Hugging
     * Face Optimum (all four here): the output of that layer's last LayerNorm. Two thirds of the way up
     * (layer 8 of 12, layer 4 of 6) it still carries what the last layer has traded away for sentence
     * similarity, such as casing and word identity: mixed in, every encoder's NER head gained on every
     * held-out set (the model card's "Layer mix").
     */
    static String bertLayerOutput(int index) {
        return "/encoder/layer." + index + "/output/LayerNorm/Add_1_output_0";
    }

    private static void add(EncoderSpec spec) {
        MODELS.put(spec.name(), spec);
    }

    /** The spec of a named encoder, or an error that lists the valid names. */
    public static EncoderSpec byName(String name) {
        EncoderSpec spec = MODELS.get(name);
        if (spec == null) {
            throw new IllegalArgumentException(
                    "Unknown model '" + name + "'. Known models: " + String.join(", ", MODELS.keySet()));
        }
        return spec;
    }

    /** All encoders, default first. */
    public static Map<String, EncoderSpec> all() {
        return Map.copyOf(MODELS);
    }

    public static Iterable<EncoderSpec> inOrder() {
        return MODELS.sequencedValues();
    }
}
