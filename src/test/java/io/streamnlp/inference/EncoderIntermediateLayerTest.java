package io.streamnlp.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default encoder's intermediate layer (issue 22 item 1): exposed as a second output of the same
 * graph, it must change nothing the encoder gave before (embeddings and last-layer states bit for bit,
 * so records and caches stay valid) and give one more layer's states for the same tokens.
 */
class EncoderIntermediateLayerTest {

    private static final List<String> TEXTS = List.of(
            "Apple hired 3 engineers from @tmobile in New York yesterday!",
            "the delivery was late and the box was damaged",
            "Très bon café, service rapide.",
            "x");

    @Test
    void theAddedOutputLeavesEveryEarlierOutputBitIdentical() {
        EncoderSpec withLayer = ModelCatalogue.byName("e5-small-q");
        assertThat(withLayer.intermediateOutput()).isEqualTo("/encoder/layer.7/output/LayerNorm/Add_1_output_0");
        EncoderSpec without = withLayer.withIntermediateOutput(null);
        EncodedText[] plain = encode(without);
        EncodedText[] mixed = encode(withLayer);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(mixed[i].sentenceVector()).as(TEXTS.get(i)).containsExactly(plain[i].sentenceVector());
            assertThat(mixed[i].tokenStates()).as(TEXTS.get(i)).containsExactly(plain[i].tokenStates());
            assertThat(plain[i].intermediateStates()).isNull();
            float[] middle = mixed[i].intermediateStates();
            assertThat(middle).hasSameSizeAs(mixed[i].tokenStates());
            assertThat(middle).isNotEqualTo(mixed[i].tokenStates()); // another layer, not a copy of the last
        }
    }

    @Test
    void theFingerprintIsTheFilesOwn() {
        try (Encoder with = Encoder.load(ModelCatalogue.byName("e5-small-q"), 64, 1, true);
                Encoder without = Encoder.load(ModelCatalogue.byName("e5-small-q").withIntermediateOutput(null), 64, 1,
                        true)) {
            assertThat(with.fingerprint()).isEqualTo(without.fingerprint());
        }
    }

    @Test
    void aTensorTheGraphDoesNotHaveIsRefusedByName() throws IOException {
        byte[] graph;
        try (InputStream in = ModelCatalogue.byName("e5-small-q").openGraph()) {
            graph = in.readAllBytes();
        }
        assertThatThrownBy(() -> GraphOutputs.withOutput(graph, "/encoder/layer.99/output/LayerNorm/Add_1_output_0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer.99");
    }

    private static EncodedText[] encode(EncoderSpec spec) {
        try (Encoder encoder = Encoder.load(spec, 64, 1, true); EncoderSession session = encoder.newSession()) {
            return session.encode(TEXTS.stream().map(encoder.tokenizer()::tokenize).toList());
        }
    }
}
