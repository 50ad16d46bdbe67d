/**
 * The result cache: normal form and keys, {@code ResultCache} (bounds, TinyLFU, TTL),
 * {@code CacheFront} (look up, serve, admit).
 *
 * <p>May import {@code model}, {@code ops}, {@code registry} (the internal-state serde),
 * {@code schema.internal}. Uses Kafka Streams' state-store API only. (Held by {@code ArchitectureTest} against the packages table of
 * {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.cache;
