package io.streamnlp.language;

import java.util.Locale;

/**
 * Which of Lingua's models read a text ({@code language.accuracy}).
 *
 * <p>{@link #AUTO}, the default, reads a text of {@link #LONG_TEXT_CHARS} chars and more with the trigrams
 * only and a shorter one with every model. Lingua's own advice is that its low-accuracy mode is as good as
 * the high one from about 120 chars on, and this repository's measurement agrees: on the English
 * held-out texts of {@code ../shared/data} (CR, SemEval-2017) of 120 chars and more, 1 decision in 12,464
 * differs between the two modes (README, language identification), while the trigrams alone take under
 * half the time per text. Short texts (tweets, titles) are where the two modes part, and they keep
 * every model.
 */
public enum LanguageAccuracy {
    /** Every n-gram model (1 to 5) for every text. */
    HIGH("high"),
    /** Trigrams only for every text: least memory and time, weaker on short texts. */
    LOW("low"),
    /** Every model below {@link #LONG_TEXT_CHARS} chars, trigrams from there. */
    AUTO("auto");

    /** From this many chars of the sample read ({@link LanguageDetector#sample}), {@link #AUTO} reads trigrams only. */
    public static final int LONG_TEXT_CHARS = 120;

    private final String settingName;

    LanguageAccuracy(String settingName) {
        this.settingName = settingName;
    }

    /** The value of {@code language.accuracy}. */
    public String settingName() {
        return settingName;
    }

    /** Whether a text of {@code sampleChars} chars is read with the trigrams only. */
    boolean trigramsOnly(int sampleChars) {
        return this == LOW || this == AUTO && sampleChars >= LONG_TEXT_CHARS;
    }

    /** Whether the detector needs every model loaded. */
    boolean needsEveryModel() {
        return this != LOW;
    }

    /** The choice named {@code name} (any case). */
    public static LanguageAccuracy of(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (LanguageAccuracy accuracy : values()) {
            if (accuracy.settingName.equals(wanted)) {
                return accuracy;
            }
        }
        throw new IllegalArgumentException("language.accuracy must be high, low or auto, got '" + name + "'");
    }
}
