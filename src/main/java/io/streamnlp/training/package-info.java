/**
 * {@code train} and {@code evaluate}: data readers, feature cache, trainers, conlleval, the
 * evaluator.
 *
 * <p>May import {@code enrich}, {@code heads}, {@code heads.features}, {@code inference},
 * {@code model}. No Kafka type. (Held by {@code ArchitectureTest} against the packages table of
 * {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.training;
