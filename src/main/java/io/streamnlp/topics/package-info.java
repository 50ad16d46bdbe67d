/**
 * Checks and creates topics, and checks the client principal's access (ACLs) to what a run uses,
 * through the admin client.
 *
 * <p>May import nothing else of StreamNLP. Uses Kafka. (Held by {@code ArchitectureTest} against
 * the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.topics;
