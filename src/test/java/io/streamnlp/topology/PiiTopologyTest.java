package io.streamnlp.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.OutputKind;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.deadletter.DeadLetterRedaction;
import io.streamnlp.live.LiveFeed;
import io.streamnlp.model.EntitySpan;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.Entity;
import io.streamnlp.schema.PiiSpan;
import io.streamnlp.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PII detection and redaction through the whole topology (real encoder and NER head, real registry):
 * the spans on the enriched record, the redacted text, masked entities, the live page, dead letters.
 */
class PiiTopologyTest {

    static final String NAME = "Maria";
    static final String EMAIL = "maria.rossi+shop@example.com";
    static final String PHONE = "+44 20 7946 0958";
    static final String CARD = "4111 1111 1111 1111";
    /** An emoji first, so code point offsets differ from UTF-16 ones. */
    static final String TEXT = "😀 " + NAME + " from Google loved our hotel in Paris. Write to " + EMAIL + " or call " + PHONE
            + ", she paid with card " + CARD + ".";

    @TempDir
    Path stateDir;

    /** What the live page was told. */
    record Shown(String text, List<EntitySpan> entities) {}

    static Map<String, String> settings(String... pairs) {
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            settings.put(pairs[i], pairs[i + 1]);
        }
        return settings;
    }

    private static void send(TopologyHarness pipeline, String id, String text) {
        pipeline.input("logs").pipeInput(new TestRecord<>(id.getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void detectionPutsTheSpansOnTheEnrichedRecordAndLeavesTheTextAsItWas() {
        try (TopologyHarness pipeline = new TopologyHarness(stateDir, settings(StreamNlpConfig.PII_DETECT, "true",
                StreamNlpConfig.ENRICHED_INCLUDE_TEXT, "true"), LiveFeed.NONE)) {
            send(pipeline, "p1", TEXT);
            pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));
            EnrichedEvent enriched = pipeline.values(OutputKind.ENRICHED, EnrichedEvent.class).getFirst();
            assertThat(enriched.getText()).isEqualTo(TEXT);
            assertThat(enriched.getRedactedText()).isNull();
            Map<String, String> found = new HashMap<>();
            for (PiiSpan span : enriched.getPii()) {
                found.put(TEXT.substring(span.getStart(), span.getEnd()), span.getType());
                assertThat(TEXT.codePoints().skip(span.getStartCodePoint()).limit(span.getEndCodePoint() - span.getStartCodePoint())
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString())
                        .isEqualTo(TEXT.substring(span.getStart(), span.getEnd()));
                assertThat(span.getRedactedStart()).isEqualTo(-1);
            }
            assertThat(found).containsEntry(NAME, "PER").containsEntry("Paris", "LOC").containsEntry(EMAIL, "EMAIL")
                    .containsEntry(PHONE, "PHONE").containsEntry(CARD, "CARD").doesNotContainKey("Google");
            assertThat(pipeline.values(OutputKind.ENTITIES, EntitiesRecord.class).getFirst().getEntities())
                    .extracting(Entity::getText).contains(NAME, "Google", "Paris");
        }
    }

    @Test
    void redactionLeavesTheOriginalTextInNoOutputNotEvenWithIncludeTextAndTheLivePageSeesTheRedactedText() {
        List<Shown> shown = new ArrayList<>();
        LiveFeed live = (id, text, eventTimeMs, cached, sentiment, entities) -> shown.add(new Shown(text, entities));
        try (TopologyHarness pipeline = new TopologyHarness(stateDir, settings(StreamNlpConfig.PII_REDACT, "true",
                StreamNlpConfig.ENRICHED_INCLUDE_TEXT, "true"), live)) {
            send(pipeline, "p1", TEXT);
            send(pipeline, "p2", TEXT); // a cache hit: redacted the same way
            pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));

            List<EnrichedEvent> enriched = pipeline.values(OutputKind.ENRICHED, EnrichedEvent.class);
            assertThat(enriched).hasSize(2).extracting(EnrichedEvent::getCached).containsExactly(false, true);
            String expected = "😀 [PER] from Google loved our hotel in [LOC]. Write to [EMAIL] or call [PHONE], she paid with card [CARD].";
            for (EnrichedEvent event : enriched) {
                assertThat(event.getText()).as("the original text is never written").isNull();
                assertThat(event.getRedactedText()).isEqualTo(expected);
                for (PiiSpan span : event.getPii()) {
                    assertThat(expected.substring(span.getRedactedStart(), span.getRedactedEnd())).isEqualTo("[" + span.getType() + "]");
                }
                assertThat(event.getEntities()).extracting(Entity::getText).contains("[PER]", "Google", "[LOC]")
                        .doesNotContain(NAME, "Paris");
            }
            assertThat(pipeline.values(OutputKind.ENTITIES, EntitiesRecord.class)).allSatisfy(record ->
                    assertThat(record.getEntities()).extracting(Entity::getText).contains("[PER]", "[LOC]").doesNotContain(NAME, "Paris"));
            for (OutputKind kind : OutputKind.values()) {
                for (TestRecord<byte[], byte[]> record : pipeline.raw(kind)) {
                    assertNothingOriginalIn(new String(record.value(), StandardCharsets.UTF_8), kind.settingName());
                }
            }
            assertThat(shown).hasSize(2);
            for (Shown page : shown) {
                assertThat(page.text()).isEqualTo(expected);
                for (EntitySpan entity : page.entities()) {
                    assertThat(page.text().substring(entity.start(), entity.end())).isEqualTo(entity.text());
                }
                assertNothingOriginalIn(page.text() + page.entities(), "the live page");
            }
        }
    }

    static void assertNothingOriginalIn(String written, String where) {
        assertThat(written).as(where).doesNotContain(NAME, EMAIL, "maria.rossi", PHONE, "7946", CARD, "1111 1111", "Paris");
    }

    @Test
    void aKeyedHashGivesOneMaskPerValueSoRecordsStillJoin() {
        try (TopologyHarness pipeline = new TopologyHarness(stateDir, settings(StreamNlpConfig.PII_REDACT, "true",
                StreamNlpConfig.PII_MASK, "hash", StreamNlpConfig.PII_HASH_KEY, "0123456789abcdef-test-key",
                StreamNlpConfig.PII_DETECTORS, "email,card"), LiveFeed.NONE)) {
            send(pipeline, "h1", "Mail MARIA.ROSSI+SHOP@EXAMPLE.COM about the refund.");
            send(pipeline, "h2", "Refund for " + EMAIL + " and card " + CARD + " please.");
            pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));
            List<EnrichedEvent> enriched = pipeline.values(OutputKind.ENRICHED, EnrichedEvent.class);
            String first = enriched.get(0).getRedactedText().replaceAll(".*(\\[EMAIL:[0-9a-f]{16}]).*", "$1");
            assertThat(first).startsWith("[EMAIL:");
            assertThat(enriched.get(1).getRedactedText()).contains(first).containsPattern("\\[CARD:[0-9a-f]{16}]");
        }
    }

    @Test
    void aHashWithoutAKeyIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                StreamNlpConfig.PII_REDACT, "true", StreamNlpConfig.PII_MASK, "hash")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(StreamNlpConfig.PII_HASH_KEY);
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                StreamNlpConfig.PII_PHONE_REGIONS, "US,XX")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(StreamNlpConfig.PII_PHONE_REGIONS).hasMessageContaining("XX");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                StreamNlpConfig.PII_DETECTORS, "email,ssn")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(StreamNlpConfig.PII_DETECTORS).hasMessageContaining("ssn");
    }

    @Test
    void deadLettersAreRedactedByPatternsOrDroppedOrKeptAsTheOperatorSays() {
        String bad = "{\"text\":\"no id here, mail " + EMAIL + ", card " + CARD + "\"}";
        for (String mode : List.of("redact", "drop", "keep")) {
            try (TopologyHarness pipeline = new TopologyHarness(stateDir.resolve(mode), settings(StreamNlpConfig.PII_REDACT, "true",
                    StreamNlpConfig.PII_DEAD_LETTERS, mode), LiveFeed.NONE)) {
                pipeline.input("chat").pipeInput(new TestRecord<>("d1".getBytes(StandardCharsets.UTF_8), bad.getBytes(StandardCharsets.UTF_8)));
                TestRecord<byte[], byte[]> letter = pipeline.deadLetters().getFirst();
                String value = new String(letter.value(), StandardCharsets.UTF_8);
                var header = letter.headers().lastHeader(DeadLetterRedaction.HEADER);
                switch (mode) {
                    case "redact" -> {
                        assertThat(value).isEqualTo("{\"text\":\"no id here, mail [EMAIL], card [CARD]\"}");
                        assertThat(new String(header.value(), StandardCharsets.UTF_8)).isEqualTo("patterns");
                    }
                    case "drop" -> {
                        assertThat(letter.value()).isEmpty();
                        assertThat(new String(header.value(), StandardCharsets.UTF_8)).isEqualTo("dropped");
                    }
                    default -> {
                        assertThat(value).isEqualTo(bad);
                        assertThat(header).isNull();
                    }
                }
                assertThat(letter.headers().lastHeader("streamnlp.error.reason")).isNotNull();
            }
        }
    }
}
