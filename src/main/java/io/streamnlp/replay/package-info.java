/**
 * Bounded re-enrichment: bounds, plan, plan store and request index, gate, throttle, progress, runner;
 * ownership of its id, completion across its group, clean-up of only what it created.
 *
 * <p>May import {@code app}, {@code bytext}, {@code config}, {@code ingest}, {@code ops}, {@code topology}. Uses
 * Kafka. (Held by {@code ArchitectureTest} against the packages table of
 * {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.replay;
