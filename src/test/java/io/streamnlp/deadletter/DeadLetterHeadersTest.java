package io.streamnlp.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.budget.RecordBudget;
import java.util.Arrays;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterHeadersTest {

    private static Headers describe(String message) {
        return DeadLetterHeaders.describe(new RecordHeaders(), new RejectedInputException(RejectReason.TOO_LARGE, message),
                "ingest", "reviews", 3, 42L, 1_000L);
    }

    @Test
    void aValueThatFitsIsKeptWholeAndNothingSaysTruncated() {
        Headers headers = describe("record too large");
        byte[] value = new byte[5_000];
        assertThat(DeadLetterHeaders.fitValue(RecordBudget.of(1_048_576), new byte[4], value, headers)).isSameAs(value);
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.VALUE_TRUNCATED)).isNull();
    }

    @Test
    void aValueOverTheBudgetIsCutToFitAndTheHeaderGivesItsOriginalSize() {
        RecordBudget budget = RecordBudget.of(1_048_576);
        Headers headers = describe("record too large");
        byte[] value = new byte[1_048_400];
        Arrays.fill(value, (byte) 'x');
        byte[] key = new byte[30];
        byte[] fitted = DeadLetterHeaders.fitValue(budget, key, value, headers);
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.VALUE_TRUNCATED)).isEqualTo("1048400");
        assertThat(budget.fits(key, fitted, headers)).as("the dead letter itself fits").isTrue();
        assertThat(fitted.length).as("no more cut than needed").isGreaterThan(1_047_000);
        assertThat(fitted).isEqualTo(Arrays.copyOf(value, fitted.length));
    }

    @Test
    void errorMessagesAreCappedAndSayHowLongTheyWere() {
        String message = "x".repeat(DeadLetterHeaders.MAX_MESSAGE_CHARS - 1) + "😀" + "y".repeat(90_000);
        String kept = DeadLetterHeaders.read(describe(message), DeadLetterHeaders.ERROR_MESSAGE);
        assertThat(kept).startsWith("x".repeat(DeadLetterHeaders.MAX_MESSAGE_CHARS - 1))
                .endsWith("... (" + message.length() + " characters)")
                .doesNotContain("\uFFFD"); // no half of the emoji's surrogate pair
        assertThat(kept.length()).isLessThan(DeadLetterHeaders.MAX_MESSAGE_CHARS + 40);
        assertThat(DeadLetterHeaders.read(describe("short"), DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("short");
    }
}
