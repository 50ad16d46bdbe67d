package io.streamnlp.language;

/**
 * What was found about one text's language and what follows from it.
 *
 * @param detected the detected language, or null when identification is off
 * @param headsLanguage true when the task heads may judge the text: its language is one of theirs, or it is too
 *     short or too ambiguous to say otherwise
 * @param action what the pipeline does with the text
 */
public record LanguageVerdict(DetectedLanguage detected, boolean headsLanguage, Action action) {

    /** Marks sentiment and entities that were not computed because the heads do not know the text's language. */
    public static final String NOT_SUPPORTED = "language-not-supported";

    /** Identification off: analysed as any text, no language fields. */
    public static final LanguageVerdict NOT_CHECKED = new LanguageVerdict(null, true, Action.ANALYSE);

    public enum Action {
        /** Sentiment and entities from the heads. */
        ANALYSE,
        /** Embedding only; sentiment and entities marked {@link #NOT_SUPPORTED}. */
        SKIP_HEADS,
        /** The event to the dead-letter topic. */
        DEAD_LETTER
    }

    /** The ISO 639-1 code, or null. */
    public String code() {
        return detected == null ? null : detected.code();
    }

    /** The confidence, or null when nothing was detected. */
    public Float confidence() {
        return detected == null || detected.code() == null ? null : detected.confidence();
    }

    public boolean skipsHeads() {
        return action == Action.SKIP_HEADS;
    }
}
