/**
 * The bundled sample reviews (demo, bench).
 *
 * <p>May import nothing else of StreamNLP. No Kafka type. (Held by {@code ArchitectureTest}
 * against the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.samples;
