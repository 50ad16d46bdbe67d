package io.streamnlp.live;

import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.SentimentScores;
import java.util.List;

/**
 * What the fan-out tells the live page about each enriched record. Called on every stream thread
 * for every record, so implementations are cheap (O(1) in the record count, bounded memory) and
 * thread-safe.
 */
@FunctionalInterface
public interface LiveFeed {

    /** The feed of an instance without the live page: does nothing. */
    LiveFeed NONE = (id, text, eventTimeMs, cached, sentiment, entities) -> { };

    /**
     * One input record was fully enriched and its outputs forwarded.
     *
     * @param text the whole text (entity offsets point into it)
     * @param eventTimeMs the event time on its outputs, epoch ms
     * @param cached served from the result cache (or a same-batch twin), not its own encoder pass
     * @param sentiment the sentiment head's answer; null when no selected output needs that head
     * @param entities the NER head's spans; null when no selected output needs that head
     */
    void enriched(String id, String text, long eventTimeMs, boolean cached, SentimentScores sentiment,
            List<EntitySpan> entities);

    /**
     * The same, with the text's detected language (ISO 639-1; null when not identified), which the page shows beside
     * the record. A text the heads do not judge comes with a null sentiment and no entities.
     */
    default void enriched(String id, String text, long eventTimeMs, boolean cached, SentimentScores sentiment,
            List<EntitySpan> entities, String language) {
        enriched(id, text, eventTimeMs, cached, sentiment, entities);
    }
}
