package io.streamnlp.bench;

import io.streamnlp.samples.SampleReviews;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Review-like texts for benchmarks, from a fixed seed: word counts log-normal around 25 words
 * (most between 10 and 60), a tail to 300; words drawn from the bundled sample reviews so the
 * vocabulary and punctuation look like real reviews.
 */
public final class ReviewMix {

    /** Popularity of the k-th hot text ~ 1 / k^1.1 (the result cache issue's stream). */
    static final double ZIPF_EXPONENT = 1.1;

    private ReviewMix() {}

    public static List<String> generate(int count, long seed) {
        String[] words = SampleReviews.load().stream()
                .flatMap(r -> Arrays.stream(r.text().split("\\s+")))
                .filter(w -> !w.isBlank())
                .toArray(String[]::new);
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = (int) Math.round(Math.exp(Math.log(25) + 0.6 * random.nextGaussian()));
            length = Math.max(3, Math.min(300, length));
            StringBuilder text = new StringBuilder();
            int start = random.nextInt(words.length);
            for (int w = 0; w < length; w++) {
                if (w > 0) {
                    text.append(' ');
                }
                text.append(words[(start + w) % words.length]);
            }
            texts.add(text.toString());
        }
        return texts;
    }

    /**
     * A stream with repeats, like real review streams: each event is, with probability
     * {@code repeatShare}, one of {@code hot} popular texts drawn Zipf-like (the k-th most popular
     * with weight 1/k), else a text of {@code fresh} not seen before. Fixed seed.
     */
    public static List<String> withRepeats(List<String> fresh, int count, int hot, double repeatShare, long seed) {
        Random random = new Random(seed);
        double[] cumulative = new double[hot];
        double sum = 0;
        for (int k = 0; k < hot; k++) {
            sum += Math.pow(k + 1, -ZIPF_EXPONENT);
            cumulative[k] = sum;
        }
        List<String> stream = new ArrayList<>(count);
        int next = hot;
        for (int i = 0; i < count; i++) {
            if (random.nextDouble() < repeatShare || next >= fresh.size()) {
                int k = Arrays.binarySearch(cumulative, random.nextDouble() * sum);
                stream.add(fresh.get(k >= 0 ? k : Math.min(hot - 1, -k - 1)));
            } else {
                stream.add(fresh.get(next++));
            }
        }
        return stream;
    }

    /** The share of events whose text came earlier in the stream: the best any cache can hit. */
    public static double idealHitRate(List<String> stream) {
        return 1.0 - (double) new java.util.HashSet<>(stream).size() / stream.size();
    }
}
