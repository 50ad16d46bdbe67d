package io.streamnlp.batching;

import io.streamnlp.model.TextAnalysis;
import io.streamnlp.schema.internal.PendingText;

/**
 * Everything the inference stage derived for one event, handed to the fan-out that turns it into one
 * record per output topic. In memory only (never serialized).
 *
 * @param event the validated input event
 * @param analysis the encoder's and the heads' results; entity offsets are into {@code event.getText()}
 * @param cached true when no encoder pass of its own produced it (result cache or a same-batch twin)
 */
public record Enrichment(PendingText event, TextAnalysis analysis, boolean cached) {}
