package io.streamnlp.heads;

import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.EntityKind;
import io.streamnlp.heads.features.Words;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.inference.TextTokenizer;
import io.streamnlp.inference.TokenizedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Words and entity spans point into the ORIGINAL text in Java String (UTF-16) indices, whatever the
 * text holds: accents, CJK, emoji (outside the BMP, where the tokenizer's code-point offsets and
 * String indices part ways), and with e5's hidden "query: " prefix.
 */
class SpanOffsetsTest {

    private static TextTokenizer minilm;
    private static TextTokenizer e5;

    @BeforeAll
    static void load() {
        minilm = new TextTokenizer(ModelCatalogue.byName("minilm-l6-q"), 256);
        e5 = new TextTokenizer(ModelCatalogue.byName("e5-small-q"), 256);
    }

    @AfterAll
    static void close() {
        minilm.close();
        e5.close();
    }

    private static List<String> words(TextTokenizer tokenizer, String text) {
        Words words = Words.of(text, tokenizer.tokenize(text));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words.count(); i++) {
            out.add(text.substring(words.start(i), words.end(i)));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"minilm", "e5"})
    void wordsOfAccentedCjkAndEmojiText(String which) {
        TextTokenizer tokenizer = which.equals("e5") ? e5 : minilm;
        String text = "I 😀 met Zoë Müller in 東京 and São Paulo 🇧🇷 at Café Noir.";
        assertThat(words(tokenizer, text)).containsSubsequence("😀", "met", "Zoë", "Müller", "in", "東", "京", "and",
                "São", "Paulo").endsWith("Café", "Noir", ".");
        assertThat(words(tokenizer, "U.S.-based Apple's")).containsExactly("U", ".", "S", ".", "-", "based", "Apple",
                "'", "s");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Zoë Müller flew from Zürich to Kraków.",
        "👍👍 Angela Merkel 🙂 met 習近平 in 北京 🇨🇳 yesterday.",
        "Emoji first 🤖🤖🤖 then Barack Obama, then 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 Ltd",
        "Combining: Zoe\u0308 and Ame\u0301lie in Saint-E\u0301tienne",
        "   leading spaces and trailing   ",
        "tabs\tand\nnewlines\r\nBerlin"})
    void everySpanEqualsTheSubstringOfTheOriginalText(String text) {
        for (TextTokenizer tokenizer : List.of(minilm, e5)) {
            TokenizedText tokens = tokenizer.tokenize(text);
            Words words = Words.of(text, tokens);
            assertThat(words.count()).isPositive();
            int previousEnd = 0;
            for (int i = 0; i < words.count(); i++) {
                assertThat(words.start(i)).isGreaterThanOrEqualTo(previousEnd);
                assertThat(words.end(i)).isGreaterThan(words.start(i)).isLessThanOrEqualTo(text.length());
                // Never split a surrogate pair.
                assertThat(Character.isLowSurrogate(text.charAt(words.start(i)))).isFalse();
                previousEnd = words.end(i);
            }
            // Tag every word B-PER, then every pair B-LOC I-LOC: span texts must equal the substrings.
            int n = words.count();
            float[][] probs = new float[n][BioTags.size()];
            int[] single = new int[n];
            int[] pairs = new int[n];
            for (int i = 0; i < n; i++) {
                single[i] = BioTags.begin(EntityKind.PER);
                pairs[i] = i % 2 == 0 ? BioTags.begin(EntityKind.LOC) : BioTags.inside(EntityKind.LOC);
                Arrays.fill(probs[i], 1f / BioTags.size());
            }
            for (int[] tags : List.of(single, pairs)) {
                for (EntitySpan e : NerHead.spans(text, words, probs, tags)) {
                    assertThat(e.text()).isEqualTo(text.substring(e.start(), e.end())).isNotBlank();
                    assertThat(e.confidence()).isBetween(0f, 1f);
                }
            }
            assertThat(NerHead.spans(text, words, probs, single)).hasSize(n);
            assertThat(NerHead.spans(text, words, probs, pairs)).hasSize((n + 1) / 2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"minilm", "e5"})
    void multiWordSpanAfterEmojiCoversExactlyItsWords(String which) {
        TextTokenizer tokenizer = which.equals("e5") ? e5 : minilm;
        String text = "🎉🎉 Angela Merkel visited 東京.";
        Words words = Words.of(text, tokenizer.tokenize(text));
        List<String> w = words(tokenizer, text);
        int angela = w.indexOf("Angela");
        int tokyo = w.indexOf("東");
        int[] tags = new int[words.count()];
        tags[angela] = BioTags.begin(EntityKind.PER);
        tags[angela + 1] = BioTags.inside(EntityKind.PER);
        tags[tokyo] = BioTags.begin(EntityKind.LOC);
        tags[tokyo + 1] = BioTags.inside(EntityKind.LOC);
        float[][] probs = new float[words.count()][BioTags.size()];
        for (float[] row : probs) {
            Arrays.fill(row, 0.5f);
        }
        List<EntitySpan> spans = NerHead.spans(text, words, probs, tags);
        assertThat(spans).extracting(EntitySpan::text).containsExactly("Angela Merkel", "東京");
        assertThat(spans.get(0).start()).isEqualTo(text.indexOf("Angela"));
        assertThat(spans.get(1).end()).isEqualTo(text.indexOf("東京") + 2);
        assertThat(spans).extracting(EntitySpan::type).containsExactly(EntityKind.PER, EntityKind.LOC);
    }
}
