package io.streamnlp.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.training.SpanErrors.FalsePositive;
import io.streamnlp.training.SpanErrors.GoldOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanErrorsTest {

    private static ConllEval.Span span(String type, String text, String words) {
        int start = text.indexOf(words);
        return new ConllEval.Span(type, start, start + words.length());
    }

    @Test
    void eachGoldSpanOfTheTypeGetsOneOutcome() {
        String text = "Apple and Tesla met the Red Sox and Acme Corp in Boston";
        List<ConllEval.Span> gold = List.of(span("ORG", text, "Apple"), span("ORG", text, "Tesla"),
                span("ORG", text, "Red Sox"), span("ORG", text, "Acme Corp"), span("LOC", text, "Boston"));
        List<ConllEval.Span> predicted = List.of(
                span("ORG", text, "Apple"), // correct
                span("MISC", text, "Tesla"), // same boundaries, other type
                span("ORG", text, "Sox"), // overlapping ORG, other boundaries
                span("PER", text, "Acme"), // overlapping other type, other boundaries
                span("ORG", text, "Boston")); // a gold LOC called ORG
        SpanErrors errors = new SpanErrors("ORG");
        errors.add(text, gold, predicted);

        assertThat(errors.goldTotal()).isEqualTo(4);
        assertThat(errors.gold(GoldOutcome.CORRECT)).isEqualTo(1);
        assertThat(errors.gold(GoldOutcome.WRONG_TYPE)).isEqualTo(1);
        assertThat(errors.gold(GoldOutcome.BOUNDARY)).isEqualTo(1);
        assertThat(errors.gold(GoldOutcome.BOUNDARY_AND_TYPE)).isEqualTo(1);
        assertThat(errors.gold(GoldOutcome.MISSED)).isZero();
        assertThat(errors.wrongTypeAs()).isEqualTo(Map.of("MISC", 1L));
        assertThat(errors.falsePositives(FalsePositive.WRONG_TYPE)).isEqualTo(1);
        assertThat(errors.falsePositives(FalsePositive.BOUNDARY)).isEqualTo(1);
        assertThat(errors.falsePositives(FalsePositive.SPURIOUS)).isZero();
    }

    @Test
    void missedAndSpuriousSpansAreCountedWithTheirTexts() {
        String a = "I love Nike shoes";
        String b = "Nike again, says Bob";
        SpanErrors errors = new SpanErrors("ORG");
        errors.add(a, List.of(span("ORG", a, "Nike")), List.of());
        errors.add(b, List.of(span("ORG", b, "Nike")), List.of(span("ORG", b, "Bob")));

        assertThat(errors.gold(GoldOutcome.MISSED)).isEqualTo(2);
        assertThat(errors.topMissed(5)).containsExactly(Map.entry("Nike", 2L));
        assertThat(errors.topSpurious(5)).containsExactly(Map.entry("Bob", 1L));
        assertThat(errors.markdownRow("set")).startsWith("| set | 2 | 0 (0 %) |").contains("| 2 (100 %) |");
    }

    @Test
    void anExactMatchWinsOverAnOverlapListedBeforeIt() {
        String text = "Bank of America";
        SpanErrors errors = new SpanErrors("ORG");
        errors.add(text, List.of(span("ORG", text, "Bank of America")),
                List.of(span("LOC", text, "America"), span("ORG", text, "Bank of America")));
        assertThat(errors.gold(GoldOutcome.CORRECT)).isEqualTo(1);
        assertThat(errors.wrongTypeAs()).isEmpty();
    }
}
