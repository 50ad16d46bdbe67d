package io.streamnlp.heads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BioTagsTest {

    private static final int T = BioTags.size();

    /** Per word a distribution with most mass on one tag. */
    private static float[] probs(String... argmax) {
        float[] p = new float[argmax.length * T];
        for (int i = 0; i < argmax.length; i++) {
            java.util.Arrays.fill(p, i * T, (i + 1) * T, 0.02f);
            p[i * T + BioTags.index(argmax[i])] = 1f - 0.02f * (T - 1);
        }
        return p;
    }

    private static List<String> decode(float[] probs, int n) {
        List<String> out = new ArrayList<>();
        for (int t : BioTags.viterbi(probs, n)) {
            out.add(BioTags.LABELS.get(t));
        }
        return out;
    }

    @Test
    void labelsAreOThenBAndIPerType() {
        assertThat(BioTags.LABELS).containsExactly("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC",
                "B-MISC", "I-MISC");
    }

    @Test
    void keepsAValidArgmaxSequence() {
        assertThat(decode(probs("B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"), 6))
                .containsExactly("B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC");
    }

    @Test
    void neverStartsWithAnInsideTag() {
        List<String> tags = decode(probs("I-ORG", "I-ORG", "O"), 3);
        assertThat(tags.get(0)).doesNotStartWith("I-");
    }

    @Test
    void insideTagNeverFollowsOOrAnotherType() {
        // Argmax alone would give O I-PER and B-LOC I-ORG: both invalid.
        float[] p = probs("O", "I-PER", "O", "B-LOC", "I-ORG");
        List<String> tags = decode(p, 5);
        assertValid(tags);
    }

    @Test
    void preferTheBestValidPathOverTheGreedyFix() {
        // Word 1 is I-PER with 0.6, B-PER 0.3; word 0 O 0.55, B-PER 0.4: best valid is B-PER I-PER.
        float[] p = new float[2 * T];
        java.util.Arrays.fill(p, 0.001f);
        p[BioTags.index("O")] = 0.55f;
        p[BioTags.index("B-PER")] = 0.4f;
        p[T + BioTags.index("I-PER")] = 0.6f;
        p[T + BioTags.index("B-PER")] = 0.3f;
        p[T + BioTags.index("O")] = 0.05f;
        assertThat(decode(p, 2)).containsExactly("B-PER", "I-PER");
    }

    @Test
    void randomDistributionsAlwaysDecodeToValidSequences() {
        Random random = new Random(1);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + random.nextInt(12);
            float[] p = new float[n * T];
            for (int i = 0; i < p.length; i++) {
                p[i] = random.nextFloat();
            }
            assertValid(decode(p, n));
        }
    }

    @Test
    void emptyInputGivesEmptyPath() {
        assertThat(BioTags.viterbi(new float[0], 0)).isEmpty();
    }

    private static void assertValid(List<String> tags) {
        String prev = "O";
        for (String tag : tags) {
            if (tag.startsWith("I-")) {
                assertThat(prev).as("tag before %s in %s", tag, tags).isIn("B-" + tag.substring(2), tag);
            }
            prev = tag;
        }
    }
}
