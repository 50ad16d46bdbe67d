/**
 * The embedded default: in-JVM KRaft broker, Apicurio Registry child process, the demo (its state
 * dir, its {@code --loop} feeder).
 *
 * <p>May import {@code app}, {@code config}, {@code registry}, {@code samples}, {@code schema},
 * {@code topics}. Uses Kafka. (Held by {@code ArchitectureTest} against the packages table of
 * {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.local;
