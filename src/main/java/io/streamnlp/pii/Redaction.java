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
     * Where an offset of the original text lands in the redacted text: shifted by the masks before it;
     * an offset inside a masked span lands on the mask's start ({@code end=false}) or end ({@code end=true}),
     * so a span of the original maps onto a span of the redacted text that covers its masks whole.
     */
    public int map(int originalOffset, boolean end) {
        int shift = 0;
        for (Placed placed : spans) {
            PiiSpan span = placed.span();
            if (originalOffset <= span.start()) {
                break;
            }
            if (originalOffset < span.end()) {
                return end ? placed.redactedEnd() : placed.redactedStart();
            }
            shift = placed.redactedEnd() - span.end();
        }
        return originalOffset + shift;
    }

    /**
     * @param span where the value was in the original text
     * @param redactedStart where its mask starts in the redacted text (UTF-16), inclusive
     * @param redactedEnd where its mask ends, exclusive
     */
    public record Placed(PiiSpan span, int redactedStart, int redactedEnd) {}
}
