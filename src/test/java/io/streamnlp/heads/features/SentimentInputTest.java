package io.streamnlp.heads.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamnlp.inference.EncodedText;
import org.junit.jupiter.api.Test;

/** What each sentiment input reads of an encoder output; training's pooled layers give serving's rows. */
class SentimentInputTest {

    // Two tokens of dimension 2: last layer (3, 0), (1, 0); intermediate (0, 2), (0, 4).
    private static final EncodedText OUTPUT = new EncodedText(new float[] {0.6f, 0.8f}, new float[] {3f, 0f, 1f, 0f},
            2, new float[] {0f, 2f, 0f, 4f});

    @Test
    void theVectorKindReadsTheSentenceVectorAlone() {
        assertThat(SentimentInput.VECTOR.of(OUTPUT)).containsExactly(0.6f, 0.8f);
        assertThat(SentimentInput.VECTOR.readsTokenStates()).isFalse();
        assertThat(SentimentInput.VECTOR.needsIntermediate()).isFalse();
    }

    @Test
    void vectorAndIntermediatePutsTheNormalisedIntermediateMeanBesideTheVector() {
        // mean of the intermediate states (0, 3), normalised (0, 1).
        assertThat(SentimentInput.VECTOR_AND_INTERMEDIATE.of(OUTPUT)).containsExactly(0.6f, 0.8f, 0f, 1f);
        assertThat(SentimentInput.VECTOR_AND_INTERMEDIATE.width(384)).isEqualTo(768);
    }

    @Test
    void theMixIsTheNormalisedMeanOfBothLayers() {
        // means (2, 0) and (0, 3); their mean (1, 1.5), normalised.
        float[] row = SentimentInput.MEAN_OF_LAST_AND_INTERMEDIATE.of(OUTPUT);
        double norm = Math.sqrt(1 + 2.25);
        assertThat(row[0]).isCloseTo((float) (1 / norm), within(1e-6f));
        assertThat(row[1]).isCloseTo((float) (1.5 / norm), within(1e-6f));
    }

    @Test
    void trainingsPooledLayersGiveServingsRowsExactly() {
        float[] layers = SentimentInput.pooledLayers(OUTPUT);
        assertThat(layers).containsExactly(0.6f, 0.8f, 2f, 0f, 0f, 3f);
        for (SentimentInput input : new SentimentInput[] {SentimentInput.VECTOR_AND_INTERMEDIATE,
                SentimentInput.MEAN_OF_LAST_AND_INTERMEDIATE}) {
            assertThat(input.fromPooledLayers(layers, 2)).as(input.settingName()).isEqualTo(input.of(OUTPUT));
        }
    }

    @Test
    void servingsDirectRowEqualsTrainingsRowBitForBitAtTheEncodersSize() {
        // The serving path of vector+intermediate skips the last layer's mean; the row must not move.
        java.util.Random random = new java.util.Random(7);
        int dim = 384;
        int tokens = 37;
        float[] vector = new float[dim];
        float[] last = new float[tokens * dim];
        float[] middle = new float[tokens * dim];
        for (float[] a : new float[][] {vector, last, middle}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) random.nextGaussian();
            }
        }
        EncodedText encoded = new EncodedText(vector, last, dim, middle);
        float[] training = SentimentInput.VECTOR_AND_INTERMEDIATE.fromPooledLayers(SentimentInput.pooledLayers(encoded), dim);
        assertThat(SentimentInput.VECTOR_AND_INTERMEDIATE.of(encoded)).containsExactly(training);
    }

    @Test
    void aLayerKindNeedsTheIntermediateLayerAndNamesAreChecked() {
        EncodedText lastOnly = new EncodedText(new float[2], new float[4], 2);
        assertThatThrownBy(() -> SentimentInput.VECTOR_AND_INTERMEDIATE.of(lastOnly))
                .hasMessageContaining("intermediate layer");
        assertThat(SentimentInput.of(" Vector+Intermediate ")).isEqualTo(SentimentInput.VECTOR_AND_INTERMEDIATE);
        assertThatThrownBy(() -> SentimentInput.of("max")).hasMessageContaining("vector, pooled3");
    }
}
