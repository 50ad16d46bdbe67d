/**
 * The by-text hop: {@code ByTextRouter} (re-key by cache key), {@code ByTextTopic} (create,
 * purge).
 *
 * <p>May import {@code cache}, {@code config}, {@code ingest}, {@code schema.internal}. Uses
 * Kafka. (Held by {@code ArchitectureTest} against the packages table of
 * {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.bytext;
