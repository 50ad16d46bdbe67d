package io.streamnlp.model;

/**
 * The sentiment head's answer for one text.
 *
 * @param label the most probable of the three classes
 * @param negative probability of NEGATIVE
 * @param neutral probability of NEUTRAL
 * @param positive probability of POSITIVE
 */
public record SentimentScores(Polarity label, float negative, float neutral, float positive) {

    /**
     * The two-class view used for SST-2 and the customer reviews: NEGATIVE or POSITIVE, whichever
     * of the two is more probable (neutral is ignored; ties go to POSITIVE).
     */
    public Polarity twoClass() {
        return negative > positive ? Polarity.NEGATIVE : Polarity.POSITIVE;
    }

    /** P(positive | not neutral): the positive probability of the two-class view. */
    public float positiveVsNegative() {
        float sum = negative + positive;
        return sum > 0 ? positive / sum : 0.5f;
    }
}
