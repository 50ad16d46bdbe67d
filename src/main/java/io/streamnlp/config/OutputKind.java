package io.streamnlp.config;

import java.util.Arrays;
import java.util.Locale;

/** The outputs one can select ({@code outputs}); each is the topic {@code <prefix>.<name>}. */
public enum OutputKind {
    /** {@code EmbeddingRecord}: the sentence vector. */
    EMBEDDINGS,
    /** {@code SentimentRecord}: the sentiment head's label and probabilities. */
    SENTIMENT,
    /** {@code EntitiesRecord}: the NER head's spans. */
    ENTITIES,
    /** {@code EnrichedEvent}: the event's own fields with all of the above in one record. */
    ENRICHED,
    /** {@code LabelsRecord}: the classifier heads' results ({@code classifiers}); not among the defaults. */
    LABELS;

    /** The name in {@code outputs} and the topic suffix. */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this output needs the sentiment head. */
    public boolean needsSentiment() {
        return this == SENTIMENT || this == ENRICHED;
    }

    /** Whether this output needs the NER head. */
    public boolean needsEntities() {
        return this == ENTITIES || this == ENRICHED;
    }

    /** The kind named {@code name} in {@code outputs} (any case, surrounding blanks ignored). */
    public static OutputKind of(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(kind -> kind.settingName().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown output '" + name.trim() + "'; known: " + names()));
    }

    /** The default of {@code outputs}: every output but {@link #LABELS}, which needs classifiers. */
    public static String defaults() {
        return String.join(",", Arrays.stream(values()).filter(kind -> kind != LABELS).map(OutputKind::settingName).toList());
    }

    /** Every name, comma-separated, in order. */
    public static String names() {
        return String.join(",", Arrays.stream(values()).map(OutputKind::settingName).toList());
    }
}
