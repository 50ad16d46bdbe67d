package io.streamnlp.language;

import java.util.Arrays;
import java.util.Locale;

/** What happens to a text in a language the task heads were not trained for ({@code language.unsupported.policy}). */
public enum UnsupportedLanguagePolicy {
    /** The embedding is written; sentiment and entities are marked "language not supported" instead of guessed. */
    SKIP,
    /** Sentiment and entities as for any text (the behaviour before language identification). */
    ENRICH,
    /** The event goes to the dead-letter topic, reason {@code unsupported-language}, with its original bytes. */
    DEAD_LETTER;

    /** The value as the setting spells it. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static UnsupportedLanguagePolicy ofSetting(String value) {
        for (UnsupportedLanguagePolicy policy : values()) {
            if (policy.settingValue().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return policy;
            }
        }
        throw new IllegalArgumentException("language.unsupported.policy=" + value + " is none of " + settingValues());
    }

    public static String[] settingValues() {
        return Arrays.stream(values()).map(UnsupportedLanguagePolicy::settingValue).toArray(String[]::new);
    }
}
