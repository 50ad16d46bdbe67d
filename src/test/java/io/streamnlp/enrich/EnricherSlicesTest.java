package io.streamnlp.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.bench.ReviewMix;
import io.streamnlp.inference.EncoderSessions;
import io.streamnlp.inference.TextWindows;
import io.streamnlp.model.HeadPlan;
import io.streamnlp.model.TextAnalysis;
import io.streamnlp.testing.TestEncoder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code inference.parallel.calls}: a batch encoded in slices at once, on the real encoder, gives every
 * text its own result in its own place, and in batch-invariant mode exactly what one call gives.
 */
class EnricherSlicesTest {

    private static final List<String> TEXTS = ReviewMix.generate(23, 11);

    private static List<TextWindows> windows(EncoderSessions sessions) {
        return TEXTS.stream().map(t -> TextWindows.single(sessions.encoder().tokenizer().tokenize(t))).toList();
    }

    @Test
    void batchInvariantSlicesGiveExactlyTheResultsOfOneCall() {
        try (EncoderSessions sessions = TestEncoder.sessions();
                Enricher oneCall = new Enricher(sessions, TestEncoder.heads(), HeadPlan.ALL, true, 1, 1, 1, FaultInjection.NONE);
                Enricher threeCalls = new Enricher(sessions, TestEncoder.heads(), HeadPlan.ALL, true, 1, 3, 1, FaultInjection.NONE)) {
            List<TextAnalysis> expected = oneCall.enrich(TEXTS, windows(sessions)).results();
            Enricher.Batch sliced = threeCalls.enrich(TEXTS, windows(sessions));
            assertThat(sliced.results()).hasSize(TEXTS.size());
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(sliced.results().get(i).vector()).as("text %d", i).containsExactly(expected.get(i).vector());
                assertThat(sliced.results().get(i).sentiment()).isEqualTo(expected.get(i).sentiment());
                assertThat(sliced.results().get(i).entities()).isEqualTo(expected.get(i).entities());
            }
        }
    }

    @Test
    void batchedSlicesKeepEveryTextInItsPlaceAndCountTheirPadding() {
        try (EncoderSessions sessions = TestEncoder.sessions();
                Enricher alone = new Enricher(sessions, null, HeadPlan.NONE, true, 1, 1, 1, FaultInjection.NONE);
                Enricher sliced = new Enricher(sessions, null, HeadPlan.NONE, false, 2, 2, 1, FaultInjection.NONE)) {
            List<TextAnalysis> each = alone.enrich(TEXTS, windows(sessions)).results();
            Enricher.Batch batch = sliced.enrich(TEXTS, windows(sessions));
            int realTokens = windows(sessions).stream().mapToInt(TextWindows::tokenCount).sum();
            assertThat(batch.paddedTokens()).isGreaterThanOrEqualTo(realTokens);
            for (int i = 0; i < TEXTS.size(); i++) {
                // Batch mates change the int8 activations' scale a little, never which text a vector is.
                assertThat(cosine(batch.results().get(i).vector(), each.get(i).vector())).as("text %d", i).isGreaterThan(0.98);
                for (int j = 0; j < TEXTS.size(); j++) {
                    if (j != i && !TEXTS.get(j).equals(TEXTS.get(i))) {
                        assertThat(cosine(batch.results().get(i).vector(), each.get(i).vector()))
                                .isGreaterThan(cosine(batch.results().get(i).vector(), each.get(j).vector()));
                    }
                }
            }
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int d = 0; d < a.length; d++) {
            dot += a[d] * b[d];
            na += a[d] * a[d];
            nb += b[d] * b[d];
        }
        return dot / Math.sqrt(na * nb);
    }
}
