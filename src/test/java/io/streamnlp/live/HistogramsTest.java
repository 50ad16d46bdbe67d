package io.streamnlp.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HistogramsTest {

    private static final double[] BOUNDS = {10, 20, 50, 100};

    @Test
    void interpolatesInsideTheBucketThatHoldsTheRank() {
        double[] before = {0, 0, 0, 0};
        double[] after = {10, 20, 90, 100}; // cumulative: 10 <= 10 ms, 10 in (10, 20], 70 in (20, 50], 10 in (50, 100]
        assertThat(Histograms.quantile(0.5, BOUNDS, before, after, 100)).isCloseTo(20 + 30 * (50 - 20) / 70.0, within(1e-9));
        assertThat(Histograms.quantile(0.05, BOUNDS, before, after, 100)).isCloseTo(5, within(1e-9));
        assertThat(Histograms.quantile(0.99, BOUNDS, before, after, 100)).isCloseTo(50 + 50 * 9 / 10.0, within(1e-9));
    }

    @Test
    void onlyTheWindowCounts() {
        double[] before = {10, 20, 90, 100};
        double[] after = {10, 20, 90, 104}; // four new observations, all in (50, 100]
        assertThat(Histograms.quantile(0.5, BOUNDS, before, after, 4)).isCloseTo(75, within(1e-9));
    }

    @Test
    void aboveTheLastBoundItSaysTheLastBound() {
        assertThat(Histograms.quantile(0.99, BOUNDS, new double[4], new double[] {0, 0, 0, 1}, 10)).isEqualTo(100);
    }

    @Test
    void nothingObservedIsNoAnswer() {
        assertThat(Histograms.quantile(0.5, BOUNDS, new double[4], new double[4], 0)).isNull();
    }
}
