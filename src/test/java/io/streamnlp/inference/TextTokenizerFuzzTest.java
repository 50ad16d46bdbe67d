package io.streamnlp.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of the tokenizer and the long-text windows on arbitrary strings (valid
 * Unicode or not: lone surrogates arrive through JSON's {@code \ud800} escapes): tokenizing never
 * throws; every token's code-point offsets lie within the text; {@link TextTokenizer#windows} gives
 * windows of at most the max length that are consecutive slices of one tokenization (neighbours
 * share exactly the overlap, no gap), the first starting where the truncated tokenization starts,
 * whose owned ranges tile the text; and the window count agrees with {@link TextTokenizer#windowsOf}.
 *
 * <p>Input layout: byte 0 picks the tokenizer (catalogue encoder × max length), byte 1 the policy,
 * the rest is the text ({@link FuzzText}, from byte 2). The corpus is {@code
 * src/test/resources/io/streamnlp/inference/TextTokenizerFuzzTestInputs/windows/}.
 */
class TextTokenizerFuzzTest {

    private static final int[] MAX_LENGTHS = {8, 16, 64};
    private static final List<TextTokenizer> TOKENIZERS = new ArrayList<>();

    static {
        for (EncoderSpec spec : ModelCatalogue.inOrder()) {
            for (int max : MAX_LENGTHS) {
                TOKENIZERS.add(new TextTokenizer(spec, max));
            }
        }
    }

    @FuzzTest(maxDuration = "5s")
    void windows(byte[] input) {
        if (input.length < 2) {
            return;
        }
        TextTokenizer tokenizer = TOKENIZERS.get((input[0] & 0xFF) % TOKENIZERS.size());
        int p = input[1] & 0xFF;
        LongTextPolicy policy = (p & 0x80) != 0 ? LongTextPolicy.TRUNCATE_ONLY
                : new LongTextPolicy(LongTextPolicy.Mode.WINDOW, (p >> 3) & 0x0F, 1 + (p & 0x07));
        String text = FuzzText.of(input, 2);
        int codePoints = text.codePointCount(0, text.length());
        int max = tokenizer.maxLength();

        TokenizedText head = tokenizer.tokenize(text);
        checkTokens(head, codePoints, max);
        TextWindows windows = tokenizer.windows(text, policy);
        assertThat(windows.count()).isBetween(1, policy.maxWindows());
        for (TokenizedText window : windows.windows()) {
            checkTokens(window, codePoints, max);
        }
        assertThat(windows.weights()).hasSize(windows.count());
        assertThat(tokenizer.windowsOf(windows.tokenCount(), policy)).isEqualTo(windows.count());
        if (windows.count() == 1) {
            assertThat(windows.windows().getFirst().ids()).isEqualTo(head.ids());
            assertThat(windows.truncated()).isEqualTo(head.truncated());
            return;
        }
        // Owned ranges tile the text: from 0, each from where the previous one ends, the last to the end.
        assertThat(windows.ownedFrom()[0]).isZero();
        assertThat(windows.ownedTo()[windows.count() - 1]).isEqualTo(Integer.MAX_VALUE);
        int capacity = max - tokenizer.specialTokens();
        int overlap = Math.min(policy.overlapFor(max), capacity - 1);
        for (int k = 0; k < windows.count(); k++) {
            int[] starts = textStarts(windows.windows().get(k));
            assertThat(windows.weights()[k]).isEqualTo(starts.length);
            if (k < windows.count() - 1) {
                assertThat(starts).hasSize(capacity);
                assertThat(windows.ownedTo()[k]).isEqualTo(windows.ownedFrom()[k + 1]);
            }
            if (k > 0) {
                assertThat(windows.ownedFrom()[k]).isGreaterThanOrEqualTo(windows.ownedFrom()[k - 1])
                        .isBetween(starts[0], starts[starts.length - 1]);
                // Consecutive slices of one tokenization: the overlap is the same tokens, no gap.
                TokenizedText previous = windows.windows().get(k - 1);
                TokenizedText next = windows.windows().get(k);
                int headSpecials = firstText(next);
                int prevFrom = firstText(previous) + capacity - overlap;
                assertThat(Arrays.copyOfRange(next.ids(), headSpecials, headSpecials + overlap))
                        .isEqualTo(Arrays.copyOfRange(previous.ids(), prevFrom, prevFrom + overlap));
                assertThat(Arrays.copyOfRange(next.charStarts(), headSpecials, headSpecials + overlap))
                        .isEqualTo(Arrays.copyOfRange(previous.charStarts(), prevFrom, prevFrom + overlap));
            }
        }
        // The first window starts as the truncated tokenization does.
        int[] headStarts = textStarts(head);
        int[] firstStarts = textStarts(windows.windows().getFirst());
        int shared = Math.min(headStarts.length, firstStarts.length);
        assertThat(Arrays.copyOf(firstStarts, shared)).isEqualTo(Arrays.copyOf(headStarts, shared));
    }

    /** Arrays agree, at most {@code max} tokens, offsets within the text and ordered. */
    private static void checkTokens(TokenizedText tokens, int codePoints, int max) {
        int n = tokens.length();
        assertThat(n).isBetween(1, max);
        assertThat(tokens.charStarts()).hasSize(n);
        assertThat(tokens.charEnds()).hasSize(n);
        assertThat(tokens.wordIds()).hasSize(n);
        int previousStart = 0;
        for (int i = 0; i < n; i++) {
            int start = tokens.charStarts()[i];
            int end = tokens.charEnds()[i];
            if (start < 0) {
                assertThat(end).as("end of a token without a start").isEqualTo(-1);
                continue;
            }
            assertThat(start).as("start of token %d", i).isBetween(previousStart, codePoints);
            assertThat(end).as("end of token %d", i).isBetween(start, codePoints);
            previousStart = start;
        }
    }

    private static int[] textStarts(TokenizedText tokens) {
        return Arrays.stream(tokens.charStarts()).filter(s -> s >= 0).toArray();
    }

    private static int firstText(TokenizedText tokens) {
        int i = 0;
        while (i < tokens.length() && tokens.charStarts()[i] < 0) {
            i++;
        }
        return i;
    }
}
