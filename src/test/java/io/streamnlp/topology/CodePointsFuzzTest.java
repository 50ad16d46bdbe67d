package io.streamnlp.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamnlp.heads.features.Words;
import io.streamnlp.inference.FuzzText;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.inference.TextTokenizer;
import io.streamnlp.inference.TokenizedText;

/**
 * Coverage-guided fuzzing of the offset conversions on arbitrary strings (valid Unicode or not):
 * {@link CodePoints} (UTF-16 index to code-point index, the entities' {@code startCodePoint}) is
 * what counting code points from the start gives, at every index; and the tokenizer's code-point
 * offsets, turned into UTF-16 indices the way the NER head does ({@link Words#codePointToCharIndex})
 * and back with {@link CodePoints}, come back unchanged, so the two offsets an entity carries agree.
 *
 * <p>Input: the text ({@code FuzzText}); corpus in {@code
 * src/test/resources/io/streamnlp/topology/CodePointsFuzzTestInputs/offsets/}.
 */
class CodePointsFuzzTest {

    private static final TextTokenizer TOKENIZER = new TextTokenizer(ModelCatalogue.byName(ModelCatalogue.DEFAULT_MODEL), 512);

    @FuzzTest(maxDuration = "5s")
    void offsets(byte[] input) {
        String text = FuzzText.of(input, 0);
        CodePoints codePoints = CodePoints.of(text);
        for (int i = 0; i <= text.length(); i++) {
            // Java counts the high half of a pair cut at i as a code point of its own; the pair is one.
            boolean splitsPair = i > 0 && i < text.length()
                    && Character.isHighSurrogate(text.charAt(i - 1)) && Character.isLowSurrogate(text.charAt(i));
            int expected = text.codePointCount(0, i) - (splitsPair ? 1 : 0);
            assertThat(codePoints.of(i)).as("code point index of UTF-16 index %d", i).isEqualTo(expected);
        }
        int total = text.codePointCount(0, text.length());
        assertThat(codePoints.of(text.length())).isEqualTo(total);

        int[] cpToChar = Words.codePointToCharIndex(text);
        TokenizedText tokens = TOKENIZER.tokenize(text);
        for (int t = 0; t < tokens.length(); t++) {
            for (int cp : new int[] {tokens.charStarts()[t], tokens.charEnds()[t]}) {
                if (cp < 0) {
                    continue;
                }
                assertThat(cp).as("code-point offset of token %d", t).isBetween(0, total);
                int utf16 = cpToChar == null ? cp : cpToChar[cp];
                assertThat(utf16).isEqualTo(text.offsetByCodePoints(0, cp));
                assertThat(codePoints.of(utf16)).as("code point of UTF-16 index %d", utf16).isEqualTo(cp);
            }
        }
    }
}
