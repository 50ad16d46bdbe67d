package io.streamnlp.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void anEventTimeOutsideTheRangeOfEpochMillisecondsIsBadJson() {
        for (String eventTime : List.of("1" + "0".repeat(30), "-99999999999999999999", "\"+1000000000-01-01T00:00:00Z\"",
                "\"-999999999-01-01T00:00:00Z\"")) {
            assertThatThrownBy(() -> parse("{\"id\": \"t\", \"text\": \"fine\", \"eventTime\": " + eventTime + "}"))
                    .as(eventTime).isInstanceOfSatisfying(RejectedInputException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectReason.BAD_JSON));
        }
    }
}
