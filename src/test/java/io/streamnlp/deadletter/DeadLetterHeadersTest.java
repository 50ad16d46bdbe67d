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
        assertThat(DeadLetterHeaders.fit(RecordBudget.of(1_048_576), new byte[4], value, headers).value()).isSameAs(value);
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.VALUE_TRUNCATED)).isNull();
    }

    @Test
    void aValueOverTheBudgetIsCutToFitAndTheHeaderGivesItsOriginalSize() {
        RecordBudget budget = RecordBudget.of(1_048_576);
        Headers headers = describe("record too large");
        byte[] value = new byte[1_048_400];
        Arrays.fill(value, (byte) 'x');
        byte[] key = new byte[30];
        byte[] fitted = DeadLetterHeaders.fit(budget, key, value, headers).value();
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.VALUE_TRUNCATED)).isEqualTo("1048400");
        assertThat(budget.fits(key, fitted, headers)).as("the dead letter itself fits").isTrue();
        assertThat(fitted.length).as("no more cut than needed").isGreaterThan(1_047_000);
        assertThat(fitted).isEqualTo(Arrays.copyOf(value, fitted.length));
    }

    /** Compressed, a broker takes a record whose headers alone, or key alone, are over max.request.size. */
    @Test
    void inputHeadersThatCannotFitAreLeftOutAndAKeyThatCannotFitIsCut() {
        RecordBudget budget = RecordBudget.of(1_048_576);
        RecordHeaders original = new RecordHeaders();
        for (int i = 0; i < 400_000; i++) {
            original.add("h", null);
        }
        Headers headers = DeadLetterHeaders.describe(original, new RejectedInputException(RejectReason.TOO_LARGE, "big"),
                "ingest", "reviews", 0, 7L, 1_000L);
        byte[] value = "small".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        DeadLetterHeaders.Fitted fitted = DeadLetterHeaders.fit(budget, new byte[3], value, headers);
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.HEADERS_DROPPED)).isEqualTo("400000");
        assertThat(headers.lastHeader("h")).isNull();
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.REASON)).as("ours kept").isEqualTo(RejectReason.TOO_LARGE);
        assertThat(fitted.value()).as("then the value fits whole").isSameAs(value);
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.VALUE_TRUNCATED)).isNull();
        assertThat(budget.fits(fitted.key(), fitted.value(), headers)).isTrue();

        Headers keyed = describe("big key");
        byte[] key = new byte[3_000_000];
        Arrays.fill(key, (byte) 'k');
        byte[] small = new byte[10_000];
        fitted = DeadLetterHeaders.fit(budget, key, small, keyed);
        assertThat(DeadLetterHeaders.read(keyed, DeadLetterHeaders.KEY_TRUNCATED)).isEqualTo("3000000");
        assertThat(fitted.key()).isEqualTo(Arrays.copyOf(key, fitted.key().length));
        assertThat(fitted.key().length).as("what the value leaves").isGreaterThan(1_037_000);
        assertThat(fitted.value()).as("the value keeps its room").isSameAs(small);
        assertThat(DeadLetterHeaders.read(keyed, DeadLetterHeaders.VALUE_TRUNCATED)).isNull();
        assertThat(budget.fits(fitted.key(), fitted.value(), keyed)).isTrue();

        Headers both = describe("big key and value");
        fitted = DeadLetterHeaders.fit(budget, key, new byte[2_000_000], both);
        assertThat(fitted.key()).isEmpty();
        assertThat(DeadLetterHeaders.read(both, DeadLetterHeaders.VALUE_TRUNCATED)).isEqualTo("2000000");
        assertThat(fitted.value().length).isGreaterThan(1_047_000);
        assertThat(budget.fits(fitted.key(), fitted.value(), both)).isTrue();
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
