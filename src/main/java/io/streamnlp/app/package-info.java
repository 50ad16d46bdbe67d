/**
 * {@code StreamNlpApplication}: owns the encoder, enricher, registry client, {@code KafkaStreams},
 * ops server.
 *
 * <p>May import {@code bytext}, {@code config}, {@code enrich}, {@code heads}, {@code inference},
 * {@code model}, {@code ops}, {@code registry}, {@code topology}. Uses Kafka. (Held by {@code ArchitectureTest}
 * against the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.app;
