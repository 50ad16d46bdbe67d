package io.streamnlp.heads.features;

import io.streamnlp.inference.TokenizedText;

/**
 * The words of a tokenized text as the NER head sees them: a word is a run of consecutive
 * word-pieces with the same word id (the tokenizer's pre-tokenizer splits on whitespace and on every
 * punctuation character, so "U.S.-based" is the words U . S . - based). Special tokens and the
 * model's own prefix (e5's "query: ") have no offsets and belong to no word.
 *
 * <p>Offsets: the HuggingFace tokenizer reports character offsets in Unicode code points, while Java
 * strings index UTF-16 code units. They differ after any character outside the Basic Multilingual
 * Plane (most emoji). {@link #of} converts, so {@link #start}/{@link #end} are String indices: every
 * word equals {@code text.substring(start, end)}.
 */
public final class Words {

    private final int count;
    private final int[] firstPiece;
    private final int[] lastPiece;
    private final int[] start;
    private final int[] end;

    private Words(int count, int[] firstPiece, int[] lastPiece, int[] start, int[] end) {
        this.count = count;
        this.firstPiece = firstPiece;
        this.lastPiece = lastPiece;
        this.start = start;
        this.end = end;
    }

    public static Words of(String text, TokenizedText tokens) {
        int n = tokens.length();
        int[] first = new int[n];
        int[] last = new int[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        int[] cpToChar = codePointToCharIndex(text);
        int count = 0;
        long currentWord = Long.MIN_VALUE;
        for (int t = 0; t < n; t++) {
            int s = tokens.charStarts()[t];
            int e = tokens.charEnds()[t];
            long word = tokens.wordIds()[t];
            if (s < 0 || e < 0 || word < 0) {
                currentWord = Long.MIN_VALUE;
                continue;
            }
            int cs = toChar(cpToChar, s, text.length());
            int ce = Math.max(cs, toChar(cpToChar, e, text.length()));
            if (count > 0 && word == currentWord) {
                last[count - 1] = t;
                ends[count - 1] = Math.max(ends[count - 1], ce);
            } else {
                first[count] = t;
                last[count] = t;
                starts[count] = cs;
                ends[count] = ce;
                count++;
                currentWord = word;
            }
        }
        return new Words(count, first, last, starts, ends);
    }

    /** null when the text has no supplementary character (code points == UTF-16 units). */
    public static int[] codePointToCharIndex(String text) {
        int cps = text.codePointCount(0, text.length());
        if (cps == text.length()) {
            return null;
        }
        int[] map = new int[cps + 1];
        int i = 0;
        for (int cp = 0; cp < cps; cp++) {
            map[cp] = i;
            i += Character.charCount(text.codePointAt(i));
        }
        map[cps] = text.length();
        return map;
    }

    private static int toChar(int[] map, int codePointOffset, int length) {
        if (map == null) {
            return Math.min(codePointOffset, length);
        }
        return map[Math.min(codePointOffset, map.length - 1)];
    }

    public int count() {
        return count;
    }

    /** Token index of the word's first word-piece (into the encoder's token states). */
    public int firstPiece(int word) {
        return firstPiece[word];
    }

    public int lastPiece(int word) {
        return lastPiece[word];
    }

    public int pieces(int word) {
        return lastPiece[word] - firstPiece[word] + 1;
    }

    /** UTF-16 start offset into the original text, inclusive. */
    public int start(int word) {
        return start[word];
    }

    /** UTF-16 end offset, exclusive. */
    public int end(int word) {
        return end[word];
    }
}
