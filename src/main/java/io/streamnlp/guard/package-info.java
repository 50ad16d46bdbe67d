/**
 * The model-change guard: {@code ModelGuard} records, in the compacted {@code <prefix>.models} topic,
 * which encoder's vectors an output prefix holds, and refuses a start with another one unless
 * {@code model.change=allow}; and likewise the prefix's {@code output.format} (Avro or JSON),
 * unless {@code output.format.change=allow}.
 *
 * <p>May import {@code config}, {@code ops}, {@code registry}, {@code schema}, {@code topics}. Uses
 * Kafka. (Held by {@code ArchitectureTest} against the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.guard;
