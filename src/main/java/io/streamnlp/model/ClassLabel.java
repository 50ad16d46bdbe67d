package io.streamnlp.model;

import java.util.Map;

/**
 * One classifier head's answer for one text (a head trained on the user's own labels).
 *
 * @param label the most probable of the head's labels
 * @param probabilities every label of the head with its probability, in the head's label order (they sum to 1)
 * @param headVersion the version of the head's weights, e.g. {@code classifier-tickets-v1-3fa2b1c0}
 */
public record ClassLabel(String label, Map<String, Float> probabilities, String headVersion) {

    public ClassLabel {
        probabilities = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(probabilities));
    }
}
