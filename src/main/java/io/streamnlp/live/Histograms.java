package io.streamnlp.live;

/** Quantiles of a window of a cumulative bucket histogram, as Prometheus' {@code histogram_quantile()}. */
final class Histograms {

    private Histograms() {}

    /**
     * The {@code q}-quantile of the observations between two readings of one histogram: the bucket
     * holding the q-th observation, interpolated linearly inside it (from 0 for the first bucket).
     *
     * @param boundsMs bucket upper bounds, ascending
     * @param before cumulative counts per bucket at the start of the window
     * @param after the same at its end
     * @param total observations in the window, including any above the last bound
     * @return the quantile in ms; the last bound when it lies above it; null without observations
     */
    static Double quantile(double q, double[] boundsMs, double[] before, double[] after, double total) {
        if (total <= 0 || boundsMs.length == 0 || q <= 0) {
            return null;
        }
        double rank = q * total;
        double previousCount = 0;
        double previousBound = 0;
        for (int i = 0; i < boundsMs.length; i++) {
            double count = after[i] - before[i];
            if (count >= rank) { // and previousCount < rank, so count > previousCount
                return previousBound + (boundsMs[i] - previousBound) * (rank - previousCount) / (count - previousCount);
            }
            previousCount = count;
            previousBound = boundsMs[i];
        }
        return boundsMs[boundsMs.length - 1];
    }
}
