package io.streamnlp.batching;

import io.streamnlp.inference.EncodedText;
import io.streamnlp.inference.TokenizedText;
import io.streamnlp.schema.internal.PendingText;

/**
 * What one encoder pass produced for one event, handed from the batching stage to the fan-out that
 * turns it into one record per output topic. In memory only (never serialized).
 */
public record Enrichment(PendingText event, TokenizedText tokens, EncodedText encoded) {}
