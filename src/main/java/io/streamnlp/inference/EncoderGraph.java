package io.streamnlp.inference;

import java.util.Locale;

/** Which graph of an encoder runs ({@code model.graph}). */
public enum EncoderGraph {
    /** The ONNX file as the encoder's artifact ships it, optimized by ONNX Runtime when the session starts. */
    PACKAGED("packaged"),
    /**
     * The same int8 weights with fused attention, skip-layer-norms and FastGelu ({@link AttentionFusion}): faster
     * on the CPU, outputs a little different (its own fingerprint); catalogue {@code -q} encoders only.
     */
    FUSED("fused");

    private final String settingName;

    EncoderGraph(String settingName) {
        this.settingName = settingName;
    }

    /** The value of {@code model.graph}. */
    public String settingName() {
        return settingName;
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
