package io.streamnlp.heads;

/** The three sentiment classes, in the order of the head's outputs. */
public enum SentimentLabel {
    NEGATIVE,
    NEUTRAL,
    POSITIVE
}
