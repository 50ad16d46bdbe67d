/**
 * The size budget of every record the pipeline writes: what Kafka's producer accepts
 * ({@code max.request.size}) measured the way it measures a record, so that a stage can dead-letter
 * an event whose output would not fit instead of failing the transaction that carries it.
 *
 * <p>May import nothing else of StreamNLP. Uses Kafka. (Held by {@code ArchitectureTest} against
 * the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.budget;
