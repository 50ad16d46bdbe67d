/**
 * The pipeline's own value types: {@code TextAnalysis}, {@code SentimentScores}, {@code Polarity},
 * {@code EntitySpan}, {@code EntityKind}, {@code HeadPlan}, {@code ClassLabel}.
 *
 * <p>May import nothing else of StreamNLP. No Kafka type. (Held by {@code ArchitectureTest}
 * against the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.model;
