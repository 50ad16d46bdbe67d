/**
 * Checks and creates topics through the admin client.
 *
 * <p>May import nothing else of StreamNLP. Uses Kafka. (Held by {@code ArchitectureTest} against
 * the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.topics;
