package io.streamnlp.heads.features;

/**
 * Casing and shape of each word, read from the ORIGINAL text: the encoders' tokenizers lower-case
 * everything, so this is where "Apple" and "apple" differ for the NER head.
 */
public final class WordShape {

    /** Features per word. */
    public static final int PER_WORD = 14;
    /** Features per text (appended once to every word's row). */
    public static final int PER_TEXT = 2;

    private WordShape() {}

    /**
     * Per word {@link #PER_WORD} values, flat {@code [words x PER_WORD]}:
     * 0 initial capital, 1 all caps (2+ letters), 2 all lower case, 3 inner capital after a lower-case
     * letter (McDonald, iPhone), 4 has a digit, 5 only digits, 6 punctuation or symbol (no letter or
     * digit), 7 first word of the text, 8 starts a sentence (first word or after . ! ?), 9 glued to the
     * previous word (no space between), 10 glued to the next word, 11 a single character, 12 word-pieces
     * beyond the first (0, 1/3, 2/3, 1), 13 has a non-ASCII letter.
     */
    public static float[] words(String text, Words words) {
        int n = words.count();
        float[] f = new float[n * PER_WORD];
        for (int i = 0; i < n; i++) {
            int s = words.start(i);
            int e = words.end(i);
            int o = i * PER_WORD;
            int letters = 0;
            int upper = 0;
            int lower = 0;
            int digits = 0;
            int cps = 0;
            boolean innerCap = false;
            boolean nonAscii = false;
            boolean prevLower = false;
            boolean firstUpper = false;
            for (int k = s; k < e; ) {
                int cp = text.codePointAt(k);
                k += Character.charCount(cp);
                if (Character.isLetter(cp)) {
                    letters++;
                    boolean up = Character.isUpperCase(cp) || Character.isTitleCase(cp);
                    if (up) {
                        upper++;
                        if (cps == 0) {
                            firstUpper = true;
                        }
                        if (prevLower) {
                            innerCap = true;
                        }
                    }
                    if (Character.isLowerCase(cp)) {
                        lower++;
                    }
                    prevLower = Character.isLowerCase(cp);
                    if (cp > 127) {
                        nonAscii = true;
                    }
                } else {
                    prevLower = false;
                    if (Character.isDigit(cp)) {
                        digits++;
                    }
                }
                cps++;
            }
            f[o] = firstUpper ? 1 : 0;
            f[o + 1] = letters >= 2 && upper == letters ? 1 : 0;
            f[o + 2] = letters > 0 && lower == letters ? 1 : 0;
            f[o + 3] = innerCap ? 1 : 0;
            f[o + 4] = digits > 0 ? 1 : 0;
            f[o + 5] = cps > 0 && digits == cps ? 1 : 0;
            f[o + 6] = letters == 0 && digits == 0 ? 1 : 0;
            f[o + 7] = i == 0 ? 1 : 0;
            f[o + 8] = i == 0 || isSentenceEnd(text, words, i - 1) ? 1 : 0;
            f[o + 9] = i > 0 && words.end(i - 1) == s ? 1 : 0;
            f[o + 10] = i + 1 < n && words.start(i + 1) == e ? 1 : 0;
            f[o + 11] = cps == 1 ? 1 : 0;
            f[o + 12] = Math.min(3, words.pieces(i) - 1) / 3f;
            f[o + 13] = nonAscii ? 1 : 0;
        }
        return f;
    }

    private static boolean isSentenceEnd(String text, Words words, int i) {
        if (words.end(i) - words.start(i) != 1) {
            return false;
        }
        char c = text.charAt(words.start(i));
        return c == '.' || c == '!' || c == '?';
    }

    /**
     * Per text: share of the words with 2+ letters written in capitals (headlines such as
     * "JAPAN GET LUCKY WIN" carry no casing cue), and share of the words with letters that start with
     * a capital (title case).
     */
    public static float[] text(String text, float[] wordFeatures, int n) {
        int alpha = 0;
        int caps = 0;
        int initial = 0;
        for (int i = 0; i < n; i++) {
            int o = i * PER_WORD;
            boolean hasLetters = wordFeatures[o + 6] == 0 && wordFeatures[o + 5] == 0;
            if (hasLetters) {
                alpha++;
                caps += wordFeatures[o + 1] > 0 ? 1 : 0;
                initial += wordFeatures[o] > 0 ? 1 : 0;
            }
        }
        return alpha == 0 ? new float[] {0, 0} : new float[] {caps / (float) alpha, initial / (float) alpha};
    }
}
