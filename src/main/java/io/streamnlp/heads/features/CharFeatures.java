package io.streamnlp.heads.features;

/**
 * Character- and case-level features of each word, read from the ORIGINAL text (the encoders'
 * tokenizers lower-case it and split it into word-pieces, so "Netflix", "NETFLIX" and "netflix" look
 * the same to them): hashed keys whose embeddings the NER head averages per word. Keys per word:
 *
 * <ul>
 *   <li>the cased character 3- and 4-grams of {@code <word>} ({@code <} and {@code >} mark its ends,
 *       so prefixes and suffixes are n-grams of their own);</li>
 *   <li>the word in lower case (UTF-16 unit by unit);</li>
 *   <li>its case pattern over the characters: every character mapped to {@code X} (upper-case
 *       letter), {@code x} (other letter), {@code d} (digit) or itself (anything else), runs of one
 *       class cut to two ({@code Netflix} -> {@code Xxx}, {@code DoorDash} -> {@code XxxXxx},
 *       {@code iPhone} -> {@code xXxx}); and the uncut pattern of its first four characters
 *       ({@code Xxxx}, {@code XXXX}).</li>
 * </ul>
 *
 * Keys are hashed (64-bit FNV-1a over the UTF-16 units, with a kind prefix) into {@code buckets} rows,
 * without building strings (a few hundred nanoseconds per word);
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
            out[i] = wordIds(text, words.start(i), words.end(i), mask);
        }
        return out;
    }

    /** The keys of {@code text[from, to)}, hashed without building strings. */
    static int[] wordIds(String text, int from, int to, int mask) {
        int len = to - from + 2; // with the < > markers
        int grams3 = Math.max(0, len - 2);
        int grams4 = Math.max(0, len - 3);
        int[] ids = new int[grams3 + grams4 + 3];
        int k = 0;
        for (int g = 3; g <= 4; g++) {
            for (int i = 0; i + g <= len; i++) {
                long h = start(g == 3 ? '3' : '4');
                for (int j = i; j < i + g; j++) {
                    h = mix(h, j == 0 ? '<' : j == len - 1 ? '>' : text.charAt(from + j - 1));
                }
                ids[k++] = bucket(h, mask);
            }
        }
        long lower = start('w');
        for (int j = from; j < to; j++) {
            lower = mix(lower, Character.toLowerCase(text.charAt(j)));
        }
        ids[k++] = bucket(lower, mask);
        // Case pattern (runs cut to two) and the uncut pattern of the first four code points.
        long pattern = start('p');
        long head = start('h');
        char last = 0;
        int run = 0;
        int cps = 0;
        for (int j = from; j < to; ) {
            int cp = text.codePointAt(j);
            j += Character.charCount(cp);
            char c = caseClass(cp);
            run = c == last ? run + 1 : 1;
            last = c;
            if (run <= 2) {
                pattern = mix(pattern, c);
            }
            if (cps < 4) {
                head = mix(head, c);
            }
            cps++;
        }
        ids[k++] = bucket(pattern, mask);
        ids[k++] = bucket(head, mask);
        return ids;
    }

    /** The bucket of a key of another kind (a {@link NameList} key): hashed like the keys above, prefix 'k'. */
    static int keyId(String key, int buckets) {
        long h = start('k');
        for (int i = 0; i < key.length(); i++) {
            h = mix(h, key.charAt(i));
        }
        return bucket(h, buckets - 1);
    }

    private static char caseClass(int cp) {
        if (Character.isUpperCase(cp) || Character.isTitleCase(cp)) {
            return 'X';
        }
        if (Character.isLetter(cp)) {
            return 'x';
        }
        if (Character.isDigit(cp)) {
            return 'd';
        }
        return cp < 128 ? (char) cp : '*';
    }

    /** Case pattern of a word, runs of one class cut to {@code maxRun} characters (documentation, tests). */
    public static String casePattern(String word, int maxRun) {
        StringBuilder sb = new StringBuilder();
        char last = 0;
        int run = 0;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            i += Character.charCount(cp);
            char c = caseClass(cp);
            run = c == last ? run + 1 : 1;
            last = c;
            if (run <= maxRun) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static long start(char kind) {
        return mix(0xcbf29ce484222325L, kind);
    }

    /** 64-bit FNV-1a over the two bytes of a UTF-16 unit. */
    private static long mix(long h, char c) {
        h = (h ^ (c & 0xff)) * 0x100000001b3L;
        return (h ^ (c >>> 8)) * 0x100000001b3L;
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
