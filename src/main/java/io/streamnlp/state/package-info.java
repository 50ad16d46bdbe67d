/**
 * The state stores' memory: {@code BoundedRocksDbMemory}, the RocksDB config setter that gives every
 * store of an instance one shared, bounded block cache and write-buffer budget
 * ({@code state.memory.bytes}).
 *
 * <p>May import nothing else of StreamNLP. Uses Kafka Streams' RocksDB config API. (Held by
 * {@code ArchitectureTest} against the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.state;
