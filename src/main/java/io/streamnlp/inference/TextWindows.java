package io.streamnlp.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A text as the encoder sees it: one window (a text that fits the max length, or the head of one
 * under truncation: exactly {@link TextTokenizer#tokenize}), or several overlapping windows of its
 * tokens, each {@code [CLS] prefix <a stretch of the text> [SEP]} and at most max length long.
 *
 * <p>Windows start every {@code step = capacity - overlap} text tokens, {@code capacity} being the
 * max length less the special tokens; the last one may be shorter. Each window <em>owns</em> the part
 * of the text from the middle of its overlap with the previous window to the middle of its overlap
 * with the next (the first from the start, the last to the end), so that an entity near a window's
 * edge, where it has little context, is taken from the window that sees it in the middle.
 *
 * @param windows the encoder inputs; every window's offsets are into the original text (code points)
 * @param weights per window, the text tokens in it (length-weighted means of vectors and probabilities)
 * @param ownedFrom per window, the code-point offset where the part of the text it owns starts
 * @param ownedTo per window, where it ends (exclusive; {@link Integer#MAX_VALUE} for the last)
 * @param tokenCount tokens encoded, counting the special tokens once: the text's whole tokenization,
 *     or up to the end of the last window when truncated
 * @param truncated true when the text had more tokens than the windows (or the one window) cover
 */
public record TextWindows(List<TokenizedText> windows, int[] weights, int[] ownedFrom, int[] ownedTo, int tokenCount,
        boolean truncated) {

    /** One window: what {@link TextTokenizer#tokenize} gave. */
    public static TextWindows single(TokenizedText tokens) {
        return new TextWindows(List.of(tokens), new int[] {tokens.length()}, new int[] {0},
                new int[] {Integer.MAX_VALUE}, tokens.length(), tokens.truncated());
    }

    /** Windows in this text. */
    public int count() {
        return windows.size();
    }

    /** Token length of the longest window (the padded width of a batch row). */
    public int longest() {
        int longest = 0;
        for (TokenizedText window : windows) {
            longest = Math.max(longest, window.length());
        }
        return longest;
    }

    /** Windows for a text tokenized without truncation. */
    static TextWindows split(TokenizedText full, int maxLength, LongTextPolicy policy) {
        int n = full.length();
        int first = 0;
        while (first < n && full.charStarts()[first] < 0) {
            first++;
        }
        int last = n - 1;
        while (last >= first && full.charStarts()[last] < 0) {
            last--;
        }
        int head = first;
        int tail = n - 1 - last;
        int textTokens = last - first + 1;
        int capacity = maxLength - head - tail;
        if (textTokens <= 0 || capacity < 2) {
            throw new IllegalStateException("Cannot split a text of " + n + " tokens into windows of " + maxLength);
        }
        int overlap = Math.min(policy.overlapFor(maxLength), capacity - 1);
        int step = capacity - overlap;
        int needed = windowsNeeded(textTokens, capacity, step);
        int windows = Math.min(needed, policy.maxWindows());
        List<TokenizedText> inputs = new ArrayList<>(windows);
        int[] weights = new int[windows];
        int[] ownedFrom = new int[windows];
        int[] ownedTo = new int[windows];
        int covered = 0;
        for (int k = 0; k < windows; k++) {
            int start = k * step;
            int end = Math.min(textTokens, start + capacity);
            inputs.add(window(full, head, tail, first + start, first + end));
            weights[k] = end - start;
            int ownStart = k == 0 ? 0 : start + overlap / 2;
            ownedFrom[k] = k == 0 ? 0 : full.charStarts()[first + ownStart];
            ownedTo[k] = Integer.MAX_VALUE;
            if (k > 0) {
                ownedTo[k - 1] = ownedFrom[k];
            }
            covered = end;
        }
        return new TextWindows(List.copyOf(inputs), weights, ownedFrom, ownedTo, head + covered + tail, needed > windows);
    }

    /** {@code [head specials] full[from, to) [tail specials]} with the full text's offsets and word ids. */
    private static TokenizedText window(TokenizedText full, int head, int tail, int from, int to) {
        int n = full.length();
        int length = head + (to - from) + tail;
        long[] ids = new long[length];
        int[] starts = new int[length];
        int[] ends = new int[length];
        long[] words = new long[length];
        Arrays.fill(starts, -1);
        Arrays.fill(ends, -1);
        Arrays.fill(words, -1L);
        System.arraycopy(full.ids(), 0, ids, 0, head);
        System.arraycopy(full.ids(), from, ids, head, to - from);
        System.arraycopy(full.ids(), n - tail, ids, head + (to - from), tail);
        System.arraycopy(full.charStarts(), from, starts, head, to - from);
        System.arraycopy(full.charEnds(), from, ends, head, to - from);
        System.arraycopy(full.wordIds(), from, words, head, to - from);
        // The prefix's tokens keep their word ids (they carry no offsets, so no word is made of them).
        System.arraycopy(full.wordIds(), 0, words, 0, head);
        return new TokenizedText(ids, starts, ends, words, false);
    }

    private static int windowsNeeded(int textTokens, int capacity, int step) {
        return textTokens <= capacity ? 1 : 1 + (textTokens - capacity + step - 1) / step;
    }

    /**
     * The windows a text took, from its {@link #tokenCount()} alone (a cached result keeps the count,
     * not the windows): the same arithmetic as {@link #split}, with {@code specialTokens} tokens
     * around each window.
     */
    static int count(int tokenCount, int specialTokens, int maxLength, LongTextPolicy policy) {
        if (policy.mode() == LongTextPolicy.Mode.TRUNCATE || tokenCount <= maxLength) {
            return 1;
        }
        int capacity = maxLength - specialTokens;
        int overlap = Math.min(policy.overlapFor(maxLength), capacity - 1);
        return Math.min(policy.maxWindows(), windowsNeeded(tokenCount - specialTokens, capacity, capacity - overlap));
    }
}
