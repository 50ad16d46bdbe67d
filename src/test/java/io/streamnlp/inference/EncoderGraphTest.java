package io.streamnlp.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Which encoders each {@code model.graph} runs on: the one rule the app, the CLI and the bench share. */
class EncoderGraphTest {

    @Test
    void theFusedGraphRunsOnTheCatalogueInt8EncodersOnly() {
        for (EncoderSpec spec : ModelCatalogue.inOrder()) {
            assertThat(EncoderGraph.PACKAGED.runsOn(spec)).as(spec.name()).isTrue();
            assertThat(EncoderGraph.FUSED.runsOn(spec)).as(spec.name()).isEqualTo(spec.name().endsWith("-q"));
        }
        assertThat(EncoderGraph.fusableEncoders()).isEqualTo("minilm-l6-q, bge-small-q, e5-small-q");
    }

    @Test
    void settingValuesAreReadInAnyCaseAndAMisspeltOneIsNamed() {
        assertThat(EncoderGraph.of(" Fused ")).isEqualTo(EncoderGraph.FUSED);
        assertThat(EncoderGraph.of("packaged")).isEqualTo(EncoderGraph.PACKAGED);
        assertThatThrownBy(() -> EncoderGraph.of("quick"))
                .hasMessage("model.graph must be packaged or fused, got 'quick'");
    }
}
