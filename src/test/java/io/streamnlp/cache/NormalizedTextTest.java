package io.streamnlp.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NormalizedTextTest {

    @Test
    void whitespaceIsTrimmedAndCollapsed() {
        assertThat(NormalizedText.of("  Great \t product!\n\n Loved   it ").normal()).isEqualTo("Great product! Loved it");
        assertThat(NormalizedText.of("Great product!").normal()).isEqualTo("Great product!");
    }

    @Test
    void decomposedAccentsBecomeNfc() {
        String decomposed = "Cafe\u0301 Zoe\u0308";
        assertThat(NormalizedText.of(decomposed).normal()).isEqualTo("Caf\u00e9 Zo\u00eb");
    }

    @Test
    void spansMapBetweenTwoSpellingsOfOneText() {
        String first = "I  love New York";
        String second = " I love New   York ";
        NormalizedText a = NormalizedText.of(first);
        NormalizedText b = NormalizedText.of(second);
        assertThat(a.normal()).isEqualTo(b.normal());

        int start = first.indexOf("New");
        int[] normal = a.toNormal(start, first.length());
        assertThat(a.normal().substring(normal[0], normal[1])).isEqualTo("New York");
        int[] mapped = b.toOriginal(normal[0], normal[1]);
        assertThat(second.substring(mapped[0], mapped[1])).isEqualTo("New   York");
    }

    @Test
    void spansAfterCombiningMarksAndEmojiStayExact() {
        String composed = "\ud83d\ude00 Zo\u00eb met Ren\u00e9 in Paris";
        String decomposed = "\ud83d\ude00  Zoe\u0308 met Rene\u0301 in  Paris";
        NormalizedText a = NormalizedText.of(composed);
        NormalizedText b = NormalizedText.of(decomposed);
        assertThat(a.normal()).isEqualTo(b.normal());
        for (String word : new String[] {"Zo\u00eb", "Ren\u00e9", "Paris"}) {
            int start = composed.indexOf(word);
            int[] normal = a.toNormal(start, start + word.length());
            int[] mapped = b.toOriginal(normal[0], normal[1]);
            assertThat(java.text.Normalizer.normalize(decomposed.substring(mapped[0], mapped[1]),
                    java.text.Normalizer.Form.NFC)).isEqualTo(word);
        }
    }

    @Test
    void spansOfOnlyWhitespaceHaveNoImage() {
        NormalizedText text = NormalizedText.of("a   b");
        assertThat(text.toNormal(1, 3)).containsExactly(1, 2); // the run collapses to one space
        assertThat(NormalizedText.of("  a").toNormal(0, 2)).isNull(); // leading run is dropped
    }

    @Test
    void keysDependOnTheNormalFormAndTheModelVersions() {
        CacheKeys keys = new CacheKeys("e5-small-q|0.36.2|sentiment-v1-a|ner-v1-b|256");
        CacheKeys otherHeads = new CacheKeys("e5-small-q|0.36.2|sentiment-v1-c|ner-v1-b|256");
        NormalizedText text = NormalizedText.of("Great  product!");
        assertThat(keys.keyOf(text)).isEqualTo(keys.keyOf(NormalizedText.of(" Great product! ")));
        assertThat(keys.keyOf(text)).isNotEqualTo(keys.keyOf(NormalizedText.of("Great product")));
        assertThat(keys.keyOf(text)).isNotEqualTo(otherHeads.keyOf(text));
        assertThat(keys.keyOf(text).get()).hasSize(CacheKeys.KEY_BYTES);
    }
}
