package io.streamnlp.model;

/** The three sentiment classes, in the order of the head's outputs. */
public enum Polarity {
    NEGATIVE,
    NEUTRAL,
    POSITIVE
}
