package io.streamnlp.heads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BioTagsTest {

    private static final int T = BioTags.size();

    /** Per word a distribution with most mass on one tag. */
    private static float[][] probs(String... argmax) {
        float[][] p = new float[argmax.length][T];
        for (int i = 0; i < argmax.length; i++) {
            java.util.Arrays.fill(p[i], 0.02f);
            p[i][BioTags.index(argmax[i])] = 1f - 0.02f * (T - 1);
        }
        return p;
    }

    private static List<String> decode(float[][] probs) {
        List<String> out = new ArrayList<>();
        for (int t : BioTags.viterbi(probs)) {
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
        assertThat(decode(probs("B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC")))
                .containsExactly("B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC");
    }

    @Test
    void neverStartsWithAnInsideTag() {
        List<String> tags = decode(probs("I-ORG", "I-ORG", "O"));
        assertThat(tags.get(0)).doesNotStartWith("I-");
    }

    @Test
    void insideTagNeverFollowsOOrAnotherType() {
        // Argmax alone would give O I-PER and B-LOC I-ORG: both invalid.
        float[][] p = probs("O", "I-PER", "O", "B-LOC", "I-ORG");
        List<String> tags = decode(p);
        assertValid(tags);
    }

    @Test
    void preferTheBestValidPathOverTheGreedyFix() {
        // Word 1 is I-PER with 0.6, B-PER 0.3; word 0 O 0.55, B-PER 0.4: best valid is B-PER I-PER.
        float[][] p = new float[2][T];
        java.util.Arrays.fill(p[0], 0.001f);
        java.util.Arrays.fill(p[1], 0.001f);
        p[0][BioTags.index("O")] = 0.55f;
        p[0][BioTags.index("B-PER")] = 0.4f;
        p[1][BioTags.index("I-PER")] = 0.6f;
        p[1][BioTags.index("B-PER")] = 0.3f;
        p[1][BioTags.index("O")] = 0.05f;
        assertThat(decode(p)).containsExactly("B-PER", "I-PER");
    }

    @Test
    void randomDistributionsAlwaysDecodeToValidSequences() {
        Random random = new Random(1);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + random.nextInt(12);
            float[][] p = new float[n][T];
            for (float[] row : p) {
                for (int j = 0; j < T; j++) {
                    row[j] = random.nextFloat();
                }
            }
            assertValid(decode(p));
        }
    }

    @Test
    void emptyInputGivesEmptyPath() {
        assertThat(BioTags.viterbi(new float[0][])).isEmpty();
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
