/**
 * Tokenizer + ONNX session via DJL, per-thread sessions, length buckets, pooling, the model
 * catalogue, and the graph edits made at load on the ONNX wire format: an intermediate layer as a second
 * output ({@code GraphOutputs}) and the fused graph of {@code model.graph=fused} ({@code AttentionFusion}).
 *
 * <p>May import nothing else of StreamNLP. No Kafka type. (Held by {@code ArchitectureTest}
 * against the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.inference;
