package io.streamnlp.heads.features;

import java.util.Locale;

/**
 * Character- and case-level features of each word, read from the ORIGINAL text (the encoders'
 * tokenizers lower-case it and split it into word-pieces, so "Netflix", "NETFLIX" and "netflix" look
 * the same to them): hashed keys whose embeddings the NER head averages per word. Keys per word:
 *
 * <ul>
 *   <li>the cased character 3- and 4-grams of {@code <word>} ({@code <} and {@code >} mark its ends,
 *       so prefixes and suffixes are n-grams of their own);</li>
 *   <li>the word in lower case;</li>
 *   <li>its case pattern over the characters: every character mapped to {@code X} (upper-case
 *       letter), {@code x} (other letter), {@code d} (digit) or itself (anything else), runs of one
 *       class cut to two ({@code Netflix} -> {@code Xxx}, {@code DoorDash} -> {@code XxxXxx},
 *       {@code iPhone} -> {@code xXxx}); and the uncut pattern of its first four characters
 *       ({@code Xxxx}, {@code XXXX}).</li>
 * </ul>
 *
 * Keys are hashed (64-bit FNV-1a over the UTF-16 units, with a kind prefix) into {@code buckets} rows;
 * training and serving call the same method, so the rows always mean the same keys.
 */
public final class CharFeatures {

    /** Version of the key set above; a head file names the one it was trained with. */
    public static final String VERSION = "1";

    private CharFeatures() {}

    /**
     * Bucket ids of each word's keys: {@code ids[word]} (a word's ids may repeat; each counts).
     *
     * @param buckets rows of the embedding table (a power of two)
     */
    public static int[][] ids(String text, Words words, int buckets) {
        int n = words.count();
        int[][] out = new int[n][];
        int mask = buckets - 1;
        if ((buckets & mask) != 0) {
            throw new IllegalArgumentException("buckets must be a power of two: " + buckets);
        }
        for (int i = 0; i < n; i++) {
            out[i] = wordIds(text.substring(words.start(i), words.end(i)), mask);
        }
        return out;
    }

    static int[] wordIds(String word, int mask) {
        String marked = "<" + word + ">";
        int len = marked.length();
        int grams3 = Math.max(0, len - 2);
        int grams4 = Math.max(0, len - 3);
        int[] ids = new int[grams3 + grams4 + 3];
        int k = 0;
        for (int i = 0; i + 3 <= len; i++) {
            ids[k++] = bucket(hash('3', marked, i, i + 3), mask);
        }
        for (int i = 0; i + 4 <= len; i++) {
            ids[k++] = bucket(hash('4', marked, i, i + 4), mask);
        }
        String lower = word.toLowerCase(Locale.ROOT);
        ids[k++] = bucket(hash('w', lower, 0, lower.length()), mask);
        String pattern = casePattern(word, 2);
        ids[k++] = bucket(hash('p', pattern, 0, pattern.length()), mask);
        String head = casePattern(word.length() > 4 ? word.substring(0, word.offsetByCodePoints(0,
                Math.min(4, word.codePointCount(0, word.length())))) : word, Integer.MAX_VALUE);
        ids[k++] = bucket(hash('h', head, 0, head.length()), mask);
        return ids;
    }

    /** Case pattern of a word, runs of one class cut to {@code maxRun} characters. */
    public static String casePattern(String word, int maxRun) {
        StringBuilder sb = new StringBuilder();
        char last = 0;
        int run = 0;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            i += Character.charCount(cp);
            char c;
            if (Character.isUpperCase(cp) || Character.isTitleCase(cp)) {
                c = 'X';
            } else if (Character.isLetter(cp)) {
                c = 'x';
            } else if (Character.isDigit(cp)) {
                c = 'd';
            } else {
                c = cp < 128 ? (char) cp : '*';
            }
            if (c == last) {
                run++;
            } else {
                last = c;
                run = 1;
            }
            if (run <= maxRun) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static long hash(char kind, String s, int from, int to) {
        long h = 0xcbf29ce484222325L;
        h = (h ^ kind) * 0x100000001b3L;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            h = (h ^ (c & 0xff)) * 0x100000001b3L;
            h = (h ^ (c >>> 8)) * 0x100000001b3L;
        }
        return h;
    }

    private static int bucket(long hash, int mask) {
        return (int) ((hash ^ (hash >>> 29) ^ (hash >>> 47)) & mask);
    }

    /**
     * The mean of each word's key embeddings: flat {@code [words x dim]}; {@code table} is
     * {@code [buckets][dim]}.
     */
    public static float[] embed(int[][] ids, float[][] table, int dim) {
        int n = ids.length;
        float[] out = new float[n * dim];
        for (int i = 0; i < n; i++) {
            int[] w = ids[i];
            int o = i * dim;
            for (int id : w) {
                float[] row = table[id];
                for (int d = 0; d < dim; d++) {
                    out[o + d] += row[d];
                }
            }
            if (w.length > 0) {
                float inv = 1f / w.length;
                for (int d = 0; d < dim; d++) {
                    out[o + d] *= inv;
                }
            }
        }
        return out;
    }
}
