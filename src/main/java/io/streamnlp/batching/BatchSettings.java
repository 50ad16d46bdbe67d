package io.streamnlp.batching;

/** When a micro-batch closes: see {@link MicroBatch}. */
public record BatchSettings(int maxRecords, int maxTokens, long maxWaitMs) {}
