/**
 * Counters in Kafka Streams' registry ({@code TaskMetrics}), the inference histograms
 * ({@code PipelineMeters}), the Prometheus registry ({@code Telemetry}) and the
 * Kafka Streams client it reads ({@code StoreGaugeFreeKafkaStreams}), liveness/readiness
 * ({@code Health}), the HTTP endpoint ({@code OpsServer}), the accounting log, {@code AppVersion}, the
 * log filter of Kafka's expected warnings ({@code ExpectedKafkaWarnings}).
 *
 * <p>May import nothing else of StreamNLP. Uses Kafka. (Held by {@code ArchitectureTest} against
 * the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.ops;
