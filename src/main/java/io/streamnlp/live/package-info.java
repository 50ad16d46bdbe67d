/**
 * The live page: what flows through this instance, aggregated in process and in bounded memory
 * ({@code LiveView}), served as a static page and small JSON endpoints on the operations endpoint
 * ({@code LivePage}). Fed by the fan-out ({@code LiveFeed}: tail ring buffer, sentiment counts,
 * windowed top-k entities); the counters and histograms come from the same Micrometer registry that
 * {@code /metrics} exposes ({@code MeterSampler}, once a second).
 *
 * <p>May import {@code model}, {@code ops}. Kafka-free. (Held by {@code ArchitectureTest} against the
 * packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.live;
