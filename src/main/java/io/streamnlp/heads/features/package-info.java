/**
 * Word alignment, word shapes and window features, computed identically at training and serving
 * time.
 *
 * <p>May import {@code inference}. No Kafka type. (Held by {@code ArchitectureTest} against the
 * packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.heads.features;
