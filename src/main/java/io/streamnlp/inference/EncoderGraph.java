package io.streamnlp.inference;

import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** Which graph of an encoder runs ({@code model.graph}). */
public enum EncoderGraph {
    /** The ONNX file as the encoder's artifact ships it, optimized by ONNX Runtime when the session starts. */
    PACKAGED("packaged"),
    /**
     * The same int8 weights with fused attention, skip-layer-norms and FastGelu ({@link AttentionFusion}): faster
     * on the CPU, outputs a little different (its own fingerprint); catalogue {@code -q} encoders only.
     */
    FUSED("fused");

    /** How the catalogue names its int8 encoders. */
    private static final String INT8_SUFFIX = "-q";

    private final String settingName;

    EncoderGraph(String settingName) {
        this.settingName = settingName;
    }

    /** The value of {@code model.graph}. */
    public String settingName() {
        return settingName;
    }

    /**
     * Whether this graph exists for {@code spec}: the packaged one for every encoder, the fused one for the catalogue's
     * int8 ({@code -q}) encoders only, whose quantized layout {@link AttentionFusion} knows. The one rule the app's
     * start, {@code train}/{@code evaluate --model-graph} and the bench row share.
     */
    public boolean runsOn(EncoderSpec spec) {
        return this == PACKAGED || (!spec.custom() && spec.name().endsWith(INT8_SUFFIX));
    }

    /**
     * What {@code model.graph=auto} runs where nothing ties the start to a graph (a new output prefix, no classifier
     * trained on the packaged graph): the fused graph where {@code spec} has one, else the packaged graph.
     */
    public static EncoderGraph onNewPrefix(EncoderSpec spec) {
        return FUSED.runsOn(spec) ? FUSED : PACKAGED;
    }

    /** The encoders the fused graph runs on, for error messages: "minilm-l6-q, bge-small-q, e5-small-q". */
    public static String fusableEncoders() {
        return StreamSupport.stream(ModelCatalogue.inOrder().spliterator(), false)
                .filter(FUSED::runsOn)
                .map(EncoderSpec::name)
                .collect(Collectors.joining(", "));
    }

    /** The graph named {@code name} (any case). */
    public static EncoderGraph of(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (EncoderGraph graph : values()) {
            if (graph.settingName.equals(wanted)) {
                return graph;
            }
        }
        throw new IllegalArgumentException("model.graph must be packaged or fused, got '" + name + "'");
    }
}
