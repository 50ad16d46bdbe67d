package io.streamnlp.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.heads.features.NerStates;
import io.streamnlp.heads.features.SentimentInput;
import io.streamnlp.inference.EncodedText;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.ModelCatalogue;
import org.junit.jupiter.api.Test;

/** Which layers a NER head reads, and the check that its encoder exposes them. */
class NerStatesTest {

    @Test
    void theMixIsTheMeanOfTheTwoLayersElementByElement() {
        EncodedText e = new EncodedText(new float[2], new float[] {1f, -2f, 0.5f, 4f}, 2, new float[] {3f, 2f, 0.5f, -4f});
        assertThat(NerStates.MEAN_OF_LAST_AND_INTERMEDIATE.of(e)).containsExactly(2f, 0f, 0.5f, 0f);
        assertThat(NerStates.LAST.of(e)).containsExactly(1f, -2f, 0.5f, 4f);
    }

    @Test
    void anOutputWithoutTheIntermediateLayerCannotFeedTheMix() {
        EncodedText lastOnly = new EncodedText(new float[2], new float[4], 2);
        assertThatThrownBy(() -> NerStates.MEAN_OF_LAST_AND_INTERMEDIATE.of(lastOnly))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("intermediate layer");
    }

    @Test
    void namesAreTheHeadFilesAndTheTrainOptions() {
        assertThat(NerStates.of(" Mean-Last-Intermediate ")).isEqualTo(NerStates.MEAN_OF_LAST_AND_INTERMEDIATE);
        assertThat(NerStates.of("last")).isEqualTo(NerStates.LAST);
        assertThatThrownBy(() -> NerStates.of("middle")).hasMessageContaining("last or mean-last-intermediate");
    }

    @Test
    void theShippedDefaultHeadReadsTheMixAndNeedsAnEncoderThatExposesIt() {
        Heads shipped = Heads.load("e5-small-q");
        assertThat(shipped.ner().states()).isEqualTo(NerStates.MEAN_OF_LAST_AND_INTERMEDIATE);
        assertThat(shipped.ner().version()).isEqualTo("ner-v3-2589b4b7");
        Heads commercial = Heads.load("e5-small-q", io.streamnlp.model.HeadProfile.COMMERCIAL);
        assertThat(commercial.ner().states()).isEqualTo(NerStates.MEAN_OF_LAST_AND_INTERMEDIATE);
        assertThat(commercial.ner().version()).isEqualTo("ner-v3-9f325761");
        var stripped = ModelCatalogue.byName("e5-small-q").withIntermediateOutput(null);
        assertThatThrownBy(() -> Heads.of(stripped, shipped.sentiment().file(), shipped.ner().file()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(shipped.ner().version())
                .hasMessageContaining("intermediate layer")
                .hasMessageContaining("--ner-states last");
    }

    @Test
    void theShippedDefaultSentimentHeadReadsLayer8BesideTheSentenceVector() {
        Heads shipped = Heads.load("e5-small-q");
        assertThat(shipped.sentiment().version()).isEqualTo("sentiment-v3-677d07b1");
        assertThat(shipped.sentiment().input()).isEqualTo(SentimentInput.VECTOR_AND_INTERMEDIATE);
        assertThat(shipped.sentiment().dimension()).isEqualTo(384);
        // The commercial profile's sentiment head stays release 2 (model card: measured, not shipped).
        Heads commercial = Heads.load("e5-small-q", io.streamnlp.model.HeadProfile.COMMERCIAL);
        assertThat(commercial.sentiment().input()).isEqualTo(SentimentInput.VECTOR);
        EncodedText lastOnly = new EncodedText(new float[384], new float[2 * 384], 384);
        assertThatThrownBy(() -> shipped.sentiment().predict(lastOnly)).hasMessageContaining("intermediate layer");
        assertThat(commercial.sentiment().predict(lastOnly).label()).isNotNull();
    }

    @Test
    void theFusedGraphTakesTheHeadsTrainedOnItWhereTheyShipAndThePackagedGraphsElsewhere() {
        EncoderGraph fused = EncoderGraph.FUSED;
        Heads retrained = Heads.load("e5-small-q", io.streamnlp.model.HeadProfile.RESEARCH, fused);
        assertThat(retrained.sentiment().version()).isEqualTo("sentiment-v3-a44c0b55");
        assertThat(retrained.ner().version()).isEqualTo("ner-v3-77f40355");
        assertThat(retrained.sentiment().input()).isEqualTo(SentimentInput.VECTOR_AND_INTERMEDIATE);
        assertThat(retrained.ner().states()).isEqualTo(NerStates.MEAN_OF_LAST_AND_INTERMEDIATE);
        // The packaged graph keeps its own; where no fused heads ship, the packaged graph's serve both.
        assertThat(Heads.load("e5-small-q", io.streamnlp.model.HeadProfile.RESEARCH, EncoderGraph.PACKAGED).ner().version())
                .isEqualTo("ner-v3-2589b4b7");
        assertThat(Heads.load("e5-small-q", io.streamnlp.model.HeadProfile.COMMERCIAL, fused).ner().version())
                .isEqualTo("ner-v3-9f325761");
        assertThat(Heads.load("minilm-l6-q", io.streamnlp.model.HeadProfile.RESEARCH, fused).ner().version())
                .isEqualTo(Heads.load("minilm-l6-q").ner().version());
    }

    @Test
    void everyCatalogueEncodersNerHeadReadsTheMix() {
        for (String model : new String[] {"bge-small-q", "minilm-l6-q", "minilm-l6"}) {
            assertThat(ModelCatalogue.byName(model).intermediateOutput()).as(model).isNotNull();
            assertThat(Heads.load(model).ner().states()).as(model).isEqualTo(NerStates.MEAN_OF_LAST_AND_INTERMEDIATE);
            assertThat(Heads.load(model).ner().version()).as(model).startsWith("ner-v3-");
        }
    }
}
