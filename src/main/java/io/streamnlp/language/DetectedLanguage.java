package io.streamnlp.language;

/**
 * The most likely candidate language of a text.
 *
 * @param code ISO 639-1 code, or null when no candidate fits (no letters, or an even tie)
 * @param confidence how far ahead of the next most likely candidate it is, 0..1: Lingua's relative distance between
 *     the two (1 minus the runner-up's likelihood relative to it); near 0 for a text that could be either, 0.3 and
 *     more for a clear sentence; 0 when {@code code} is null
 */
public record DetectedLanguage(String code, float confidence) {

    public static final DetectedLanguage UNDETERMINED = new DetectedLanguage(null, 0f);
}
