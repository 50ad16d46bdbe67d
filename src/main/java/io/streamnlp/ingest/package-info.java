/**
 * Parsers per format (Avro, JSON, text), validation, routing of rejects.
 *
 * <p>May import {@code budget}, {@code deadletter}, {@code ops}, {@code registry}, {@code schema},
 * {@code schema.internal}. Uses Kafka. (Held by {@code ArchitectureTest} against the packages
 * table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.ingest;
