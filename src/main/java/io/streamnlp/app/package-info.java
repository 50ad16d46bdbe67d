/**
 * {@code StreamNlpApplication}: owns the encoder, enricher, registry client, {@code KafkaStreams},
 * ops server, live view, model guard.
 *
 * <p>May import {@code bytext}, {@code config}, {@code deadletter}, {@code enrich}, {@code guard},
 * {@code heads}, {@code inference}, {@code ingest}, {@code live}, {@code model}, {@code ops},
 * {@code registry}, {@code topics}, {@code topology}. Uses Kafka. (Held by
 * {@code ArchitectureTest} against the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.app;
