package io.streamnlp.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code model.graph=fused} (issue 26, item 1): the catalogue's int8 encoders with one fused attention and two
 * skip-layer-norms per layer, from the weights they ship; outputs within a rounding of the packaged graph's,
 * under their own fingerprint.
 */
class AttentionFusionTest {

    private static final List<String> TEXTS = List.of(
            "Apple hired 3 engineers from @tmobile in New York yesterday!",
            "the delivery was late and the box was damaged, and nobody at the support line would call me back",
            "Très bon café, service rapide.",
            "x");

    @ParameterizedTest
    @CsvSource({"e5-small-q, 12", "bge-small-q, 12", "minilm-l6-q, 6"})
    void everyLayerGetsOneFusedAttentionAndTwoSkipLayerNorms(String model, int layers) throws IOException {
        Map<String, Integer> ops = AttentionFusion.operatorCounts(AttentionFusion.fuse(graphOf(model)));

        assertThat(ops).containsEntry("QAttention", layers).containsEntry("SkipLayerNormalization", 2 * layers)
                .containsEntry("FastGelu", layers);
        // What the fusion replaces is gone: no separate softmax, transposes or residual adds are left.
        assertThat(ops).doesNotContainKeys("Softmax", "Transpose", "BiasGelu", "MatMulIntegerToFloat");
        assertThat(ops.getOrDefault("LayerNormalization", 0)).isEqualTo(1); // the embeddings' own
    }

    @ParameterizedTest
    @ValueSource(strings = {"e5-small-q", "bge-small-q", "minilm-l6-q"})
    void theFusedGraphsOutputsStayWithinARoundingOfThePackagedOnesUnderTheirOwnFingerprint(String model) {
        EncoderSpec spec = ModelCatalogue.byName(model);
        try (Encoder packaged = Encoder.load(spec, 64, 1, true);
                Encoder fused = Encoder.load(spec, 64, 1, true, EncoderGraph.FUSED)) {
            EncodedText[] before = encode(packaged);
            EncodedText[] after = encode(fused);
            double sum = 0;
            for (int i = 0; i < TEXTS.size(); i++) {
                // Int8 noise: on a one-word text the packaged graph itself is only about 0.98 from the float
                // model (minilm-l6 against minilm-l6-q), so the bound per text is that, the mean's is tighter.
                double c = cosine(before[i].sentenceVector(), after[i].sentenceVector());
                assertThat(c).as("%s: %s", model, TEXTS.get(i)).isGreaterThan(0.97);
                sum += c;
                assertThat(after[i].tokenStates()).hasSameSizeAs(before[i].tokenStates());
                // The layer the heads mix in is still there, and still the same layer.
                assertThat(cosine(before[i].intermediateStates(), after[i].intermediateStates()))
                        .as("%s: %s", model, TEXTS.get(i)).isGreaterThan(0.97);
            }
            assertThat(sum / TEXTS.size()).as(model).isGreaterThan(0.985);
            assertThat(fused.fingerprint()).isNotEqualTo(packaged.fingerprint());
            // What model.graph=auto compares a prefix's record with, from the files alone: the loaded encoders' own.
            assertThat(Encoder.fingerprintOf(spec, EncoderGraph.PACKAGED)).isEqualTo(packaged.fingerprint());
            assertThat(Encoder.fingerprintOf(spec, EncoderGraph.FUSED)).isEqualTo(fused.fingerprint());
        }
    }

    @Test
    void theFusedGraphIsNoFurtherFromTheFloatModelThanThePackagedOne() {
        // minilm-l6 is the float export of minilm-l6-q's weights: the one reference the catalogue ships.
        try (Encoder reference = Encoder.load(ModelCatalogue.byName("minilm-l6"), 64, 1, true);
                Encoder packaged = Encoder.load(ModelCatalogue.byName("minilm-l6-q"), 64, 1, true);
                Encoder fused = Encoder.load(ModelCatalogue.byName("minilm-l6-q"), 64, 1, true, EncoderGraph.FUSED)) {
            EncodedText[] floats = encode(reference);
            EncodedText[] before = encode(packaged);
            EncodedText[] after = encode(fused);
            double packagedToFloat = 0;
            double fusedToFloat = 0;
            for (int i = 0; i < TEXTS.size(); i++) {
                packagedToFloat += cosine(floats[i].sentenceVector(), before[i].sentenceVector()) / TEXTS.size();
                fusedToFloat += cosine(floats[i].sentenceVector(), after[i].sentenceVector()) / TEXTS.size();
            }
            assertThat(fusedToFloat).isGreaterThan(packagedToFloat - 0.005);
        }
    }

    @Test
    void aFloatEncoderIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> AttentionFusion.fuse(graphOf("minilm-l6")))
                .hasMessageContaining("not an int8 product").hasMessageContaining("model.graph=packaged");
        assertThat(EncoderGraph.of(" Fused ")).isEqualTo(EncoderGraph.FUSED);
        assertThatThrownBy(() -> EncoderGraph.of("quick")).hasMessageContaining("packaged or fused");
    }

    private static byte[] graphOf(String model) throws IOException {
        try (InputStream in = ModelCatalogue.byName(model).openGraph()) {
            return in.readAllBytes();
        }
    }

    private static EncodedText[] encode(Encoder encoder) {
        try (EncoderSession session = encoder.newSession()) {
            return session.encode(TEXTS.stream().map(encoder.tokenizer()::tokenize).toList());
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
