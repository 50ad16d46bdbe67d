package io.streamnlp.cache;

import java.text.Normalizer;
import java.util.Arrays;

/**
 * A text in the cache's normal form, with the map between its offsets and the original's.
 *
 * <p>The normal form: Unicode NFC, leading and trailing whitespace removed, every inner run of
 * whitespace collapsed to one space. None of these changes what the encoder sees: the BERT-style
 * tokenizers of every catalogue encoder split on whitespace (any amount) and decompose accents
 * themselves, so two texts with the same normal form get the same word-piece ids, hence the same
 * vector, sentiment and entity words. What does change is where things are: "New  York" is one
 * character longer than "New York". So cached entity offsets are kept in normal-form coordinates
 * and mapped onto each new text that hits the entry.
 *
 * <p>The text is cut into clusters (a base character and the combining marks after it, or a run of
 * whitespace), and each cluster is normalised alone, which keeps the map exact. A text whose NFC
 * form is not the concatenation of its clusters' NFC forms (Hangul jamo that compose across
 * clusters, and a few similar scripts) has no exact map: {@link #of} returns null and such a text
 * simply bypasses the cache.
 */
public final class NormalizedText {

    private final String normal;
    /** Per normal-form char: start and end, in the original, of the cluster it came from. */
    private final int[] originalStart;
    private final int[] originalEnd;
    /** Per original char: start and end, in the normal form, of the cluster it belongs to. */
    private final int[] normalStart;
    private final int[] normalEnd;

    private NormalizedText(String normal, int[] originalStart, int[] originalEnd, int[] normalStart, int[] normalEnd) {
        this.normal = normal;
        this.originalStart = originalStart;
        this.originalEnd = originalEnd;
        this.normalStart = normalStart;
        this.normalEnd = normalEnd;
    }

    /** The normal form and its offset map, or null when the text has no exact map (see above). */
    public static NormalizedText of(String text) {
        int length = text.length();
        StringBuilder normal = new StringBuilder(length);
        int[] normalStart = new int[length];
        int[] normalEnd = new int[length];
        int[] originalStart = new int[length + 1];
        int[] originalEnd = new int[length + 1];
        int i = 0;
        while (i < length) {
            int clusterStart = i;
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            String piece;
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                while (i < length && isSpace(text.codePointAt(i))) {
                    i += Character.charCount(text.codePointAt(i));
                }
                boolean edge = clusterStart == 0 || i == length;
                piece = edge ? "" : " ";
            } else {
                while (i < length && isCombiningMark(text.codePointAt(i))) {
                    i += Character.charCount(text.codePointAt(i));
                }
                piece = Normalizer.normalize(text.substring(clusterStart, i), Normalizer.Form.NFC);
            }
            int from = normal.length();
            normal.append(piece);
            int to = normal.length();
            Arrays.fill(normalStart, clusterStart, i, from);
            Arrays.fill(normalEnd, clusterStart, i, to);
            if (to > originalStart.length - 1) {
                return null; // NFC grew the text past our arrays: no exact map (not seen in practice)
            }
            Arrays.fill(originalStart, from, to, clusterStart);
            Arrays.fill(originalEnd, from, to, i);
        }
        String result = normal.toString();
        if (!result.equals(Normalizer.normalize(result, Normalizer.Form.NFC))) {
            return null;
        }
        return new NormalizedText(result, Arrays.copyOf(originalStart, result.length()),
                Arrays.copyOf(originalEnd, result.length()), normalStart, normalEnd);
    }

    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    private static boolean isCombiningMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }

    /** The text in normal form: what the cache key is computed from. */
    public String normal() {
        return normal;
    }

    /** A span [start, end) of the original text in normal-form offsets, or null if it covers no text. */
    public int[] toNormal(int start, int end) {
        if (start < 0 || end > normalStart.length || start >= end) {
            return null;
        }
        int from = normalStart[start];
        int to = normalEnd[end - 1];
        return from < to ? new int[] {from, to} : null;
    }

    /** A span [start, end) in normal-form offsets as offsets of the original text, or null if out of range. */
    public int[] toOriginal(int start, int end) {
        if (start < 0 || end > normal.length() || start >= end) {
            return null;
        }
        return new int[] {originalStart[start], originalEnd[end - 1]};
    }
}
