package io.streamnlp.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PoolingTest {

    // Two sequences, seqLen 3, dim 2: [batch, seq, dim] flattened. Row 1 has one padding token.
    private static final float[] HIDDEN = {
        1, 0, 3, 0, 5, 0, // row 0: three real tokens
        0, 2, 0, 4, 100, 100 // row 1: two real tokens, then padding that must be ignored
    };

    @Test
    void meanAveragesOnlyRealTokensThenNormalises() {
        float[] row0 = Pooling.MEAN.pool(HIDDEN, 0, 3, 2, 3);
        assertThat(row0[0]).isCloseTo(1f, within(1e-6f)); // mean (3, 0) normalised
        assertThat(row0[1]).isCloseTo(0f, within(1e-6f));
        float[] row1 = Pooling.MEAN.pool(HIDDEN, 1, 3, 2, 2);
        assertThat(row1[0]).isCloseTo(0f, within(1e-6f)); // mean (0, 3): padding (100, 100) ignored
        assertThat(row1[1]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void clsTakesTheFirstToken() {
        float[] row1 = Pooling.CLS.pool(new float[] {3, 4, 9, 9}, 0, 2, 2, 2);
        assertThat(row1).containsExactly(new float[] {0.6f, 0.8f}, within(1e-6f));
    }

    @Test
    void l2NormaliseGivesUnitLengthAndLeavesZeroAlone() {
        float[] v = Pooling.l2Normalize(new float[] {1, 2, 2});
        assertThat(Pooling.cosine(v, v)).isCloseTo(1.0, within(1e-6));
        assertThat(Pooling.l2Normalize(new float[] {0, 0})).containsExactly(0f, 0f);
    }
}
