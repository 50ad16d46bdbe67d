package io.streamnlp.live;

/** One entity text and how often it was found in a window. */
public record EntityCount(String text, long count) {}
