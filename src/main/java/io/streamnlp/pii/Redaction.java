package io.streamnlp.pii;

import java.util.List;

/**
 * A text with its personal data masked.
 *
 * @param text the redacted text
 * @param spans each span of the original text with where its mask is in {@link #text}
 */
public record Redaction(String text, List<Placed> spans) {

    public Redaction {
        spans = List.copyOf(spans);
    }

    /**
     * @param span where the value was in the original text
     * @param redactedStart where its mask starts in the redacted text (UTF-16), inclusive
     * @param redactedEnd where its mask ends, exclusive
     */
    public record Placed(PiiSpan span, int redactedStart, int redactedEnd) {}
}
