package io.streamnlp.batching;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MicroBatchTest {

    @Test
    void closesOnRecordCount() {
        MicroBatch<String> batch = new MicroBatch<>(3, 10_000, 50);
        batch.add("a", 10, 0);
        batch.add("b", 10, 0);
        assertThat(batch.isFull()).isFalse();
        batch.add("c", 10, 0);
        assertThat(batch.isFull()).isTrue();
        assertThat(batch.canAccept(10)).isFalse();
    }

    @Test
    void refusesATextThatWouldPassThePaddedTokenBudget() {
        MicroBatch<String> batch = new MicroBatch<>(32, 512, 50);
        batch.add("short-1", 20, 0);
        batch.add("short-2", 20, 0);
        // 3 rows x 200 tokens = 600 padded tokens > 512: one long text must not inflate the batch.
        assertThat(batch.canAccept(200)).isFalse();
        assertThat(batch.canAccept(100)).isTrue(); // 3 x 100 = 300
        assertThat(batch.paddedTokens()).isEqualTo(40);
    }

    @Test
    void isFullWhenNoTextOfTheCurrentLengthFits() {
        MicroBatch<String> batch = new MicroBatch<>(32, 512, 50);
        batch.add("a", 256, 0);
        assertThat(batch.isFull()).isFalse(); // 2 x 256 = 512 still fits
        batch.add("b", 256, 0);
        assertThat(batch.isFull()).isTrue();
    }

    @Test
    void aSingleTextAlwaysFits() {
        MicroBatch<String> batch = new MicroBatch<>(32, 512, 50);
        assertThat(batch.canAccept(512)).isTrue();
    }

    @Test
    void becomesDueAfterTheWaitCountedFromItsFirstText() {
        MicroBatch<String> batch = new MicroBatch<>(32, 8192, 50);
        assertThat(batch.isDue(1_000)).isFalse(); // empty batches are never due
        batch.add("a", 10, 1_000);
        batch.add("b", 10, 1_040);
        assertThat(batch.isDue(1_049)).isFalse();
        assertThat(batch.isDue(1_050)).isTrue();
    }

    @Test
    void drainKeepsArrivalOrderAndResets() {
        MicroBatch<String> batch = new MicroBatch<>(32, 8192, 50);
        batch.add("first", 30, 0);
        batch.add("second", 5, 0);
        batch.add("third", 12, 0);
        assertThat(batch.drain()).containsExactly("first", "second", "third");
        assertThat(batch.isEmpty()).isTrue();
        assertThat(batch.paddedTokens()).isZero();
        assertThat(batch.isDue(10_000)).isFalse();
    }

    @Test
    void aLongTextCountsOneRowPerWindowAgainstTheTokenBudget() {
        MicroBatch<String> batch = new MicroBatch<>(32, 2048, 50);
        batch.add("short", 20, 0);
        // 1 + 6 windows of 256 = 7 rows x 256 = 1792: fits; one more window would not (8 x 256 = 2048 fits, 9 not).
        assertThat(batch.canAccept(6, 256)).isTrue();
        batch.add("long", 6, 256, 0);
        assertThat(batch.paddedTokens()).isEqualTo(7 * 256);
        assertThat(batch.size()).as("texts, not rows, count toward batch.max.records").isEqualTo(2);
        assertThat(batch.canAccept(2, 256)).isFalse();
        assertThat(batch.canAccept(1, 30)).isTrue();
        assertThat(batch.isFull()).isFalse();
        batch.add("another", 1, 30, 0);
        assertThat(batch.isFull()).as("no room for another row of 256").isTrue();
        batch.drain();
        assertThat(batch.paddedTokens()).isZero();
        assertThat(batch.canAccept(40, 256)).as("a text alone always fits").isTrue();
    }
}
