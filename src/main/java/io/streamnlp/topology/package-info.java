/**
 * {@code EnrichmentTopology} wires the stages; {@code FanOutProcessor} builds the output records;
 * {@code EventFields} the event's own fields for the enriched record.
 *
 * <p>May import {@code batching}, {@code budget}, {@code bytext}, {@code cache}, {@code config},
 * {@code deadletter}, {@code enrich}, {@code heads}, {@code inference}, {@code ingest},
 * {@code live}, {@code model}, {@code ops}, {@code registry}, {@code schema},
 * {@code schema.internal}. Uses Kafka. (Held by {@code ArchitectureTest} against the packages
 * table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.topology;
