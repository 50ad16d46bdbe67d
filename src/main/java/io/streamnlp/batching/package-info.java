/**
 * The micro-batch stage: {@code BatchingProcessor}, {@code MicroBatch} (closing rules),
 * {@code PendingTexts} (the pending-batch store), {@code BatchRun} (cache, twins, one enricher
 * call, started on the stream thread and finished there, the call itself on an inference thread
 * under {@code batch.overlap}).
 *
 * <p>May import {@code budget}, {@code cache}, {@code deadletter}, {@code enrich}, {@code inference}, {@code model}, {@code ops},
 * {@code schema.internal}. Uses Kafka. (Held by {@code ArchitectureTest} against the packages
 * table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.batching;
