/**
 * {@code StreamNlpConfig} (typed settings on Kafka's {@code ConfigDef}, documented defaults,
 * groups), {@code ConfigLoader} (file, environment, flags), {@code OutputTopics},
 * {@code OutputKind} (the selectable outputs).
 *
 * <p>May import {@code batching}, {@code budget}, {@code cache}, {@code deadletter}, {@code inference},
 * {@code ingest}, {@code model}, {@code registry}, {@code state}, {@code topics}. Uses Kafka.
 * (Held by {@code ArchitectureTest} against the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.config;
