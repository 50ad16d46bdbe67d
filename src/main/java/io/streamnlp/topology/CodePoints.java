package io.streamnlp.topology;

/**
 * UTF-16 indices of one text (Java and JavaScript string indices, what entity {@code start}/{@code end}
 * are) as Unicode code point indices (Python {@code str}, Go runes, Rust {@code chars()}: what
 * {@code startCodePoint}/{@code endCodePoint} are). The two agree until the first character outside
 * the Basic Multilingual Plane (most emoji, some CJK, mathematical letters), which takes two UTF-16
 * units and one code point.
 */
final class CodePoints {

    /** Per UTF-16 index (and the end), its code point index; null when the text is all BMP (identity). */
    private final int[] codePointAt;

    private CodePoints(int[] codePointAt) {
        this.codePointAt = codePointAt;
    }

    static CodePoints of(String text) {
        int length = text.length();
        if (text.codePointCount(0, length) == length) {
            return new CodePoints(null);
        }
        int[] map = new int[length + 1];
        int codePoint = 0;
        int i = 0;
        while (i < length) {
            map[i] = codePoint;
            int units = Character.charCount(text.codePointAt(i));
            if (units == 2) {
                map[i + 1] = codePoint; // inside a surrogate pair: no span ever starts or ends there
            }
            i += units;
            codePoint++;
        }
        map[length] = codePoint;
        return new CodePoints(map);
    }

    /** The code point index of a UTF-16 index of the text (0..length inclusive). */
    int of(int utf16Index) {
        return codePointAt == null ? utf16Index : codePointAt[utf16Index];
    }
}
