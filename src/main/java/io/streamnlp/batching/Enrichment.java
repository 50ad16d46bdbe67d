package io.streamnlp.batching;

import io.streamnlp.heads.Entity;
import io.streamnlp.heads.Sentiment;
import io.streamnlp.schema.internal.PendingText;
import java.util.List;

/**
 * Everything the inference stage derived for one event, handed to the fan-out that turns it into one
 * record per output topic. In memory only (never serialized).
 *
 * @param event the validated input event
 * @param vector the pooled, unit-norm sentence vector
 * @param tokenCount word-pieces fed to the encoder, special tokens included
 * @param truncated true when the text was longer than the max length and its tail was not encoded
 * @param sentiment the sentiment head's answer
 * @param entities the NER head's spans, offsets into {@code event.getText()}
 * @param cached true when no encoder pass of its own produced it (result cache or a same-batch twin)
 */
public record Enrichment(PendingText event, float[] vector, int tokenCount, boolean truncated, Sentiment sentiment,
        List<Entity> entities, boolean cached) {}
