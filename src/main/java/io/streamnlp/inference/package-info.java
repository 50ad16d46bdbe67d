/**
 * Tokenizer + ONNX session via DJL, per-thread sessions, length buckets, pooling, the model
 * catalogue.
 *
 * <p>May import nothing else of StreamNLP. No Kafka type. (Held by {@code ArchitectureTest}
 * against the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.inference;
