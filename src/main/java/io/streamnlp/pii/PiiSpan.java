package io.streamnlp.pii;

/**
 * One piece of personal data in a text: never its content, only where it is.
 *
 * @param type what it is
 * @param start start offset in UTF-16 code units (a Java String index), inclusive
 * @param end end offset, exclusive
 */
public record PiiSpan(PiiType type, int start, int end) {

    public PiiSpan {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("empty or negative span " + start + ".." + end);
        }
    }

    boolean overlaps(int otherStart, int otherEnd) {
        return start < otherEnd && otherStart < end;
    }
}
