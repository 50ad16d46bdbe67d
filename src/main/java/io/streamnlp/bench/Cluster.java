package io.streamnlp.bench;

/**
 * Where the pipeline rows run: a Kafka cluster and a Confluent-compatible registry. The bench does not
 * start them itself (the {@code bench} command starts the embedded default), so it measures any
 * cluster the same way.
 */
public record Cluster(String bootstrapServers, String registryUrl) {}
