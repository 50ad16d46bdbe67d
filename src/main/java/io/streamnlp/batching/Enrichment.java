package io.streamnlp.batching;

import io.streamnlp.language.LanguageVerdict;
import io.streamnlp.model.TextAnalysis;
import io.streamnlp.schema.internal.PendingText;

/**
 * Everything the inference stage derived for one event, handed to the fan-out that turns it into one
 * record per output topic. In memory only (never serialized).
 *
 * @param event the validated input event
 * @param analysis the encoder's and the heads' results; entity offsets are into {@code event.getText()}
 * @param cached true when no encoder pass of its own produced it (result cache or a same-batch twin)
 * @param language the text's language, found before the encoder, and whether the heads' results are kept
 */
public record Enrichment(PendingText event, TextAnalysis analysis, boolean cached, LanguageVerdict language) {

    /** Language not checked. */
    public Enrichment(PendingText event, TextAnalysis analysis, boolean cached) {
        this(event, analysis, cached, LanguageVerdict.NOT_CHECKED);
    }

    public Enrichment withLanguage(LanguageVerdict verdict) {
        return new Enrichment(event, analysis, cached, verdict);
    }
}
