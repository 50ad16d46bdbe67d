package io.streamnlp.live;

import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.SentimentScores;
import java.util.ArrayList;
import java.util.List;

/**
 * One enriched record as the tail shows it: the start of its text, its sentiment label with that
 * label's probability, and the entities found in that excerpt (offsets into the excerpt, in UTF-16
 * code units, as in Java and JavaScript strings). Every part is bounded, so that the tail the live page
 * polls is too, whatever the input: the id (the record's key, as long as a record) is cut at
 * {@value #ID_CHARS} characters, an entity's text at {@value #SPAN_TEXT_CHARS}, and at most
 * {@value #MAX_SPANS} entities are kept.
 *
 * @param seq position in the stream of records this instance enriched, from 0
 * @param label the sentiment label; null when the sentiment head did not run (no selected output needs it)
 * @param clipped true when the text is longer than the excerpt
 * @param latencyMs output time minus event time (0 when the clocks disagree)
 * @param language the text's detected language (ISO 639-1), or null when not identified
 */
public record TailRecord(long seq, String id, String excerpt, boolean clipped, String label, float probability,
        List<Span> entities, boolean cached, long eventTimeMs, long outputTimeMs, long latencyMs, String language) {

    /** Characters of text kept per record. */
    public static final int EXCERPT_CHARS = 280;
    /** Characters of the id kept. */
    public static final int ID_CHARS = 100;
    /** Entities kept per record (the first found). */
    public static final int MAX_SPANS = 16;
    /** Characters kept of an entity's text (its offsets still mark it whole in the excerpt). */
    public static final int SPAN_TEXT_CHARS = 80;

    /** An entity inside the excerpt. */
    public record Span(String type, int start, int end, String text, float confidence) {}

    static TailRecord of(long seq, String id, String text, long eventTimeMs, long nowMs, boolean cached,
            SentimentScores sentiment, List<EntitySpan> entities) {
        return of(seq, id, text, eventTimeMs, nowMs, cached, sentiment, entities, null);
    }

    static TailRecord of(long seq, String id, String text, long eventTimeMs, long nowMs, boolean cached,
            SentimentScores sentiment, List<EntitySpan> entities, String language) {
        // Either head may not have run (outputs that do not need it): null, shown as no label / no spans.
        entities = entities == null ? List.of() : entities;
        int cut = cut(text, EXCERPT_CHARS);
        List<Span> spans = new ArrayList<>(Math.min(MAX_SPANS, entities.size()));
        for (EntitySpan e : entities) {
            if (spans.size() < MAX_SPANS && e.start() >= 0 && e.end() <= cut && e.start() < e.end()) {
                spans.add(new Span(e.type().name(), e.start(), e.end(), clip(e.text(), SPAN_TEXT_CHARS), e.confidence()));
            }
        }
        String label = sentiment == null ? null : sentiment.label().name();
        float probability = sentiment == null ? 0f : switch (sentiment.label()) {
            case NEGATIVE -> sentiment.negative();
            case NEUTRAL -> sentiment.neutral();
            case POSITIVE -> sentiment.positive();
        };
        return new TailRecord(seq, clip(id, ID_CHARS), text.substring(0, cut), cut < text.length(), label, probability,
                List.copyOf(spans), cached, eventTimeMs, nowMs, Math.max(0, nowMs - eventTimeMs),
                language == null ? null : clip(language, 8));
    }

    private static String clip(String text, int chars) {
        return text.substring(0, cut(text, chars));
    }

    /** The length of {@code text} kept at {@code chars} at most, never splitting a surrogate pair. */
    private static int cut(String text, int chars) {
        if (text.length() <= chars) {
            return text.length();
        }
        return Character.isHighSurrogate(text.charAt(chars - 1)) ? chars - 1 : chars;
    }
}
