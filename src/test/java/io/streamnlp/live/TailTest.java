package io.streamnlp.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.model.EntityKind;
import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.Polarity;
import io.streamnlp.model.SentimentScores;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TailTest {

    private static final SentimentScores POSITIVE = new SentimentScores(Polarity.POSITIVE, 0.05f, 0.10f, 0.85f);

    private static TailRecord record(Tail tail, String id, String text, List<EntitySpan> entities) {
        long seq = tail.claim();
        TailRecord record = TailRecord.of(seq, id, text, 1_000, 1_250, false, POSITIVE, entities);
        tail.put(record);
        return record;
    }

    @Test
    void keepsTheLatestNewestFirstWithinItsCapacity() {
        Tail tail = new Tail(5);
        for (int i = 0; i < 12; i++) {
            record(tail, "id-" + i, "text " + i, List.of());
        }
        assertThat(tail.count()).isEqualTo(12);
        assertThat(tail.latest(3)).extracting(TailRecord::id).containsExactly("id-11", "id-10", "id-9");
        assertThat(tail.latest(100)).extracting(TailRecord::id).containsExactly("id-11", "id-10", "id-9", "id-8", "id-7");
        assertThat(new Tail(4).latest(10)).isEmpty();
    }

    @Test
    void aRecordCarriesItsLabelProbabilityLatencyAndEntitiesInsideTheExcerpt() {
        Tail tail = new Tail(4);
        String text = "Tim Cook visited Paris. " + "x".repeat(400) + " Lisbon";
        TailRecord r = record(tail, "a", text, List.of(
                new EntitySpan(EntityKind.PER, 0, 8, "Tim Cook", 0.9f),
                new EntitySpan(EntityKind.LOC, 17, 22, "Paris", 0.8f),
                new EntitySpan(EntityKind.LOC, text.length() - 6, text.length(), "Lisbon", 0.8f)));
        assertThat(r.excerpt()).hasSize(TailRecord.EXCERPT_CHARS).startsWith("Tim Cook visited Paris.");
        assertThat(r.clipped()).isTrue();
        assertThat(r.label()).isEqualTo("POSITIVE");
        assertThat(r.probability()).isEqualTo(0.85f);
        assertThat(r.latencyMs()).isEqualTo(250);
        assertThat(r.entities()).extracting(TailRecord.Span::text).containsExactly("Tim Cook", "Paris");
        for (TailRecord.Span span : r.entities()) {
            assertThat(r.excerpt().substring(span.start(), span.end())).isEqualTo(span.text());
        }
    }

    @Test
    void theExcerptNeverSplitsASurrogatePair() {
        String text = "a".repeat(TailRecord.EXCERPT_CHARS - 1) + "😀 and more";
        TailRecord r = TailRecord.of(0, "e", text, 0, 0, true, POSITIVE, List.of());
        assertThat(r.excerpt()).hasSize(TailRecord.EXCERPT_CHARS - 1).doesNotContain("\uD83D");
    }

    @Test
    void theTailDocumentStaysUnderTheLivePagesLimitWhateverTheInput() throws Exception {
        // The worst case for its size: a key as long as a record, texts of control characters (six
        // bytes each in JSON), an entity on every character, each as long as the excerpt.
        String text = "\u0001".repeat(10_000);
        List<EntitySpan> everywhere = new java.util.ArrayList<>();
        for (int start = 0; start < TailRecord.EXCERPT_CHARS; start++) {
            everywhere.add(new EntitySpan(EntityKind.MISC, start, TailRecord.EXCERPT_CHARS,
                    text.substring(start, TailRecord.EXCERPT_CHARS), 0.5f));
        }
        Tail tail = new Tail(LiveView.TAIL);
        for (int i = 0; i < LiveView.TAIL; i++) {
            record(tail, "\u0002".repeat(1_000_000), text, everywhere);
        }
        TailRecord r = tail.latest(1).get(0);
        assertThat(r.id()).hasSize(TailRecord.ID_CHARS);
        assertThat(r.entities()).hasSize(TailRecord.MAX_SPANS)
                .allSatisfy(span -> assertThat(span.text()).hasSizeLessThanOrEqualTo(TailRecord.SPAN_TEXT_CHARS));
        byte[] document = new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsBytes(new LiveView.TailDocument(tail.count(), tail.latest(LiveView.TAIL)));
        assertThat(document.length).isLessThan(LivePage.MAX_DOCUMENT_BYTES);
    }

    @Test
    void concurrentWritersNeverShowARecordTwice() throws Exception {
        Tail tail = new Tail(16);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.submit(() -> {
                for (int i = 0; i < 5_000; i++) {
                    record(tail, writer + "-" + i, "t", List.of());
                }
            });
        }
        for (int i = 0; i < 2_000; i++) {
            List<TailRecord> seen = tail.latest(16);
            assertThat(seen).extracting(TailRecord::seq).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        }
        writers.shutdown();
        assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(tail.count()).isEqualTo(20_000);
        assertThat(tail.latest(16)).hasSize(16);
    }
}
