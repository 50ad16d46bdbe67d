package io.streamnlp.heads.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A list of names the NER head's training sets tag as entities (release 3 with a name list), matched in
 * a text without case, spacing or punctuation: each name is kept in its <em>compact</em> form, its
 * letters and digits in lower case, so {@code T-Mobile}, {@code tmobile} and {@code #TMobile} all match
 * {@code tmobile}. Why: on social and web text the head missed organisations written in lower case or
 * run together ({@code enron}, {@code tmobile}, {@code in n out}), where the casing cues it learned on
 * news do not fire (the model card's ORG analysis).
 *
 * <p>A matched span adds two hashed keys to each of its words' {@link CharFeatures character keys}: the
 * list's type, and the type with the word's place in the span (B or I). The head learns their
 * embeddings like any other key, so the list is a hint it weighs, not a rule. The list travels in the head
 * file's meta ({@link #toMeta}), so training and serving always match the same names.
 */
public final class NameList {

    /** Longest name matched, in tokenizer words ({@code T - Mobile} is three). */
    public static final int MAX_WORDS = 6;
    /** Meta key of the number of chunks; the chunks are {@code names.0, names.1, ...}. */
    public static final String META_CHUNKS = "names.chunks";
    private static final String META_CHUNK = "names.";
    /** A head file's meta value holds at most 64 KB (DataOutputStream.writeUTF): chunks stay well below. */
    private static final int CHUNK_CHARS = 30_000;

    private final Map<String, String> names;

    /** @param names compact name to its type, as the model spells entity types ({@code PER}, {@code ORG}, ...) */
    public NameList(Map<String, String> names) {
        this.names = Map.copyOf(names);
    }

    public int size() {
        return names.size();
    }

    /** The type of a compact name ({@code PER}, {@code ORG}, ...), or null. */
    public String typeOf(String compact) {
        return names.get(compact);
    }

    /** Letters and digits of {@code text[from, to)} in lower case: the form names are kept and matched in. */
    public static String compact(String text, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                sb.appendCodePoint(Character.toLowerCase(cp));
            }
        }
        return sb.toString();
    }

    /**
     * {@code ids} (each word's character keys) with the keys of the list's spans added. Spans are found
     * left to right, longest first, starting and ending on a word with a letter or digit.
     *
     * @param ignore compact names not to match (training leaves out the names only the sentence itself
     *     taught the list; serving passes an empty set)
     */
    public int[][] withKeys(int[][] ids, String text, Words words, int buckets, Set<String> ignore) {
        int n = words.count();
        int[][] out = ids;
        int i = 0;
        while (i < n) {
            if (!hasAlnum(text, words.start(i), words.end(i))) {
                i++;
                continue;
            }
            int matched = 0;
            String type = null;
            for (int len = Math.min(MAX_WORDS, n - i); len >= 1; len--) {
                int last = i + len - 1;
                if (!hasAlnum(text, words.start(last), words.end(last))) {
                    continue;
                }
                String c = compact(text, words.start(i), words.end(last));
                String t = c.length() >= 2 && !ignore.contains(c) ? names.get(c) : null;
                if (t != null) {
                    matched = len;
                    type = t;
                    break;
                }
            }
            if (matched == 0) {
                i++;
                continue;
            }
            if (out == ids) {
                out = ids.clone();
            }
            for (int k = i; k < i + matched; k++) {
                int[] w = Arrays.copyOf(out[k], out[k].length + 2);
                w[w.length - 2] = CharFeatures.keyId("n" + type, buckets);
                w[w.length - 1] = CharFeatures.keyId("n" + type + (k == i ? "B" : "I"), buckets);
                out[k] = w;
            }
            i += matched;
        }
        return out;
    }

    private static boolean hasAlnum(String text, int from, int to) {
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                return true;
            }
        }
        return false;
    }

    /** The list as head-file meta: {@code names.chunks} and chunks of {@code TYPE<tab>compact} lines, sorted. */
    public Map<String, String> toMeta() {
        List<String> lines = new ArrayList<>();
        new TreeMap<>(names).forEach((c, t) -> lines.add(t + "\t" + c));
        Map<String, String> meta = new HashMap<>();
        StringBuilder chunk = new StringBuilder();
        int chunks = 0;
        for (String line : lines) {
            if (chunk.length() + line.length() + 1 > CHUNK_CHARS) {
                meta.put(META_CHUNK + chunks++, chunk.toString());
                chunk.setLength(0);
            }
            chunk.append(chunk.isEmpty() ? "" : "\n").append(line);
        }
        if (!chunk.isEmpty()) {
            meta.put(META_CHUNK + chunks++, chunk.toString());
        }
        meta.put(META_CHUNKS, Integer.toString(chunks));
        return meta;
    }

    /** The list a head file's meta holds, or null where it holds none (heads before the name list). */
    public static NameList fromMeta(Map<String, String> meta) {
        String chunks = meta.get(META_CHUNKS);
        if (chunks == null) {
            return null;
        }
        Map<String, String> names = new HashMap<>();
        for (int k = 0; k < Integer.parseInt(chunks); k++) {
            String chunk = meta.get(META_CHUNK + k);
            if (chunk == null) {
                throw new IllegalArgumentException("Name list chunk " + k + " of " + chunks + " is missing");
            }
            for (String line : chunk.split("\n")) {
                int tab = line.indexOf('\t');
                names.put(line.substring(tab + 1), line.substring(0, tab).toUpperCase(Locale.ROOT));
            }
        }
        return new NameList(names);
    }
}
