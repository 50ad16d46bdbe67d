package io.streamnlp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.inference.ModelCatalogue;
import org.junit.jupiter.api.Test;

/** The encoder's arithmetic, read from its real graph, and the MatMulInteger graph ONNX Runtime runs. */
class Int8CeilingTest {

    @Test
    void readsTheDefaultEncodersInt8WeightMatrices() throws Exception {
        // e5-small-v2, dynamically quantized: 12 layers x (Q, K, V, output, FFN up, FFN down), hidden 384, FFN 1536.
        Int8Ceiling.Weights weights = Int8Ceiling.weightsOf(ModelCatalogue.byName(ModelCatalogue.DEFAULT_MODEL));
        assertThat(weights.int8Matrices()).isEqualTo(72);
        assertThat(weights.int8MacsPerToken()).isEqualTo(12L * (4 * 384 * 384 + 2 * 384 * 1536));
        assertThat(weights.floatMacsPerToken()).isZero();
    }

    @Test
    void theLayerGraphRunsInOnnxRuntime() throws Exception {
        Int8Ceiling.Ceiling ceiling = Int8Ceiling.measure(64, 16, 1, 0.05);
        assertThat(ceiling.gmacPerSecond()).isPositive();
        assertThat(ceiling.rows()).isEqualTo(16);
    }

    @Test
    void theEncoderProfileSumsKernelTimeByOperator() throws Exception {
        var spec = ModelCatalogue.byName(ModelCatalogue.DEFAULT_MODEL);
        java.util.List<io.streamnlp.inference.TokenizedText> tokens;
        try (var tokenizer = new io.streamnlp.inference.TextTokenizer(spec, 256)) {
            tokens = ReviewMix.generate(8, 3).stream().map(tokenizer::tokenize).toList();
        }
        java.util.Map<String, Double> shares = EncoderProfile.byOperator(spec, tokens, 4, 1, 2);
        assertThat(shares.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        // The int8 weight products are there, under whichever (fused) name the optimizer gave them.
        assertThat(shares.keySet()).anyMatch(op -> op.contains("MatMul"));
        assertThat(EncoderProfile.describe(shares, 2)).contains("%, other ");
    }
}
