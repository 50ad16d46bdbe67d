package io.streamnlp.batching;

import io.streamnlp.inference.LongTextPolicy;

/**
 * When a micro-batch closes (see {@link MicroBatch}), and how it meets the encoder.
 *
 * @param batchInvariant run each text of a batch through the encoder in its own call, so that its
 *     outputs do not depend on its batch mates (see {@code inference.batch.invariant})
 * @param longText what a text longer than the max length becomes: windows or its head
 * @param overlap run a closed batch on an encoder thread while the stream thread fills the next
 *     (see {@code batch.overlap}); false: on the stream thread, before it reads on
 */
public record BatchSettings(int maxRecords, int maxTokens, long maxWaitMs, boolean batchInvariant,
        LongTextPolicy longText, boolean overlap) {}
