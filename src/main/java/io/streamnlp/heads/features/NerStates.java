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
        if (this == LAST) {
            return encoded.tokenStates();
        }
        float[] last = encoded.tokenStates();
        float[] middle = encoded.intermediateStates();
        if (middle == null) {
            throw new IllegalArgumentException("The NER head reads an intermediate layer; this encoder output has none");
        }
        if (middle == last) {
            return last; // one array as both layers: already the mix (what the training feature cache keeps)
        }
        float[] mixed = new float[last.length];
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = (last[i] + middle[i]) * 0.5f;
        }
        return mixed;
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
