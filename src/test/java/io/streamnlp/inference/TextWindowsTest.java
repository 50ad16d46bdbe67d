package io.streamnlp.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Windows of a long text, with the real tokenizers of the catalogue (no encoder). */
class TextWindowsTest {

    private static final int MAX = 64;
    private static final LongTextPolicy WINDOWS = new LongTextPolicy(LongTextPolicy.Mode.WINDOW, 0, 32);
    private static final String LONG = "Paragraph one talks about Berlin and the weather in 2024 😀. ".repeat(40)
            + "The last paragraph: Maria from Google met us in Paris.";

    private static List<TextTokenizer> tokenizers;

    @BeforeAll
    static void load() {
        tokenizers = new ArrayList<>();
        for (EncoderSpec spec : ModelCatalogue.inOrder()) {
            tokenizers.add(new TextTokenizer(spec, MAX));
        }
    }

    @AfterAll
    static void close() {
        tokenizers.forEach(TextTokenizer::close);
    }

    @Test
    void aTextThatFitsIsExactlyItsTokenization() {
        for (TextTokenizer tokenizer : tokenizers) {
            String text = "Maria from Google met us in Paris.";
            TextWindows windows = tokenizer.windows(text, WINDOWS);
            TokenizedText alone = tokenizer.tokenize(text);
            assertThat(windows.count()).isEqualTo(1);
            assertThat(windows.windows().getFirst().ids()).isEqualTo(alone.ids());
            assertThat(windows.windows().getFirst().charStarts()).isEqualTo(alone.charStarts());
            assertThat(windows.tokenCount()).isEqualTo(alone.length());
            assertThat(windows.truncated()).isFalse();
            assertThat(tokenizer.windowsOf(windows.tokenCount(), WINDOWS)).isEqualTo(1);
        }
    }

    @Test
    void truncationKeepsTheHeadAsBefore() {
        for (TextTokenizer tokenizer : tokenizers) {
            TextWindows head = tokenizer.windows(LONG, LongTextPolicy.TRUNCATE_ONLY);
            assertThat(head.count()).isEqualTo(1);
            assertThat(head.truncated()).isTrue();
            assertThat(head.tokenCount()).isEqualTo(MAX);
            assertThat(head.windows().getFirst().ids()).isEqualTo(tokenizer.tokenize(LONG).ids());
        }
    }

    @Test
    void windowsCoverTheWholeTextOverlappingByTheStride() {
        for (TextTokenizer tokenizer : tokenizers) {
            TextWindows windows = tokenizer.windows(LONG, WINDOWS);
            TokenizedText full = fullTokenization(tokenizer, windows);
            int special = tokenizer.specialTokens();
            int capacity = MAX - special;
            int overlap = MAX / 4;
            assertThat(windows.count()).isGreaterThan(2);
            assertThat(windows.truncated()).isFalse();
            // Every window: the head specials, a stretch of text, the tail specials; at most MAX tokens.
            long[] first = windows.windows().getFirst().ids();
            for (int k = 0; k < windows.count(); k++) {
                TokenizedText w = windows.windows().get(k);
                assertThat(w.length()).isLessThanOrEqualTo(MAX);
                assertThat(w.ids()[0]).isEqualTo(first[0]);
                assertThat(w.ids()[w.length() - 1]).isEqualTo(first[first.length - 1]);
                assertThat(windows.weights()[k]).isEqualTo(w.length() - special);
                if (k < windows.count() - 1) {
                    assertThat(windows.weights()[k]).isEqualTo(capacity);
                }
            }
            // Text tokens of consecutive windows overlap by exactly the stride.
            for (int k = 1; k < windows.count(); k++) {
                int[] previous = textStarts(windows.windows().get(k - 1));
                int[] next = textStarts(windows.windows().get(k));
                assertThat(Arrays.copyOfRange(previous, previous.length - overlap, previous.length))
                        .isEqualTo(Arrays.copyOfRange(next, 0, overlap));
            }
            // All of it: the last window ends on the text's last token.
            int[] last = textStarts(windows.windows().getLast());
            int[] all = textStarts(full);
            assertThat(last[last.length - 1]).isEqualTo(all[all.length - 1]);
            assertThat(windows.tokenCount()).isEqualTo(full.length());
            // Owned parts partition the text, in order, each inside its window.
            assertThat(windows.ownedFrom()[0]).isZero();
            assertThat(windows.ownedTo()[windows.count() - 1]).isEqualTo(Integer.MAX_VALUE);
            for (int k = 0; k < windows.count(); k++) {
                int[] starts = textStarts(windows.windows().get(k));
                assertThat(windows.ownedFrom()[k]).isGreaterThanOrEqualTo(k == 0 ? 0 : starts[0]);
                if (k > 0) {
                    assertThat(windows.ownedTo()[k - 1]).isEqualTo(windows.ownedFrom()[k]);
                    assertThat(windows.ownedFrom()[k]).isLessThan(textStarts(windows.windows().get(k - 1))[capacity - 1]);
                }
            }
            assertThat(tokenizer.windowsOf(windows.tokenCount(), WINDOWS)).as("windows from the token count alone")
                    .isEqualTo(windows.count());
        }
    }

    @Test
    void beyondTheMostWindowsTheTextIsTruncatedAndFlagged() {
        LongTextPolicy two = new LongTextPolicy(LongTextPolicy.Mode.WINDOW, 0, 2);
        for (TextTokenizer tokenizer : tokenizers) {
            TextWindows windows = tokenizer.windows(LONG, two);
            assertThat(windows.count()).isEqualTo(2);
            assertThat(windows.truncated()).isTrue();
            int capacity = MAX - tokenizer.specialTokens();
            assertThat(windows.tokenCount()).isEqualTo(tokenizer.specialTokens() + capacity + (capacity - MAX / 4));
            assertThat(tokenizer.windowsOf(windows.tokenCount(), two)).isEqualTo(2);
        }
    }

    @Test
    void theSpecialTokensOfAnEmptyTextAreThoseAroundEveryWindow() {
        for (TextTokenizer tokenizer : tokenizers) {
            TokenizedText window = tokenizer.windows(LONG, WINDOWS).windows().get(1);
            int head = 0;
            while (window.charStarts()[head] < 0) {
                head++;
            }
            int tail = 0;
            while (window.charStarts()[window.length() - 1 - tail] < 0) {
                tail++;
            }
            assertThat(head + tail).isEqualTo(tokenizer.specialTokens());
        }
    }

    private static int[] textStarts(TokenizedText window) {
        return Arrays.stream(window.charStarts()).filter(s -> s >= 0).toArray();
    }

    /** The text's tokens once: the windows' stretches joined on their overlaps, plus the specials. */
    /**
     * Found by the fuzz tests: half a surrogate pair made the native tokenizer re-decode the whole text
     * lossily, and every offset after it pointed past its word, up to beyond the end of the text.
     */
    @Test
    void anUnpairedSurrogateLeavesTheOffsetsOnTheirWords() {
        String text = "a\uD800 b \uD83D\uDE00 Paris \uDC00";
        int codePoints = text.codePointCount(0, text.length());
        for (TextTokenizer tokenizer : tokenizers) {
            TokenizedText tokens = tokenizer.tokenize(text);
            boolean paris = false;
            for (int i = 0; i < tokens.length(); i++) {
                if (tokens.charStarts()[i] < 0) {
                    continue;
                }
                assertThat(tokens.charEnds()[i]).isLessThanOrEqualTo(codePoints);
                int from = text.offsetByCodePoints(0, tokens.charStarts()[i]);
                int to = text.offsetByCodePoints(0, tokens.charEnds()[i]);
                paris |= text.substring(from, to).equalsIgnoreCase("paris");
            }
            assertThat(paris).as("a token spans exactly \"Paris\"").isTrue();
            assertThat(TextTokenizer.wellFormed(text)).isEqualTo("a\uFFFD b \uD83D\uDE00 Paris \uFFFD");
        }
    }

    private static TokenizedText fullTokenization(TextTokenizer tokenizer, TextWindows windows) {
        List<Integer> starts = new ArrayList<>();
        for (TokenizedText w : windows.windows()) {
            for (int s : textStarts(w)) {
                if (starts.isEmpty() || s > starts.getLast()) {
                    starts.add(s);
                }
            }
        }
        int n = starts.size() + tokenizer.specialTokens();
        int[] all = new int[n];
        Arrays.fill(all, -1);
        for (int i = 0; i < starts.size(); i++) {
            all[i + 1] = starts.get(i);
        }
        return new TokenizedText(new long[n], all, all, new long[n], false);
    }
}
