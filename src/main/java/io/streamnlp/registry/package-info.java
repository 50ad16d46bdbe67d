/**
 * Confluent-protocol registry client and Avro serdes (magic byte, 4-byte schema id, Avro binary);
 * the internal-state serde (Avro single-object encoding, every schema version of an internal record kept
 * and read).
 *
 * <p>May import nothing else of StreamNLP. Uses Kafka. (Held by {@code ArchitectureTest} against
 * the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.registry;
