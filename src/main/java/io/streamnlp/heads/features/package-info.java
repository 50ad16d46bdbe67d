/**
 * Word alignment, word shapes and window features, the layers each head reads ({@code NerStates},
 * {@code SentimentInput}) and an NER head's optional name list ({@code NameList}): computed identically
 * at training and serving time.
 *
 * <p>May import {@code inference}. No Kafka type. (Held by {@code ArchitectureTest} against the
 * packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.heads.features;
