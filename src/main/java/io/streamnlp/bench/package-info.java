/**
 * The {@code bench} command's measurements and report, against a cluster it is given.
 *
 * <p>May import {@code app}, {@code config}, {@code heads}, {@code inference}, {@code model},
 * {@code ops}, {@code registry}, {@code replay}, {@code samples}, {@code schema}, {@code state},
 * {@code topics}.
 * Uses Kafka. (Held by {@code ArchitectureTest} against the packages table of
 * {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.bench;
