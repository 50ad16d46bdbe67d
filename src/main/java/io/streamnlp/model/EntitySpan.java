package io.streamnlp.model;

/**
 * One named entity span found in a text.
 *
 * @param type entity type
 * @param start start offset into the original text, in UTF-16 code units (a Java String index), inclusive
 * @param end end offset, exclusive
 * @param text exactly {@code original.substring(start, end)}
 * @param confidence mean probability of the decoded tags over the span's words, 0..1
 */
public record EntitySpan(EntityKind type, int start, int end, String text, float confidence) {}
