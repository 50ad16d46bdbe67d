package io.streamnlp.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.OutputKind;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.live.LiveFeed;
import io.streamnlp.schema.ClassLabel;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.LabelsRecord;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.testing.TestClassifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A classifier over the user's own labels through the whole topology: its answer on the enriched record's
 * labels map and on the labels topic, the same for a cache hit and for a long text in windows.
 */
class ClassifierTopologyTest {

    private static final String BILLING = "I was charged twice for my subscription this month, please refund one payment";
    private static final String SHIPPING = "My parcel has not arrived, the tracking number shows no update for a week";
    private static final String LONG_BUG = "The app crashes every time I open the settings page after the update. ".repeat(40);

    @TempDir
    Path stateDir;

    private Map<String, String> settings(String outputs) {
        return Map.of(StreamNlpConfig.CLASSIFIERS, TestClassifier.NAME,
                StreamNlpConfig.CLASSIFIER_PATH, TestClassifier.path().toString(),
                StreamNlpConfig.OUTPUTS, outputs,
                StreamNlpConfig.LONG_TEXT_MODE, "window");
    }

    @Test
    void eachTextGetsTheClassifiersLabelOnTheEnrichedRecordAndTheLabelsTopic() {
        try (TopologyHarness pipeline = new TopologyHarness(stateDir, settings("enriched,labels"), LiveFeed.NONE)) {
            send(pipeline, "b-1", BILLING);
            send(pipeline, "s-1", SHIPPING);
            send(pipeline, "b-2", BILLING); // a cache hit
            send(pipeline, "long", LONG_BUG);
            pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));

            Map<String, LabelsRecord> labels = pipeline.values(OutputKind.LABELS, LabelsRecord.class).stream()
                    .collect(Collectors.toMap(LabelsRecord::getId, Function.identity()));
            assertThat(labels).containsOnlyKeys("b-1", "s-1", "b-2", "long");
            ClassLabel billing = labels.get("b-1").getLabels().get(TestClassifier.NAME);
            assertThat(billing.getLabel()).isEqualTo("billing");
            assertThat(billing.getProbabilities()).containsOnlyKeys("billing", "shipping", "bug", "account", "feedback");
            assertThat(billing.getProbabilities().values().stream().mapToDouble(Float::doubleValue).sum())
                    .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(billing.getHeadVersion()).isEqualTo(TestClassifier.result().file().version());
            assertThat(labels.get("s-1").getLabels().get(TestClassifier.NAME).getLabel()).isEqualTo("shipping");
            assertThat(labels.get("b-2").getCached()).isTrue();
            assertThat(labels.get("b-2").getLabels()).as("a cache hit: the same answer, bit for bit")
                    .isEqualTo(labels.get("b-1").getLabels());
            assertThat(labels.get("long").getWindows()).isGreaterThan(1);
            assertThat(labels.get("long").getLabels().get(TestClassifier.NAME).getLabel()).isEqualTo("bug");

            Map<String, EnrichedEvent> enriched = pipeline.values(OutputKind.ENRICHED, EnrichedEvent.class).stream()
                    .collect(Collectors.toMap(EnrichedEvent::getId, Function.identity()));
            assertThat(enriched).containsOnlyKeys("b-1", "s-1", "b-2", "long");
            enriched.forEach((id, record) -> assertThat(record.getLabels()).as(id).isEqualTo(labels.get(id).getLabels()));
            assertThat(pipeline.deadLetters()).isEmpty();
        }
    }

    @Test
    void withoutClassifiersTheEnrichedRecordHasAnEmptyLabelsMap() {
        try (TopologyHarness pipeline = new TopologyHarness(stateDir, Map.of(StreamNlpConfig.OUTPUTS, "enriched"),
                LiveFeed.NONE)) {
            send(pipeline, "b-1", BILLING);
            pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));
            List<EnrichedEvent> enriched = pipeline.values(OutputKind.ENRICHED, EnrichedEvent.class);
            assertThat(enriched).singleElement().satisfies(e -> assertThat(e.getLabels()).isEmpty());
        }
    }

    @Test
    void theLabelsOutputWithoutAClassifierIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of(StreamNlpConfig.OUTPUTS, "enriched,labels")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(StreamNlpConfig.CLASSIFIERS);
        assertThat(ConfigLoader.load(null, Map.of(), Map.of()).outputs()).doesNotContain(OutputKind.LABELS);
    }

    private static void send(TopologyHarness pipeline, String id, String text) {
        pipeline.input("reviews").pipeInput(id.getBytes(StandardCharsets.UTF_8),
                pipeline.avro(TextEvent.newBuilder().setId(id).setText(text).build()));
    }
}
