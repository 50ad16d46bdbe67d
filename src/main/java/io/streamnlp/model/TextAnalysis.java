package io.streamnlp.model;

import java.util.List;

/**
 * What one encoder pass and the task heads derived for one text, before it is tied to an event:
 * the same whether it was computed now or served from the result cache.
 *
 * @param vector the pooled, unit-norm sentence vector
 * @param tokenCount word-pieces fed to the encoder, special tokens included
 * @param truncated true when the text was longer than the max length and its tail was not encoded
 * @param sentiment the sentiment head's answer; null when the head did not run (see {@link HeadPlan})
 * @param entities the NER head's spans, offsets into the text they were found in; null when the head did
 *     not run
 */
public record TextAnalysis(float[] vector, int tokenCount, boolean truncated, SentimentScores sentiment,
        List<EntitySpan> entities) {}
