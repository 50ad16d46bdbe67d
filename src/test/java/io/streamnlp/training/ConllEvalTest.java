package io.streamnlp.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConllEvalTest {

    private static List<ConllEval.Chunk> chunks(String tags) {
        return ConllEval.chunks(List.of(tags.split(" ")));
    }

    @Test
    void iob2Chunks() {
        assertThat(chunks("B-PER I-PER O B-LOC B-LOC I-LOC O B-MISC")).containsExactly(
                new ConllEval.Chunk("PER", 0, 2), new ConllEval.Chunk("LOC", 3, 4), new ConllEval.Chunk("LOC", 4, 6),
                new ConllEval.Chunk("MISC", 7, 8));
    }

    @Test
    void conllevalRulesForIob1AndStrayInsideTags() {
        // I-X after O opens a chunk; a type change inside a chunk closes it and opens another.
        assertThat(chunks("I-ORG I-ORG O I-PER I-LOC B-LOC")).containsExactly(
                new ConllEval.Chunk("ORG", 0, 2), new ConllEval.Chunk("PER", 3, 4), new ConllEval.Chunk("LOC", 4, 5),
                new ConllEval.Chunk("LOC", 5, 6));
    }

    /**
     * A hand-checked example as conlleval would score it: gold has 4 entities, the system finds 4,
     * of which 2 match exactly (one has the wrong type, one the wrong span).
     */
    @Test
    void microAndPerTypeScores() {
        List<String> gold = List.of("B-PER", "I-PER", "O", "B-ORG", "O", "B-LOC", "O", "B-MISC", "I-MISC");
        List<String> pred = List.of("B-PER", "I-PER", "O", "B-LOC", "O", "B-LOC", "O", "B-MISC", "O");
        ConllEval.Score score = new ConllEval.Score();
        score.add(spans(gold), spans(pred));
        assertThat(score.gold()).isEqualTo(4);
        assertThat(score.predicted()).isEqualTo(4);
        assertThat(score.truePositives()).isEqualTo(2);
        assertThat(score.precision()).isCloseTo(50.0, within(1e-9));
        assertThat(score.recall()).isCloseTo(50.0, within(1e-9));
        assertThat(score.f1()).isCloseTo(50.0, within(1e-9));
        assertThat(score.f1("PER")).isCloseTo(100.0, within(1e-9));
        assertThat(score.f1("ORG")).isZero();
        // LOC: precision 1/2, recall 1/1 -> F1 2/3.
        assertThat(score.f1("LOC")).isCloseTo(200.0 / 3, within(1e-9));
        assertThat(score.f1("MISC")).isZero();
    }

    @Test
    void scoresAccumulateOverSentences() {
        ConllEval.Score score = new ConllEval.Score();
        score.add(spans(List.of("B-PER", "O")), spans(List.of("B-PER", "O")));
        score.add(spans(List.of("O", "B-ORG")), spans(List.of("O", "O")));
        score.add(spans(List.of("O", "O")), spans(List.of("B-LOC", "O")));
        // tp 1, gold 2, predicted 2.
        assertThat(score.precision()).isCloseTo(50.0, within(1e-9));
        assertThat(score.recall()).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void goldSpansOfACoNllSentenceAreCharacterOffsets() {
        HeadData.ConllSentence s = new HeadData.ConllSentence(List.of("EU", "rejects", "German", "call"),
                List.of("B-ORG", "O", "B-MISC", "O"));
        assertThat(s.text()).isEqualTo("EU rejects German call");
        assertThat(s.goldSpans()).containsExactly(new ConllEval.Span("ORG", 0, 2), new ConllEval.Span("MISC", 11, 17));
    }

    private static List<ConllEval.Span> spans(List<String> tags) {
        return ConllEval.chunks(tags).stream().map(c -> new ConllEval.Span(c.type(), c.start(), c.end())).toList();
    }
}
