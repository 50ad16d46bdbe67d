package io.streamnlp.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The topics StreamNLP writes: one per selected output kind ({@code <prefix>.<kind>}), the dead letters
 * ({@code <prefix>.dlq}, always).
 *
 * @param prefix {@code output.topic.prefix}
 * @param selected the outputs written ({@code outputs}); never empty
 */
public record OutputTopics(String prefix, Set<OutputKind> selected) {

    public OutputTopics {
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("At least one output must be selected");
        }
        selected = Collections.unmodifiableSet(EnumSet.copyOf(selected));
    }

    /** The default outputs of the prefix selected (all but labels, which needs classifiers). */
    public static OutputTopics withPrefix(String prefix) {
        return new OutputTopics(prefix, EnumSet.complementOf(EnumSet.of(OutputKind.LABELS)));
    }

    public boolean has(OutputKind kind) {
        return selected.contains(kind);
    }

    public String topic(OutputKind kind) {
        return prefix + "." + kind.settingName();
    }

    public String embeddings() {
        return topic(OutputKind.EMBEDDINGS);
    }

    public String sentiment() {
        return topic(OutputKind.SENTIMENT);
    }

    public String entities() {
        return topic(OutputKind.ENTITIES);
    }

    public String labels() {
        return topic(OutputKind.LABELS);
    }

    public String deadLetters() {
        return prefix + ".dlq";
    }

    /**
     * The compacted topic that records which encoder's vectors this prefix holds (see the model-change
     * guard); created by the guard itself, compacted, so it is not among {@link #all()}.
     */
    public String models() {
        return prefix + ".models";
    }

    public String enriched() {
        return topic(OutputKind.ENRICHED);
    }

    /** The topics written: the selected outputs, in {@link OutputKind} order, then the dead letters. */
    public List<String> all() {
        List<String> all = new ArrayList<>();
        selected.forEach(kind -> all.add(topic(kind)));
        all.add(deadLetters());
        return all;
    }
}
