package io.streamnlp.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.deadletter.RejectedInputException;

import io.streamnlp.schema.TextEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.deadletter.RejectedInputException;
import org.junit.jupiter.api.Test;

class JsonTextEventParserTest {

    private static TextEvent parse(String json) throws Exception {
        return new JsonTextEventParser().parse("chat", null, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theKnownFieldsAreTheEventsOwn() throws Exception {
        TextEvent event = parse("""
                {"id": "j1", "text": "Great!", "source": "app", "language": "en", "eventTime": "2026-03-01T10:00:00Z",
                 "attributes": {"product": "p-7"}}""");
        assertThat(event.getId()).isEqualTo("j1");
        assertThat(event.getSource()).isEqualTo("app");
        assertThat(event.getLanguage()).isEqualTo("en");
        assertThat(event.getEventTime()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(event.getAttributes()).isEqualTo(Map.of("product", "p-7"));
    }

    @Test
    void everyOtherFieldBecomesAStringAttribute() throws Exception {
        TextEvent event = parse("""
                {"id": 17, "text": "Great!", "rating": 4, "verified": true, "price": 9.5, "channel": "web",
                 "tags": ["a", "b"], "shop": {"city": "Oslo"}, "gone": null,
                 "attributes": {"channel": "app", "product": "p-7"}}""");
        assertThat(event.getId()).isEqualTo("17");
        assertThat(event.getAttributes()).isEqualTo(Map.of(
                "rating", "4",
                "verified", "true",
                "price", "9.5",
                "channel", "app", // the attribute wins over the extra field of its name
                "tags", "[\"a\",\"b\"]",
                "shop", "{\"city\":\"Oslo\"}",
                "product", "p-7"));
    }

    /** Found by IngestParsersFuzzTest: half a character cannot travel as UTF-8; it was turned into "?". */
    @Test
    void anUnpairedSurrogateEscapeIsRejected() throws Exception {
        for (String json : new String[] {
                "{\"id\": \"1\", \"text\": \"lone \\ud800 half\"}",
                "{\"id\": \"\\udc00\", \"text\": \"x\"}",
                "{\"id\": \"1\", \"text\": \"x\", \"note\": \"\\ud83d\"}",
                "{\"id\": \"1\", \"text\": \"x\", \"attributes\": {\"\\ud83d\": \"v\"}}"}) {
            assertThatThrownBy(() -> parse(json)).as(json)
                    .isInstanceOfSatisfying(RejectedInputException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectReason.BAD_JSON))
                    .hasMessageContaining("unpaired surrogate");
        }
        assertThat(parse("{\"id\": \"1\", \"text\": \"pair \\ud83d\\ude00\"}").getText()).isEqualTo("pair 😀");
    }

    /** Instant reaches the year 1e9, epoch milliseconds (what the event time becomes) about 2.9e8. */
    @Test
    void anEventTimeBeyondEpochMillisecondsIsRejected() throws Exception {
        for (String time : new String[] {"\"+999999999-12-31T23:59:59Z\"", "\"-999999999-01-01T00:00:00Z\"",
                "92233720368547758070"}) {
            assertThatThrownBy(() -> parse("{\"id\": \"1\", \"text\": \"x\", \"eventTime\": " + time + "}"))
                    .as(time)
                    .isInstanceOfSatisfying(RejectedInputException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectReason.BAD_JSON))
                    .hasMessageContaining("outside the range of epoch milliseconds");
        }
        assertThat(parse("{\"id\": \"1\", \"text\": \"x\", \"eventTime\": \"+10000-01-01T00:00:00Z\"}")
                .getEventTime().toEpochMilli()).isEqualTo(253_402_300_800_000L);
    }
}
