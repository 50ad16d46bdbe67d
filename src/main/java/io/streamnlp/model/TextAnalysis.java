package io.streamnlp.model;

import java.util.List;

/**
 * What one encoder pass and the task heads derived for one text, before it is tied to an event:
 * the same whether it was computed now or served from the result cache.
 *
 * @param vector the pooled, unit-norm sentence vector (of a long text: the length-weighted mean of its
 *     windows' vectors, normalised again)
 * @param tokenCount word-pieces fed to the encoder, special tokens included (counted once over all windows)
 * @param truncated true when part of the text was not encoded: longer than the max length under
 *     truncation, or than the most windows under windows
 * @param windows encoder windows the text took: 1 when it fits the max length (or is truncated)
 * @param sentiment the sentiment head's answer; null when the head did not run (see {@link HeadPlan})
 * @param entities the NER head's spans, offsets into the text they were found in; null when the head did
 *     not run
 */
public record TextAnalysis(float[] vector, int tokenCount, boolean truncated, int windows, SentimentScores sentiment,
        List<EntitySpan> entities) {}
