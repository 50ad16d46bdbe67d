/**
 * The runtime heads: sentiment over the pooled vector, NER over the token states (Viterbi over BIO
 * tags), head files.
 *
 * <p>May import {@code heads.features}, {@code inference}, {@code model}. No Kafka type. (Held by
 * {@code ArchitectureTest} against the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.heads;
