package io.streamnlp.language;

import java.util.List;

/**
 * How texts are identified and what is done with those outside the heads' languages.
 *
 * @param enabled identify the language of every text ({@code language.detect}); off: no language fields, every
 *     text is analysed as before
 * @param candidates ISO 639-1 codes of the languages told apart ({@code language.candidates}); a text in another
 *     language is reported as the nearest candidate, so list the languages your streams carry
 * @param accuracy which of the detector's models read a text ({@code language.accuracy}; {@link LanguageAccuracy})
 * @param minConfidence below this confidence (distance to the runner-up) a text counts as the heads' language
 *     ({@code language.min.confidence})
 * @param minLength a text of fewer letters (in words that do not start with a capital) counts as the heads'
 *     language ({@code language.min.length})
 * @param policy what happens to a text outside the heads' languages
 */
public record LanguageSettings(boolean enabled, List<String> candidates, LanguageAccuracy accuracy, double minConfidence,
        int minLength, UnsupportedLanguagePolicy policy) {

    /**
     * The default candidates: twelve of the most used languages of the web, in Latin, Cyrillic, Arabic, Han, Kana
     * and Hangul script. Measured against 19 (adding pl, sv, tr, uk, hi, id, vi): 3.7 s instead of 5.7 s to load,
     * 200 instead of 333 MiB of heap, and fewer English texts taken for a neighbour (README, language
     * identification). A text in a language not listed is reported as the nearest candidate, and is still not
     * English.
     */
    public static final List<String> DEFAULT_CANDIDATES = List.of("en", "de", "fr", "es", "it", "pt", "nl", "ru", "ar",
            "zh", "ja", "ko");

    public static final double DEFAULT_MIN_CONFIDENCE = 0.1;
    public static final int DEFAULT_MIN_LENGTH = 10;

    public LanguageSettings {
        candidates = List.copyOf(candidates);
    }

    /** The defaults. */
    public static LanguageSettings defaults() {
        return new LanguageSettings(true, DEFAULT_CANDIDATES, LanguageAccuracy.AUTO, DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_LENGTH,
                UnsupportedLanguagePolicy.SKIP);
    }

    /** Language identification off: every text goes to the heads, no language fields. */
    public static LanguageSettings off() {
        return new LanguageSettings(false, DEFAULT_CANDIDATES, LanguageAccuracy.AUTO, DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_LENGTH,
                UnsupportedLanguagePolicy.ENRICH);
    }

    public LanguageSettings withPolicy(UnsupportedLanguagePolicy newPolicy) {
        return new LanguageSettings(enabled, candidates, accuracy, minConfidence, minLength, newPolicy);
    }
}
