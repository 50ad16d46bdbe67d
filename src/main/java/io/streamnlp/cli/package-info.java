/**
 * The commands ({@code run}, {@code demo}, {@code replay}, {@code bench}, {@code train},
 * {@code evaluate}, {@code config-doc}): parse flags, call one capability.
 *
 * <p>May import {@code app}, {@code bench}, {@code config}, {@code inference}, {@code local},
 * {@code ops}, {@code replay}, {@code training}. Uses Kafka. (Held by {@code ArchitectureTest}
 * against the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.cli;
