/**
 * {@code Enricher}: tokenized texts in, results out — one encoder call, the heads on a bounded
 * pool, the batch-invariant mode, and the inference threads ({@code OffStreamThreads}) that run a
 * batch while its stream thread goes on.
 *
 * <p>May import {@code heads}, {@code inference}, {@code model}. No Kafka type. (Held by
 * {@code ArchitectureTest} against the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.enrich;
