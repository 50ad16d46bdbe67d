package io.streamnlp.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.model.EntityKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopEntitiesTest {

    private static final long T0 = 1_800_000_000_000L;

    @Test
    void countsPerTypeAndRanksByCount() {
        TopEntities top = new TopEntities();
        for (int i = 0; i < 3; i++) {
            top.add(EntityKind.LOC, "Paris", T0);
        }
        top.add(EntityKind.LOC, "Lisbon", T0);
        top.add(EntityKind.PER, "Tim  Cook", T0);
        top.add(EntityKind.PER, " Tim Cook ", T0 + 1);
        Map<EntityKind, List<EntityCount>> now = top.top(8, 300_000, T0 + 2);
        assertThat(now.get(EntityKind.LOC)).containsExactly(new EntityCount("Paris", 3), new EntityCount("Lisbon", 1));
        assertThat(now.get(EntityKind.PER)).containsExactly(new EntityCount("Tim Cook", 2));
        assertThat(now.get(EntityKind.ORG)).isEmpty();
        assertThat(top.top(1, 300_000, T0 + 2).get(EntityKind.LOC)).containsExactly(new EntityCount("Paris", 3));
    }

    @Test
    void forgetsWhatIsOlderThanTheWindow() {
        TopEntities top = new TopEntities();
        top.add(EntityKind.ORG, "Apple", T0);
        top.add(EntityKind.ORG, "Apple", T0 + 90_000);
        top.add(EntityKind.ORG, "Google", T0 + 290_000);
        assertThat(top.top(8, 300_000, T0 + 295_000).get(EntityKind.ORG))
                .containsExactly(new EntityCount("Apple", 2), new EntityCount("Google", 1));
        assertThat(top.top(8, 60_000, T0 + 295_000).get(EntityKind.ORG)).containsExactly(new EntityCount("Google", 1));
        // 5 min 15 s on, the first Apple's slot has been reused for IBM; the second Apple is still in.
        top.add(EntityKind.ORG, "IBM", T0 + 315_000);
        assertThat(top.top(8, 300_000, T0 + 320_000).get(EntityKind.ORG))
                .containsExactly(new EntityCount("Apple", 1), new EntityCount("Google", 1), new EntityCount("IBM", 1));
        assertThat(top.top(8, 300_000, T0 + 2 * 3_600_000).get(EntityKind.ORG)).isEmpty();
    }

    @Test
    void staysBoundedAndKeepsTheFrequentOnesUnderAFloodOfOneOffs() {
        TopEntities top = new TopEntities();
        for (int i = 0; i < 10_000; i++) {
            top.add(EntityKind.PER, "one-off " + i, T0);
            if (i % 10 == 0) {
                top.add(EntityKind.PER, "Ada Lovelace", T0);
            }
        }
        List<EntityCount> per = top.top(50, 300_000, T0).get(EntityKind.PER);
        assertThat(per).hasSizeLessThanOrEqualTo(TopEntities.CAPACITY);
        assertThat(per.getFirst().text()).isEqualTo("Ada Lovelace");
        assertThat(per.getFirst().count()).isGreaterThanOrEqualTo(1_000); // never undercounted
    }

    @Test
    void longTextsAreCut() {
        assertThat(TopEntities.normalize("  a\u00a0 b\n c ")).isEqualTo("a b c");
        assertThat(TopEntities.normalize("x".repeat(500))).hasSize(TopEntities.MAX_TEXT);
    }
}
