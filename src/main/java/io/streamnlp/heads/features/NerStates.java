package io.streamnlp.heads.features;

import io.streamnlp.inference.EncodedText;
import java.util.Locale;

/**
 * Which of the encoder's layers the NER head reads: the last layer alone (release 1 and 2), or the
 * mean of the last and an intermediate layer (release 3), which the same forward pass computes
 * anyway. A head file names its choice (meta {@code states}; absent: {@link #LAST}), and training
 * and serving both take the states from here, so they see the same numbers.
 */
public enum NerStates {
    /** last_hidden_state. */
    LAST("last"),
    /** (last_hidden_state + the intermediate layer's states) / 2, element by element. */
    MEAN_OF_LAST_AND_INTERMEDIATE("mean-last-intermediate");

    private final String settingName;

    NerStates(String settingName) {
        this.settingName = settingName;
    }

    /** The value in a head file's {@code states} and in {@code train --ner-states}. */
    public String settingName() {
        return settingName;
    }

    /** Whether the encoder must expose an intermediate layer ({@code EncoderSpec.intermediateOutput}). */
    public boolean needsIntermediate() {
        return this != LAST;
    }

    /** The token states of {@code encoded} that the head reads, flat {@code [tokens x dim]}. */
    public float[] of(EncodedText encoded) {
        float[] last = encoded.tokenStates();
        float[] middle = intermediateOf(encoded);
        if (middle == null) {
            return last;
        }
        float[] mixed = new float[last.length];
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = mix(last[i], middle[i]);
        }
        return mixed;
    }

    /**
     * The states to mix with the last layer's, element by element ({@link #mix}), or null where the last
     * layer's are read as they are: for {@link #LAST}, and where one array stands for both layers (the
     * mix already, as the training feature cache keeps it).
     */
    float[] intermediateOf(EncodedText encoded) {
        if (this == LAST) {
            return null;
        }
        float[] middle = encoded.intermediateStates();
        if (middle == null) {
            throw new IllegalArgumentException("The NER head reads an intermediate layer; this encoder output has none");
        }
        return middle == encoded.tokenStates() ? null : middle;
    }

    /** One element of the mix: the one formula training ({@link #of}) and serving (NerFeatures) share. */
    static float mix(float last, float middle) {
        return (last + middle) * 0.5f;
    }

    /** The choice named {@code name} (any case). */
    public static NerStates of(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (NerStates states : values()) {
            if (states.settingName.equals(wanted)) {
                return states;
            }
        }
        throw new IllegalArgumentException("NER states must be last or mean-last-intermediate, got '" + name + "'");
    }
}
