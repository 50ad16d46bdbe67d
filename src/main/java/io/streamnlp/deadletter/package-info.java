/**
 * The dead-letter record: headers, reason codes, the processing exception handler.
 *
 * <p>May import {@code budget}, {@code ops}, {@code registry}. Uses Kafka. (Held by {@code ArchitectureTest}
 * against the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.deadletter;
