package io.streamnlp.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real default encoder, loaded from its Maven artifact; no broker. */
class EncoderTest {

    private static Encoder encoder;
    private static EncoderSession session;

    @BeforeAll
    static void load() {
        encoder = Encoder.load(ModelCatalogue.byName(ModelCatalogue.DEFAULT_MODEL), 256, 1, true);
        session = encoder.newSession();
    }

    @AfterAll
    static void close() {
        session.close();
        encoder.close();
    }

    private static float[][] encode(String... texts) {
        return Arrays.stream(session.encode(List.of(texts).stream().map(encoder.tokenizer()::tokenize).toList()))
                .map(EncodedText::sentenceVector).toArray(float[][]::new);
    }

    @Test
    void vectorsAreUnitNormWithTheModelsDimension() {
        float[][] vectors = encode("Great coffee and friendly staff.", "The battery died after two days.");
        assertThat(vectors).hasNumberOfRows(2);
        for (float[] v : vectors) {
            assertThat(v).hasSize(384);
            assertThat(Pooling.cosine(v, v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    /**
     * e5's vectors sit in a narrow cone (unrelated texts still score about 0.73), so the margin is
     * what matters, not the absolute cosine: measured 0.94 for the paraphrase against 0.73.
     */
    @Test
    void paraphrasesAreCloserThanUnrelatedTexts() {
        float[][] v = encode(
                "The delivery was late and the box was damaged.",
                "My package arrived late, and its box was broken.",
                "Preheat the oven to 200 degrees before baking.");
        assertThat(Pooling.cosine(v[0], v[1])).isGreaterThan(Pooling.cosine(v[0], v[2]) + 0.15);
    }

    @Test
    void batchCompositionDoesNotChangeAnFp32Vector() {
        try (Encoder fp32 = Encoder.load(ModelCatalogue.byName("minilm-l6"), 256, 1, true);
                EncoderSession fp32Session = fp32.newSession()) {
            assertThat(aloneVersusInBatch(fp32, fp32Session)).isGreaterThan(0.9999);
        }
    }

    /**
     * The int8 graphs quantize activations dynamically with one scale per tensor, so the other
     * texts of a batch nudge a vector. Measured: cosine about 0.994 to the vector computed alone.
     */
    @Test
    void batchCompositionMovesAnInt8VectorOnlySlightly() {
        assertThat(aloneVersusInBatch(encoder, session)).isBetween(0.98, 1.0001);
    }

    private static double aloneVersusInBatch(Encoder enc, EncoderSession s) {
        String text = "Solid build quality, but the app keeps crashing on my Samsung phone.";
        String longer = "A much longer review that goes on and on about many things, the colour, the fit, "
                + "the delivery, the price and the customer service of the shop.";
        float[] alone = s.encode(List.of(enc.tokenizer().tokenize(text)))[0].sentenceVector();
        float[] inBatch = s.encode(List.of(enc.tokenizer().tokenize("ok"), enc.tokenizer().tokenize(text),
                enc.tokenizer().tokenize(longer)))[1].sentenceVector();
        return Pooling.cosine(alone, inBatch);
    }

    @Test
    void longTextsAreTruncatedAndFlagged() {
        TokenizedText tokens = encoder.tokenizer().tokenize("word ".repeat(600));
        assertThat(tokens.truncated()).isTrue();
        assertThat(tokens.length()).isEqualTo(256);
        assertThat(encoder.tokenizer().tokenize("short text").truncated()).isFalse();
    }

    @Test
    void offsetsPointIntoTheOriginalText() {
        String text = "Zoë loved the Paris café.";
        TokenizedText tokens = encoder.tokenizer().tokenize(text);
        assertThat(tokens.charStarts()[0]).isEqualTo(-1); // [CLS]
        // e5's "query: " prefix is tokenized too, but maps to no character of the text.
        int first = 1;
        while (tokens.charStarts()[first] < 0) {
            first++;
        }
        int prefixTokens = encoder.tokenizer().tokenize("").length() - 2; // [CLS] prefix [SEP]
        assertThat(first).isEqualTo(1 + prefixTokens);
        assertThat(text.substring(tokens.charStarts()[first], tokens.charEnds()[first])).isEqualTo("Zoë");
    }
}
